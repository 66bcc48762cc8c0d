import Testing
import TLSTool

@Suite("Terminal")
struct TerminalTests {
    @Test("--no-color always wins")
    func noColorFlag() {
        #expect(shouldUseColor(noColorFlag: true) == false)
    }
}

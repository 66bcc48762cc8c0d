import Foundation
import Testing
import TLSTool

@Suite("Terminal")
struct TerminalTests {
    @Test("--no-color always wins")
    func noColorFlag() {
        #expect(shouldUseColor(noColorFlag: true) == false)
    }
}

@Suite("Colour decision")
struct ColourDecisionTests {
    @Test("NO_COLOR and TERM=dumb turn colour off whatever the descriptor")
    func environmentTurnsColourOff() {
        // Descriptor 0 may or may not be a terminal here; these answers must not depend on it.
        #expect(!shouldUseColor(fileDescriptor: 0, environment: ["NO_COLOR": "1", "TERM": "xterm"]))
        #expect(!shouldUseColor(fileDescriptor: 0, environment: ["TERM": "dumb"]))
    }

    @Test("Not a terminal: no colour even with a colour-capable TERM")
    func notATerminal() throws {
        let pipe = Pipe()
        #expect(!shouldUseColor(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor, environment: ["TERM": "xterm-256color"]))
    }
}

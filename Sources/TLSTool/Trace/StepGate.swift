import Foundation
import Synchronization

/// `--step`: before each step of the trace, name the step and wait for Enter ("q" and Enter
/// stops stepping). The prompt is written to, and Enter read from, the controlling terminal
/// (/dev/tty), never stdin or stderr, so it never mixes with the chat data or the logs. When stdin *is* that terminal (a server or
/// client typed at), `readChatInput` leaves a line typed at an open prompt to the prompt.
public final class StepGate: Sendable {
    private struct State {
        var prompting = false
        var stopped = false
    }

    private let terminal: Int32
    private let state = Mutex(State())
    /// One prompt at a time: the server's connection threads and the demo's two sides share a gate.
    private let turn = Mutex(())

    /// nil when the process has no controlling terminal.
    public init?() {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        terminal = fd
    }

    deinit { close(terminal) }

    /// False once the learner answered a prompt with "q".
    public var isStepping: Bool { !state.withLock { $0.stopped } }

    /// Shows "next: STEP" and blocks until a line arrives (or the terminal goes away).
    public func wait(next step: String) {
        turn.withLock { _ in
            guard state.withLock({ state in
                if state.stopped { return false }
                state.prompting = true
                return true
            }) else { return }
            writeFully(terminal, Array("── next: \(step) — Enter, or q to stop stepping ──".utf8))
            let line = readLine()
            state.withLock { state in
                state.prompting = false
                if line.trimmingCharacters(in: .whitespaces).lowercased() == "q" { state.stopped = true }
            }
            // The Enter echoed a newline: go back up and erase the prompt, so it leaves no trace.
            writeFully(terminal, Array("\u{1B}[1A\u{1B}[2K".utf8))
        }
    }

    private func readLine() -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(terminal, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Reads a chunk of chat input from `fd` (stdin). When `fd` is the terminal the prompts read,
    /// it never reads while a prompt is open: that line is the prompt's. Empty at end of input.
    public func readChatInput(_ fd: Int32) -> [UInt8] {
        guard sharesTerminal(fd) else { return Polling.read(fd) }
        while true {
            _ = Polling.readable([fd])
            let chunk: [UInt8]? = state.withLock { state in
                // Read only what is there now (the prompt may have taken the line since poll).
                guard !state.prompting, Self.hasInput(fd) else { return nil }
                return Polling.read(fd)
            }
            if let chunk { return chunk }
            usleep(50_000)  // a prompt is taking the line; look again once it has
        }
    }

    /// Whether `fd` is the controlling terminal, the one /dev/tty opens (comparing devices would
    /// not do: /dev/tty is a device of its own that stands for the real one).
    private func sharesTerminal(_ fd: Int32) -> Bool {
        isatty(fd) == 1 && tcgetsid(fd) == getsid(0)
    }

    private static func hasInput(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }
}

import Foundation

/// `--step`: before each step of the trace, wait for the learner to press Enter. Reads the
/// controlling terminal (/dev/tty), so it works while stdin is a pipe carrying the chat data.
public final class StepGate: Sendable {
    private let fileDescriptor: Int32
    private let prompt: any TextSink

    /// nil when there is no terminal to read Enter from.
    public init?(prompt: any TextSink = FileDescriptorSink.standardError) {
        var fd = open("/dev/tty", O_RDONLY | O_CLOEXEC)
        if fd < 0, isatty(STDIN_FILENO) == 1 { fd = dup(STDIN_FILENO) }
        guard fd >= 0 else { return nil }
        fileDescriptor = fd
        self.prompt = prompt
    }

    deinit { close(fileDescriptor) }

    /// Blocks until a newline arrives (or the terminal goes away).
    public func wait() {
        let erasable = isatty(STDERR_FILENO) == 1
        prompt.write("── press Enter for the next step ──")
        var byte: UInt8 = 0
        while true {
            let count = read(fileDescriptor, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
        }
        // The Enter echoed a newline: go back up and erase the prompt, so it leaves no trace.
        prompt.write(erasable ? "\u{1B}[1A\u{1B}[2K" : "\n")
    }
}

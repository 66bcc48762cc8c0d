import Foundation
import Synchronization

/// Where formatted text goes: a file descriptor for the tools, a string for tests, a buffer for
/// the demo. One `write` call is one unit: sinks shared between threads never split it.
public protocol TextSink: Sendable {
    func write(_ text: String)
}

/// Writes to a file descriptor (stdout, stderr). The lock keeps each `write` call whole when
/// several connection threads print at once.
public final class FileDescriptorSink: TextSink {
    private let fileDescriptor: Int32
    private let lock = Mutex(())

    public init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    public static let standardOutput = FileDescriptorSink(fileDescriptor: STDOUT_FILENO)
    public static let standardError = FileDescriptorSink(fileDescriptor: STDERR_FILENO)

    public func write(_ text: String) {
        lock.withLock { _ in _ = writeFully(fileDescriptor, Array(text.utf8)) }
    }

    /// Raw bytes, for `--quiet` mode where stdout carries exactly the received application data.
    public func write(bytes: [UInt8]) {
        lock.withLock { _ in _ = writeFully(fileDescriptor, bytes) }
    }
}

/// Collects everything written, for tests and for callers that print later.
public final class StringSink: TextSink {
    private let storage = Mutex("")

    public init() {}

    public func write(_ text: String) { storage.withLock { $0 += text } }

    public var text: String { storage.withLock { $0 } }

    /// Returns what was written since the last call and forgets it.
    public func take() -> String {
        storage.withLock { text in
            defer { text = "" }
            return text
        }
    }
}

/// Writes all of `bytes`, retrying after signals and short writes. Returns false if the
/// descriptor is gone (a closed pipe): output to a reader who left is dropped, not fatal.
@discardableResult
func writeFully(_ fileDescriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return Glibc.write(fileDescriptor, base + offset, buffer.count - offset)
        }
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += written
    }
    return true
}

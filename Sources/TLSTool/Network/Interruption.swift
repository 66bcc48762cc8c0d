import Foundation
import Synchronization

/// Ctrl-C (SIGINT) as an event the chat loops can wait for, so that an interrupted tool says
/// goodbye properly: RFC 8446 §6.1 — "Each party MUST send a "close_notify" alert before
/// closing its write side of the connection, unless it has already sent some error alert."
///
/// A signal handler may only do async-signal-safe work, so it writes one byte to a pipe
/// (the self-pipe trick) and the loops that poll their socket poll that pipe too. The handler
/// is armed only where a loop watches the pipe (the client once it chats, the server from the
/// start); anywhere else, and for a second Ctrl-C, SIGINT keeps its default: the process ends
/// at once, as a learner expects when something hangs.
public enum Interruption {
    /// The byte SIGINT writes, readable by poll. -1 until `arm()` first runs.
    public static var descriptor: Int32 { readEnd.load(ordering: .acquiring) }

    /// The exit status of a tool stopped by Ctrl-C: 128 + SIGINT, what a shell reports for a
    /// process the signal ended.
    public static let exitStatus: Int32 = 128 + SIGINT

    /// From now on the first SIGINT wakes `descriptor` instead of ending the process.
    public static func arm() {
        if readEnd.load(ordering: .acquiring) < 0 {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { return }  // no pipe: Ctrl-C keeps its default
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
            writeEnd.store(fds[1], ordering: .releasing)
            readEnd.store(fds[0], ordering: .releasing)
        }
        signal(SIGINT, interruptHandler)
    }

    /// True (once per Ctrl-C) if `ready` holds the wake-up: empties the pipe.
    public static func happened(in ready: Set<Int32>) -> Bool {
        let fd = descriptor
        guard fd >= 0, ready.contains(fd) else { return false }
        var buffer = [UInt8](repeating: 0, count: 16)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
        return true
    }

    private static let readEnd = Atomic<Int32>(-1)
    fileprivate static let writeEnd = Atomic<Int32>(-1)
}

/// The handler: one byte into the pipe, then SIGINT back to its default so a second Ctrl-C
/// ends the process even if the loop is stuck. write(2), signal(2) and an atomic load are
/// async-signal-safe; nothing here allocates or locks.
private func interruptHandler(_ signalNumber: Int32) {
    var byte: UInt8 = 3  // ETX, the byte Ctrl-C stands for
    _ = write(Interruption.writeEnd.load(ordering: .relaxed), &byte, 1)
    signal(SIGINT, SIG_DFL)
}

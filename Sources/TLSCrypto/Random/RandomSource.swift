#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where key material, randoms and salts come from. The production source reads the kernel's
/// CSPRNG; a seeded deterministic source (same protocol) makes a run reproducible for teaching
/// and for committed transcripts. Reference type: one source is shared by everything that draws
/// from it, so draws happen in one well-defined order.
public protocol RandomSource: AnyObject {
    /// Fills `buffer` completely or throws `CryptoError(.randomSourceFailure)`.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws
}

extension RandomSource {
    public func bytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try fill($0) }
        return out
    }
}

/// The kernel's CSPRNG: the production source.
///
/// Reads with `getentropy(3)`, which is the `getrandom(2)` system call (blocking only until the
/// kernel pool is first seeded) with glibc retrying interrupted and short reads; we use it
/// because Swift's Glibc module does not export `<sys/random.h>`. It takes at most 256 bytes
/// per call, so larger requests are filled in chunks. On a kernel without `getrandom` (ENOSYS)
/// it falls back to reading /dev/urandom. Anything else throws `.randomSourceFailure`: a TLS
/// stack must never continue with unfilled key material.
///
/// Stateless, hence safe to share between threads.
public final class SystemRandom: RandomSource, Sendable {
    public init() {}

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let chunk = min(256, buffer.count - offset)
            if getentropy(base + offset, chunk) != 0 {
                let error = errno
                guard error == ENOSYS else {
                    throw CryptoError(.randomSourceFailure, "getentropy failed: errno \(error)")
                }
                try Self.readDevURandom(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset...]))
                return
            }
            offset += chunk
        }
    }

    private static func readDevURandom(into buffer: UnsafeMutableRawBufferPointer) throws {
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CryptoError(.randomSourceFailure, "getrandom unavailable and /dev/urandom cannot be opened: errno \(errno)")
        }
        defer { close(fd) }
        var offset = 0
        while offset < buffer.count {
            let n = read(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw CryptoError(.randomSourceFailure, "reading /dev/urandom failed: errno \(n < 0 ? errno : 0)")
            }
        }
    }
}

/// A reproducible byte stream for teaching, tests and committed transcripts (`--deterministic`).
///
/// **INSECURE: never use it to protect real data.** Anyone who knows or guesses the seed (a
/// 64-bit number, often a small one) can recompute every key and nonce drawn from it.
///
/// The stream is SHA-256(seed ‖ 0) ‖ SHA-256(seed ‖ 1) ‖ SHA-256(seed ‖ 2) ‖ ..., where seed and
/// the block counter are each encoded as 8 big-endian bytes. Draws consume the stream in order
/// and unused bytes of a block carry over to the next draw, so the bytes a run sees depend only
/// on the seed and the total drawn before, not on how draws were split.
///
/// The position in the stream is mutable state shared by everyone holding the source, so it sits
/// in a `Mutex`: a draw from one thread can never interleave with a draw from another, and the
/// class is `Sendable` without `@unchecked` (the compiler checks it: its only stored property is
/// an immutable `Mutex` over a `Sendable` value).
public final class DeterministicRandom: RandomSource, Sendable {
    private struct Stream: Sendable {
        let seed: UInt64
        var counter: UInt64 = 0
        var block: [UInt8] = []
        var used = 0

        mutating func nextByte() -> UInt8 {
            if used == block.count {
                var hash = SHA256()
                hash.update(Self.bigEndianBytes(seed))
                hash.update(Self.bigEndianBytes(counter))
                block = hash.finalize()
                counter &+= 1
                used = 0
            }
            defer { used += 1 }
            return block[used]
        }

        private static func bigEndianBytes(_ value: UInt64) -> [UInt8] {
            (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
        }
    }

    private let stream: Mutex<Stream>

    public init(seed: UInt64) {
        stream = Mutex(Stream(seed: seed))
    }

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        stream.withLock { stream in
            for i in buffer.indices {
                buffer[i] = stream.nextByte()
            }
        }
    }
}

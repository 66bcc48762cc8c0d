// swift-tools-version:6.0
//
// No package dependencies, by design: every primitive (SHA-2, HMAC, HKDF, X25519,
// ChaCha20-Poly1305, AES-GCM, big integers, RSA, DER/X.509) is our own Swift code.
import PackageDescription
import Foundation

// Release builds are tuned for the CPU of the machine that builds them (`-target-cpu native`):
// this is a tool people build from source, and the SIMD code in ChaCha20 runs ~10x faster
// when the compiler may use AVX2 / NEON. Set TLS13_PORTABLE=1 to build for the generic
// baseline of the architecture instead (the scalar fallbacks keep that build decent; the
// TLS13_PORTABLE compilation condition lets code choose them).
let portable = ProcessInfo.processInfo.environment["TLS13_PORTABLE"] != nil
let nativeCPU: [SwiftSetting] = portable ? [.define("TLS13_PORTABLE")] : [
    .unsafeFlags(["-target-cpu", "native"], .when(configuration: .release)),
]
let package = Package(
    name: "tls13-swift",
    products: [
        .library(name: "TLSCrypto", targets: ["TLSCrypto"]),
        .library(name: "TLS13", targets: ["TLS13"]),
        .executable(name: "tls13-client", targets: ["tls13-client"]),
        .executable(name: "tls13-server", targets: ["tls13-server"]),
        .executable(name: "tls13-demo", targets: ["tls13-demo"]),
        .executable(name: "tls13-bench", targets: ["tls13-bench"]),
        .executable(name: "tls13-compare", targets: ["tls13-compare"]),
        .executable(name: "tls13-fuzz", targets: ["tls13-fuzz"]),
        .executable(name: "tls13-timing", targets: ["tls13-timing"]),
        .executable(name: "quic-server", targets: ["quic-server"]),
        .executable(name: "quic-client", targets: ["quic-client"]),
        .library(name: "QUIC", targets: ["QUIC"]),
    ],
    targets: [
        // Primitives. Knows nothing about TLS.
        .target(name: "TLSCrypto", swiftSettings: nativeCPU),
        // Wire format, record layer, key schedule, sans-I/O handshake state machines.
        .target(name: "TLS13", dependencies: ["TLSCrypto"], swiftSettings: nativeCPU),
        // What the executables share: flags, sockets, the trace printer, key log.
        // QUIC/ holds quic-server's and quic-client's commands, trace and UDP socket.
        .target(name: "TLSTool", dependencies: ["TLS13", "TLSCrypto", "QUIC", "RFC8448Reader", "Loopback"], swiftSettings: nativeCPU),
        // Reading RFC 8448's traces (and traces in its layout): tls13-compare and the tests of
        // every layer share this one reader.
        .target(name: "RFC8448Reader", dependencies: ["TLS13", "TLSCrypto"], swiftSettings: nativeCPU),

        .executableTarget(name: "tls13-client", dependencies: ["TLSTool"], swiftSettings: nativeCPU),
        .executableTarget(name: "tls13-server", dependencies: ["TLSTool"], swiftSettings: nativeCPU),
        .executableTarget(name: "tls13-demo", dependencies: ["TLSTool"], swiftSettings: nativeCPU),
        .executableTarget(name: "quic-server", dependencies: ["TLSTool"], swiftSettings: nativeCPU),
        .executableTarget(name: "quic-client", dependencies: ["TLSTool"], swiftSettings: nativeCPU),
        .executableTarget(name: "tls13-bench", dependencies: ["TLSCrypto", "TLSTool"], swiftSettings: nativeCPU),
        .executableTarget(name: "tls13-compare", dependencies: ["TLSTool", "RFC8448Reader"], swiftSettings: nativeCPU),
        // A dudect-style timing check of the secret-dependent primitives (Scripts/timing.sh).
        .executableTarget(name: "tls13-timing", dependencies: ["TLSCrypto"], swiftSettings: nativeCPU),

        // The fuzz entry function (every target of Scripts/fuzz.sh), and the program that runs
        // it: a corpus replayer normally, a libFuzzer binary when built with -DTLS13_FUZZ.
        .target(name: "TLSFuzz", dependencies: ["TLS13", "TLSCrypto", "Loopback"], swiftSettings: nativeCPU),
        .executableTarget(name: "tls13-fuzz", dependencies: ["TLSFuzz"], swiftSettings: nativeCPU),

        // QUIC v1 (RFC 9000/9001/9002) around the same TLS engine: packets, protection, frames,
        // recovery, the sans-I/O connection. Knows nothing of sockets or terminals.
        .target(name: "QUIC", dependencies: ["TLS13", "TLSCrypto"], swiftSettings: nativeCPU),
        // Our client and our server joined in memory, no sockets, no threads, no real clock:
        // TLSLoopback for two TLSConnections, QUICLoopback for a QUIC client and server endpoint
        // on a virtual clock with loss. The transcripts, the fuzzer's seeds and the tests of
        // every layer move their bytes through it.
        .target(name: "Loopback", dependencies: ["TLS13", "QUIC"], swiftSettings: nativeCPU),

        .testTarget(name: "QUICTests", dependencies: ["QUIC", "TLS13", "TLSCrypto", "Loopback"]),
        .testTarget(name: "TLSCryptoTests", dependencies: ["TLSCrypto", "RFC8448Reader"]),
        .testTarget(name: "TLS13Tests", dependencies: ["TLS13", "TLSCrypto", "RFC8448Reader", "Loopback"]),
        .testTarget(name: "ToolTests", dependencies: ["TLSTool", "TLS13", "TLSCrypto", "TLSFuzz", "QUIC", "RFC8448Reader", "Loopback"]),
    ]
)

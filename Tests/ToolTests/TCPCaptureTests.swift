import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// The OpenSSL 3.0 ChaCha20 connection of Tests/Vectors/openssl-chacha: every record's wire bytes,
/// grouped by side in the JSON, put back in the order they crossed the loopback.
struct OpenSSLChaChaConnection {
    var chunks: [TCPChunk] = []
    var keyLog: String
    /// The application data (plaintext) each side sent.
    var applicationData: [[UInt8]] = []

    /// How many records each flight held in the original capture (openssl-chacha.pcapng):
    /// ClientHello | ServerHello, CCS, EncryptedExtensions, Certificate, CertificateVerify,
    /// Finished | CCS, Finished, "GET /" | 2 NewSessionTicket, the page, close_notify | close_notify.
    static let flights: [(Side, Int)] = [(.client, 1), (.server, 6), (.client, 3), (.server, 4), (.client, 1)]

    init() throws {
        struct Trace: Decodable {
            struct Record: Decodable {
                var from: String
                var record: String
                var inner_content_type: Int?
                var plaintext: String?
            }
            var records: [Record]
        }
        let trace = try JSONDecoder().decode(Trace.self, from: ToolVectors.data("openssl-chacha/openssl-chacha-trace.json"))
        keyLog = try ToolVectors.text("openssl-chacha/openssl-chacha.keylog")
        var remaining: [Side: ArraySlice<Trace.Record>] = [
            .client: ArraySlice(trace.records.filter { $0.from == "client" }),
            .server: ArraySlice(trace.records.filter { $0.from == "server" }),
        ]
        for (side, count) in Self.flights {
            for record in remaining[side, default: []].prefix(count) {
                chunks.append(TCPChunk(from: side, try #require([UInt8](hex: record.record))))
                if record.inner_content_type == 23, let plaintext = record.plaintext {
                    applicationData.append(try #require([UInt8](hex: plaintext)))
                }
            }
            remaining[side] = remaining[side, default: []].dropFirst(count)
        }
        #expect(remaining.values.allSatisfy { $0.isEmpty }, "every record of the trace is placed in a flight")
    }
}

/// Runs the Debian `tshark` binary when it is installed.
enum Tshark {
    static let path: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark", "/opt/homebrew/bin/tshark"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `tshark -r file` with no key log file of its own (`tls.keylog_file` empty), so any
    /// decryption comes from the Decryption Secrets Block inside the capture.
    static func read(_ file: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = ["-r", file.path, "-o", "tls.keylog_file:"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tshark \(arguments.joined(separator: " ")) failed")
        return String(decoding: data, as: UTF8.self)
    }

    /// Packets with a bad IPv4 or TCP checksum, or anything TCP analysis flags (retransmission,
    /// lost segment, window full, ACKed unseen segment, ...): empty for a sound capture.
    static func problems(_ file: URL) throws -> String {
        try read(file, [
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-Y", "ip.checksum.status != 1 || tcp.checksum.status != 1 || tcp.analysis.flags",
        ])
    }
}

@Suite("TCP capture and pcapng")
struct TCPCaptureTests {
    @Test("RFC 1071 §3: the Internet checksum of the numerical example")
    func internetChecksumExample() {
        // RFC 1071 §3: the sum of 0001 f203 f4f5 f6f7 is ddf2, so the checksum is its complement.
        #expect(internetChecksum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]) == ~UInt16(0xddf2))
    }

    @Test("Same chunks, same key log: byte-identical files")
    func deterministic() throws {
        let connection = try OpenSSLChaChaConnection()
        let first = TCPCapture().pcapng(chunks: connection.chunks, keyLog: connection.keyLog)
        let second = TCPCapture().pcapng(chunks: connection.chunks, keyLog: connection.keyLog)
        #expect(first == second)
    }

    @Test("Segments never exceed the MSS and carry the streams exactly once, in order")
    func segmentation() throws {
        let connection = try OpenSSLChaChaConnection()
        let capture = TCPCapture(maximumSegmentSize: 536)
        var received: [Side: [UInt8]] = [:]
        for packet in capture.packets(chunks: connection.chunks) {
            let headerLength = Int(packet[20 + 12] >> 4) * 4
            let payload = packet[(20 + headerLength)...]
            #expect(payload.count <= 536)
            let from: Side = (UInt16(packet[20]) << 8 | UInt16(packet[21])) == capture.clientPort ? .client : .server
            received[from, default: []] += payload
        }
        #expect(received[.client] == connection.chunks.filter { $0.from == .client }.flatMap(\.bytes))
        #expect(received[.server] == connection.chunks.filter { $0.from == .server }.flatMap(\.bytes))
    }

    @Test("pcapng §4.7: the Decryption Secrets Block holds the key log and precedes every packet")
    func blockOrder() throws {
        let connection = try OpenSSLChaChaConnection()
        let file = TCPCapture().pcapng(chunks: connection.chunks, keyLog: connection.keyLog)
        var types: [UInt32] = []
        var offset = 0
        var secrets: [UInt8] = []
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(file[at + $1]) << (8 * UInt32($1)) } }
        while offset + 12 <= file.count {
            let type = u32(offset), length = Int(u32(offset + 4))
            #expect(length % 4 == 0 && u32(offset + length - 4) == UInt32(length))
            if type == 0x0000_000A {
                #expect(u32(offset + 8) == 0x544C_534B)
                secrets = Array(file[(offset + 16)..<(offset + 16 + Int(u32(offset + 12)))])
            }
            types.append(type)
            offset += length
        }
        #expect(offset == file.count)
        #expect(Array(types.prefix(3)) == [0x0A0D_0D0A, 0x0000_0001, 0x0000_000A])
        #expect(types.dropFirst(3).allSatisfy { $0 == 0x0000_0006 })
        #expect(String(decoding: secrets, as: UTF8.self) == connection.keyLog)
    }

    @Test("tshark decrypts the capture with only the embedded key log",
          .enabled(if: Tshark.path != nil, "tshark is not installed (Debian package tshark)"))
    func tsharkDecrypts() throws {
        let connection = try OpenSSLChaChaConnection()
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("tls13-capture-\(ProcessInfo.processInfo.processIdentifier).pcapng")
        try Data(TCPCapture().pcapng(chunks: connection.chunks, keyLog: connection.keyLog)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        // Every handshake message, including the encrypted ones, is dissected.
        let handshakeTypes = try Tshark.read(file, ["-Y", "tls.handshake.type", "-T", "fields", "-e", "tls.handshake.type"])
            .split(whereSeparator: \.isNewline).flatMap { $0.split(separator: ",") }.map(String.init)
        #expect(handshakeTypes == ["1", "2", "8", "11", "15", "20", "20", "4", "4"])

        // The decrypted application data of each side appears as a "Decrypted TLS" data source.
        let dump = try Tshark.read(file, ["-x"])
        #expect(dump.contains("Decrypted TLS"))
        let decrypted = Self.hexDumpBytes(dump)
        for plaintext in connection.applicationData {
            #expect(decrypted.contains(plaintext.hexString), "plaintext \(plaintext.prefix(16).hexString)… was decrypted")
        }

        let problems = try Tshark.problems(file)
        #expect(problems.isEmpty, "tshark found: \(problems)")
    }

    @Test("A 1 MB transfer is a valid TCP stream to tshark (checksums, window, acknowledgements)",
          .enabled(if: Tshark.path != nil, "tshark is not installed (Debian package tshark)"))
    func longTransfer() throws {
        let chunks = [
            TCPChunk(from: .client, Array("request".utf8)),
            TCPChunk(from: .server, (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0) }),
            TCPChunk(from: .client, Array("thanks".utf8)),
        ]
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("tls13-capture-long-\(ProcessInfo.processInfo.processIdentifier).pcapng")
        try Data(TCPCapture().pcapng(chunks: chunks, keyLog: "")).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let problems = try Tshark.problems(file)
        #expect(problems.isEmpty, "tshark found: \(problems.prefix(2000))")
        // Without acknowledgements during the flight the sender would have more unacknowledged
        // bytes in flight than the 65535-byte window the receiver advertises.
        let inFlight = try Tshark.read(file, ["-T", "fields", "-e", "tcp.analysis.bytes_in_flight"])
            .split(whereSeparator: \.isNewline).compactMap { Int($0) }
        #expect(inFlight.count > 600)
        #expect(inFlight.allSatisfy { $0 <= 65535 }, "largest bytes in flight: \(inFlight.max() ?? 0)")
    }

    @Test("One endpoint's events give both streams in order and the NSS key log")
    func recordingFromClientEvents() throws {
        let connection = try OpenSSLChaChaConnection()
        var recording = CaptureRecording(side: .client)
        for chunk in connection.chunks {
            let record = RecordTrace(contentType: ContentType(rawValue: chunk.bytes[0]), bytes: chunk.bytes)
            recording.record(.record(chunk.from == .client ? .sent : .received, record))
        }
        var expectedKeyLog = ""
        for line in connection.keyLog.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            recording.record(.keyLog(label: String(fields[0]), clientRandom: try #require([UInt8](hex: fields[1])),
                                     secret: try #require([UInt8](hex: fields[2]))))
            expectedKeyLog += line + "\n"
        }
        recording.record(.note("not part of a capture"))
        #expect(recording.chunks == connection.chunks)
        #expect(recording.keyLog == expectedKeyLog)
        #expect(recording.pcapng() == TCPCapture().pcapng(chunks: connection.chunks, keyLog: expectedKeyLog))
    }

    /// The bytes of every "Decrypted TLS" block of `tshark -x` output, as one hex string per block
    /// joined by newlines (lines look like `0000  47 45 54 20 ...   GET ...`).
    static func hexDumpBytes(_ dump: String) -> String {
        var blocks: [String] = []
        var inDecrypted = false
        for line in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Decrypted TLS") {
                inDecrypted = true
                blocks.append("")
            } else if line.isEmpty || !(line.first?.isHexDigit ?? false) {
                inDecrypted = false
            } else if inDecrypted {
                let hexPart = line.dropFirst(6).prefix(3 * 16 + 1)
                blocks[blocks.count - 1] += hexPart.split(separator: " ").joined()
            }
        }
        return blocks.joined(separator: "\n")
    }
}

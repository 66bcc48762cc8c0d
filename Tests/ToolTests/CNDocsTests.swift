import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// Issue 7, "Rules": the Chinese walkthrough in CN_docs/ quotes only what the programs really
/// print, and names only files that exist.
///
/// A quoted output block is marked by an HTML comment on the line just before its fence
/// (CN_docs/README.md explains this to authors):
///
///     <!-- transcript: transcripts/deterministic-client.txt -->
///     ```text
///     ...lines copied from that file...
///     ```
///
/// The block's lines, joined with newlines, must appear verbatim in the named file: a committed
/// transcript (transcripts/..., itself checked against what the code prints now) or an RFC text
/// (Tests/Vectors/rfc/...). A quote of tshark's output names the capture and tshark's arguments,
///
///     <!-- tshark: transcripts/deterministic.pcapng -Y tls -->
///
/// and must appear verbatim in what `tshark -r FILE ARGS...` prints now (skipped without tshark).
/// A quote of `tls13-compare TRACE --no-color` names the trace, `<!-- tls13-compare: TRACE -->` (or
/// `<!-- tls13-compare: TRACE --section N -->`), and must appear verbatim in the report that tool
/// prints for it (computed here the way its main does).
@Suite("CN_docs")
struct CNDocsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let docsDirectory = packageRoot.appendingPathComponent("CN_docs")

    /// Every Markdown file of CN_docs/, by name.
    static let documents: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docsDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted()
    }()

    struct QuotedBlock {
        enum Source: Equatable {
            case file(String)
            /// A capture and the tshark arguments that print the quoted lines.
            case tshark(capture: String, arguments: [String])
            /// A trace in RFC 8448 layout, held by `tls13-compare` against the section it matches best.
            case comparison(trace: String)
        }
        var source: Source
        var line: Int
        var text: String
    }

    /// Where quoted files may live: the committed transcripts and the RFC texts.
    static let quotableDirectories = ["transcripts/", "Tests/Vectors/rfc/"]

    enum MarkingError: Error, CustomStringConvertible {
        case noFenceAfterMarker(line: Int)
        case unclosedFence(line: Int)

        var description: String {
            switch self {
            case .noFenceAfterMarker(let line): "line \(line): a transcript marker must sit on the line just before a ``` fence"
            case .unclosedFence(let line): "line \(line): the quoted block's fence is never closed"
            }
        }
    }

    static func read(_ document: String) throws -> String {
        try String(contentsOf: docsDirectory.appendingPathComponent(document), encoding: .utf8)
    }

    /// The blocks marked `<!-- transcript: PATH -->` or `<!-- tshark: CAPTURE ARGS... -->` in
    /// `markdown`, with the 1-based line of their fence.
    static func quotedBlocks(in markdown: String) throws -> [QuotedBlock] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [QuotedBlock] = []
        var index = 0
        // The backticks that opened the fenced block we are in (examples of the convention
        // itself sit inside a ```` fence and are not quotes).
        var openFence: Substring?
        while index < lines.count {
            defer { index += 1 }
            let line = lines[index]
            let backticks = line.prefix { $0 == "`" }
            if let fence = openFence {
                if backticks.count >= fence.count && line.allSatisfy({ $0 == "`" }) { openFence = nil }
                continue
            }
            if backticks.count >= 3 {
                openFence = backticks
                continue
            }
            let source: QuotedBlock.Source
            if let path = marker("transcript", in: line) {
                source = .file(path)
            } else if let trace = marker("tls13-compare", in: line) {
                source = .comparison(trace: trace)
            } else if let command = marker("tshark", in: line) {
                let words = command.split(separator: " ").map(String.init)
                source = .tshark(capture: words.first ?? "", arguments: Array(words.dropFirst()))
            } else {
                continue
            }
            let fenceIndex = index + 1
            guard fenceIndex < lines.count, lines[fenceIndex].hasPrefix("```") else {
                throw MarkingError.noFenceAfterMarker(line: index + 1)
            }
            guard let closing = lines[(fenceIndex + 1)...].firstIndex(where: { $0 == "```" }) else {
                throw MarkingError.unclosedFence(line: fenceIndex + 1)
            }
            let text = lines[(fenceIndex + 1)..<closing].joined(separator: "\n")
            blocks.append(QuotedBlock(source: source, line: fenceIndex + 1, text: text))
            index = closing
        }
        return blocks
    }

    /// The text of `<!-- NAME: text -->`, or nil when `line` is not that comment.
    static func marker(_ name: String, in line: String) -> String? {
        let opening = "<!-- \(name):"
        guard line.hasPrefix(opening), line.hasSuffix("-->") else { return nil }
        return line.dropFirst(opening.count).dropLast("-->".count).trimmingCharacters(in: .whitespaces)
    }

    static func isQuotable(_ path: String) -> Bool {
        quotableDirectories.contains { path.hasPrefix($0) } && !path.contains("..")
    }

    /// What tshark prints for `capture` with `arguments`, run from the package root; nil when
    /// tshark is not installed.
    static func tsharkOutput(capture: String, arguments: [String]) throws -> String? {
        guard let tshark = tsharkPath else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", capture] + arguments
        process.currentDirectoryURL = packageRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// What `tls13-compare TRACE --no-color` prints (Sources/tls13-compare/main.swift): the section
    /// of RFC 8448 the trace matches best, then the report.
    static func comparisonReport(trace marker: String) throws -> String {
        let words = marker.split(separator: " ").map(String.init)
        let trace = words.first ?? ""
        let section = words.count == 3 && words[1] == "--section" ? Int(words[2]) : nil
        let rfc = try String(contentsOf: packageRoot.appendingPathComponent("Tests/Vectors/rfc/rfc8448.txt"), encoding: .utf8)
        let ours = try String(contentsOf: packageRoot.appendingPathComponent(trace), encoding: .utf8)
        let best = try RFC8448Comparison.bestMatch(rfcText: rfc, traceText: ours,
                                                   sections: section.map { [$0] } ?? RFC8448Section.allCases.map(\.rawValue))
        return "RFC 8448 §\(best.section)\n" + best.comparison.report(colors: false)
    }

    static let tsharkPath = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first(where: FileManager.default.isExecutableFile)
    static let tsharkInstalled = tsharkPath != nil

    /// Repository paths named in the text: Sources/..., Tests/..., Scripts/..., cert/...,
    /// transcripts/... (not preceded by another path character, so `/etc/cert/x` is not one).
    static func namedPaths(in markdown: String) throws -> [String] {
        let pattern = #"(?<![A-Za-z0-9_./-])(?:Sources|Tests|Scripts|cert|transcripts)/[A-Za-z0-9_./+-]*"#
        let regex = try NSRegularExpression(pattern: pattern)
        let range = NSRange(markdown.startIndex..., in: markdown)
        return regex.matches(in: markdown, range: range).compactMap { match in
            Range(match.range, in: markdown).map { String(markdown[$0]) }
        }.map { path in
            var path = path
            while let last = path.last, last == "." || last == "," { path.removeLast() }
            return path
        }
    }

    @Test("CN_docs has its index and the eleven chapters of issue 7")
    func documentsExist() {
        #expect(Self.documents.contains("README.md"))
        #expect(Self.documents.count >= 12, "found \(Self.documents)")
    }

    @Test("Every quoted output block appears verbatim in the transcript it names", arguments: documents)
    func quotesAreVerbatim(_ document: String) throws {
        for block in try Self.quotedBlocks(in: try Self.read(document)) {
            guard case .file(let path) = block.source else { continue }
            #expect(Self.isQuotable(path), "\(document):\(block.line) quotes \(path), which is not a transcript or an RFC text")
            let url = Self.packageRoot.appendingPathComponent(path)
            guard let transcript = try? String(contentsOf: url, encoding: .utf8) else {
                Issue.record("\(document):\(block.line) quotes \(path), which cannot be read")
                continue
            }
            #expect(!block.text.isEmpty, "\(document):\(block.line): empty quoted block")
            #expect(transcript.contains(block.text),
                    "\(document):\(block.line): this block does not appear verbatim in \(path)")
        }
    }

    @Test("Every quoted tls13-compare block appears verbatim in the report for the committed trace", arguments: documents)
    func comparisonQuotesAreVerbatim(_ document: String) throws {
        for block in try Self.quotedBlocks(in: try Self.read(document)) {
            guard case .comparison(let trace) = block.source else { continue }
            #expect(trace.hasPrefix("transcripts/"), "\(document):\(block.line) compares \(trace), which is not a transcript")
            let report = try Self.comparisonReport(trace: trace)
            #expect(!block.text.isEmpty, "\(document):\(block.line): empty quoted block")
            #expect(report.contains(block.text),
                    "\(document):\(block.line): this block is not what `tls13-compare \(trace) --no-color` prints")
        }
    }

    @Test("Every quoted tshark block appears verbatim in what tshark prints for the committed capture",
          .enabled(if: tsharkInstalled, "tshark is not installed"), arguments: documents)
    func tsharkQuotesAreVerbatim(_ document: String) throws {
        for block in try Self.quotedBlocks(in: try Self.read(document)) {
            guard case .tshark(let capture, let arguments) = block.source else { continue }
            #expect(Self.isQuotable(capture) && capture.hasSuffix(".pcapng"),
                    "\(document):\(block.line) runs tshark on \(capture), which is not a committed capture")
            #expect(FileManager.default.fileExists(atPath: Self.packageRoot.appendingPathComponent(capture).path),
                    "\(document):\(block.line): \(capture) does not exist")
            let output = try #require(try Self.tsharkOutput(capture: capture, arguments: arguments))
            #expect(!block.text.isEmpty, "\(document):\(block.line): empty quoted block")
            #expect(output.contains(block.text),
                    "\(document):\(block.line): this block is not what `tshark -r \(capture) \(arguments.joined(separator: " "))` prints")
        }
    }

    @Test("The walkthrough quotes real output: many marked blocks across the chapters")
    func quotesExist() throws {
        var total = 0
        for document in Self.documents {
            total += try Self.quotedBlocks(in: try Self.read(document)).count
        }
        #expect(total >= 20, "only \(total) quoted blocks")
    }

    @Test("Every repository path the docs name exists", arguments: documents)
    func namedPathsExist(_ document: String) throws {
        for path in try Self.namedPaths(in: try Self.read(document)) {
            let exists = FileManager.default.fileExists(atPath: Self.packageRoot.appendingPathComponent(path).path)
            #expect(exists, "\(document) names \(path), which does not exist")
        }
    }

    // MARK: Values written in the prose

    /// The markdown with every marked quote removed: the prose, tables and unmarked blocks
    /// (hand calculations, sketches) that people write and that no quote check covers.
    static func unquotedText(of markdown: String) throws -> String {
        let quote = try NSRegularExpression(pattern: #"<!-- (?:transcript|tshark|tls13-compare):[^\n]*-->\n```[^\n]*\n.*?\n```"#,
                                            options: [.dotMatchesLineSeparators])
        return quote.stringByReplacingMatches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown), withTemplate: "")
    }

    /// Hex values in `text`: runs of four or more spaced bytes, with at most one "…" standing for
    /// bytes left out ("4c 43 13 c5 … 72 44 c9"), and unspaced ones in backticks (`5d992c68…`).
    /// Each value is returned as its parts around the "…", in compact lower-case hex.
    static func hexValues(in text: String) throws -> [[String]] {
        let spaced = try NSRegularExpression(
            pattern: #"(?<![0-9A-Za-z])[0-9a-f]{2}(?: [0-9a-f]{2}){3,}(?: … [0-9a-f]{2}(?: [0-9a-f]{2})*)?(?![0-9A-Za-z])"#)
        let compact = try NSRegularExpression(pattern: #"`([0-9a-f]{8,})…?`"#)
        let range = NSRange(text.startIndex..., in: text)
        var values: [[String]] = spaced.matches(in: text, range: range).compactMap { match in
            Range(match.range, in: text).map { text[$0].components(separatedBy: "…").map { $0.filter { $0 != " " } } }
        }
        values += compact.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { [String(text[$0])] }
        }
        return values
    }

    /// Every committed transcript and key log, as one string of hex digits with everything else
    /// removed: a value printed across lines or inside a hexdump still matches.
    static let transcriptHex: String = {
        let directory = packageRoot.appendingPathComponent("transcripts")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".keylog") }.sorted()
        return names.map { name -> String in
            let text = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return String(text.unicodeScalars.filter { "0123456789abcdef".unicodeScalars.contains($0) }.map(Character.init))
        }.joined(separator: "|")
    }()

    /// Constants the RFC fixes and the docs name, which no connection prints: RFC 8446 §4.1.3's
    /// downgrade sentinel ("DOWNGRD" and 01 for TLS 1.2).
    static let rfcConstants = ["444f574e47524401"]

    /// Chapter 03 decrypts the client's first application-data record of
    /// transcripts/deterministic-x25519-client.txt by hand and writes down values the program never
    /// prints: the Poly1305 one-time key, the Poly1305 input, the keystream, the TLSInnerPlaintext,
    /// and (for `--deterministic` keystream reuse) the start of "hello server\n" encrypted under the
    /// same key and nonce. They are computed here from the committed key log, with our ChaCha20 and
    /// Poly1305 (CN_docs/tools/decrypt_record.py computes them with Python's `cryptography`),
    /// and allowed in that chapter only. The record this computation seals must be in the
    /// transcript, so these values cannot drift from the record the chapter quotes.
    static func chapterThreeComputedValues() throws -> (record: [UInt8], values: [[UInt8]]) {
        let keyLog = try String(contentsOf: packageRoot.appendingPathComponent("transcripts/deterministic-x25519.keylog"), encoding: .utf8)
        let line = try #require(keyLog.split(separator: "\n").first { $0.hasPrefix("CLIENT_TRAFFIC_SECRET_0 ") })
        let secretHex = try #require(line.split(separator: " ").last)
        let secret = try #require([UInt8](hex: secretHex))
        let key = try HKDF<SHA256>.expand(prk: secret, info: try KeySchedule.hkdfLabel("key", context: [], length: 32), length: 32)
        let nonce = try HKDF<SHA256>.expand(prk: secret, info: try KeySchedule.hkdfLabel("iv", context: [], length: 12), length: 12)
        let innerPlaintext = Array("Hello from the client!\n".utf8) + [0x17]
        let header: [UInt8] = [0x17, 0x03, 0x03, 0x00, UInt8(innerPlaintext.count + 16)]
        let sealed = try ChaCha20Poly1305(key: key).seal(nonce: nonce, plaintext: innerPlaintext, additionalData: header)
        let chacha = try ChaCha20(key: key, nonce: nonce)
        let oneTimeKey = Array(chacha.keystreamBlock(counter: 0).prefix(32))
        let keystream = chacha.encrypt([UInt8](repeating: 0, count: innerPlaintext.count), counter: 1)
        let ciphertext = Array(sealed.dropLast(16))
        func padded(_ bytes: [UInt8]) -> [UInt8] { bytes + [UInt8](repeating: 0, count: (16 - bytes.count % 16) % 16) }
        func le64(_ n: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } }
        let poly1305Input = padded(header) + padded(ciphertext) + le64(header.count) + le64(ciphertext.count)
        #expect(try Poly1305.authenticationCode(key: oneTimeKey, message: poly1305Input) == Array(sealed.suffix(16)))
        let otherMessage = chacha.encrypt(Array("hello server\n".utf8), counter: 1)
        return (header + sealed, [oneTimeKey, poly1305Input, keystream, innerPlaintext, otherMessage])
    }

    @Test("Hex values in the prose are current: in a transcript, or computed from one in the test", arguments: documents)
    func proseValuesAreCurrent(_ document: String) throws {
        var allowed = Self.rfcConstants
        if document.hasPrefix("03-") {
            let computed = try Self.chapterThreeComputedValues()
            #expect(Self.transcriptHex.contains(computed.record.hexString),
                    "chapter 03's record is no longer in transcripts/deterministic-x25519-client.txt")
            allowed += computed.values.map(\.hexString)
        }
        for parts in try Self.hexValues(in: try Self.unquotedText(of: try Self.read(document))) {
            let found = parts.allSatisfy { part in
                Self.transcriptHex.contains(part) || allowed.contains { $0.contains(part) }
            }
            #expect(found, "\(document): \(parts.joined(separator: " … ")) is in no transcript (a stale value?)")
        }
    }

    @Test("The marker parser: a quote that differs from the file by one character is not verbatim")
    func markerParser() throws {
        let markdown = """
            text
            <!-- transcript: transcripts/x.txt -->
            ```text
            a
            b
            ```
            """
        let blocks = try Self.quotedBlocks(in: markdown)
        #expect(blocks.count == 1)
        #expect(blocks.first?.source == .file("transcripts/x.txt"))
        #expect(blocks.first?.text == "a\nb")
        #expect("0\na\nb\n".contains(blocks[0].text))
        #expect(!"0\na\nc\n".contains(blocks[0].text))
        #expect(throws: MarkingError.self) { try Self.quotedBlocks(in: "<!-- transcript: transcripts/x -->\nno fence") }
        let example = "````\n<!-- transcript: transcripts/x.txt -->\n```text\nnot a quote\n```\n````"
        #expect(try Self.quotedBlocks(in: example).isEmpty)
        let tshark = try Self.quotedBlocks(in: "<!-- tshark: transcripts/c.pcapng -Y tls -->\n```text\n  4 Client Hello\n```")
        #expect(tshark.first?.source == .tshark(capture: "transcripts/c.pcapng", arguments: ["-Y", "tls"]))
        #expect(Self.isQuotable("Tests/Vectors/rfc/rfc8448.txt") && !Self.isQuotable("Sources/TLS13/Alert.swift"))
        #expect(try Self.hexValues(in: "key `4c 43 13 c5 … 72 44 c9`, `5d992c68…`, `17 03 03` and 0x0303")
                == [["4c4313c5", "7244c9"], ["5d992c68"]])
        let quoted = "a 01 02 03 04\n<!-- transcript: transcripts/x.txt -->\n```text\n05 06 07 08\n```\nb"
        #expect(try Self.hexValues(in: try Self.unquotedText(of: quoted)) == [["01020304"]])
        #expect(try Self.namedPaths(in: "see Sources/TLS13/Wire/ByteReader.swift。and /etc/cert/x, cert/ca.crt.")
                == ["Sources/TLS13/Wire/ByteReader.swift", "cert/ca.crt"])
    }
}

import Foundation
import Testing
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
/// A quote of `tls13-compare TRACE --no-color` names the trace, `<!-- tls13-compare: TRACE -->`, and
/// must appear verbatim in the report that tool prints for it (computed here the way its main does).
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
            /// A trace in RFC 8448 layout, held against RFC 8448 §3 by `tls13-compare`.
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

    /// What `tls13-compare TRACE --no-color` prints (Sources/tls13-compare/main.swift).
    static func comparisonReport(trace: String) throws -> String {
        let rfc = try String(contentsOf: packageRoot.appendingPathComponent("Tests/Vectors/rfc/rfc8448.txt"), encoding: .utf8)
        let ours = try String(contentsOf: packageRoot.appendingPathComponent(trace), encoding: .utf8)
        let comparison = RFC8448Comparison(expected: try RFC8448Trace(rfc8448Section3: rfc).entries,
                                           actual: try RFC8448Trace(parsing: ours).entries)
        return comparison.report(colors: false)
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
        #expect(try Self.namedPaths(in: "see Sources/TLS13/Wire/ByteReader.swift。and /etc/cert/x, cert/ca.crt.")
                == ["Sources/TLS13/Wire/ByteReader.swift", "cert/ca.crt"])
    }
}

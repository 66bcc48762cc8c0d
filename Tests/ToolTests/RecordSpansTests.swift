import Foundation
import Loopback
import Synchronization
import Testing
import TLS13
import TLSTool

/// Issue 12, "Records fully labelled": the spans `RecordSpans` gives a record are what every
/// renderer shows, so they must name each byte of the record exactly once.
@Suite("Record spans: every byte of every record labelled exactly once")
struct RecordSpansTests {
    /// Every record of the deterministic transcript's connection, as the client sent and read them.
    static func deterministicRecords() throws -> [RecordTrace] {
        var (client, server) = try Transcripts.deterministicConfigurations(locate: { ToolProcess.repositoryRoot.appendingPathComponent($0).path })
        let records = Mutex<[RecordTrace]>([])
        client.observer = { event in
            if case .record(_, let record) = event { records.withLock { $0.append(record) } }
        }
        server.observer = { event in
            if case .record(_, let record) = event { records.withLock { $0.append(record) } }
        }
        _ = try TLSLoopback(client: client, server: server)
            .exchange(clientData: Array(Transcripts.clientMessage.utf8), serverData: Array(Transcripts.serverMessage.utf8))
        return records.withLock { $0 }
    }

    @Test("Wire spans and inner-plaintext spans cover each record of the deterministic connection, no gap, no overlap")
    func coverage() throws {
        let records = try Self.deterministicRecords()
        #expect(records.count >= 20)
        #expect(records.contains { $0.protection != nil } && records.contains { $0.protection == nil })
        for record in records {
            let spans = RecordSpans(record)
            #expect(spans.wire.bytes == record.bytes)
            #expect(spans.wire.coversEveryByteOnce, "\(spans.wire.spans.map { ($0.name, $0.range) })")
            #expect(spans.wire.spans.map(\.range.count).reduce(0, +) == record.bytes.count)
            #expect(spans.wire.spans.prefix(3).map(\.name).dropFirst() == ["legacy_record_version", "length"])
            guard let protection = record.protection, let inner = spans.innerPlaintext else {
                #expect(spans.innerPlaintext == nil && spans.wire.spans.last?.name == "fragment")
                continue
            }
            #expect(spans.wire.spans.map(\.name) == ["opaque_type", "legacy_record_version", "length", "encrypted_record", "tag"])
            #expect(Array(spans.wire.bytes(of: spans.wire.spans[4])) == protection.tag)
            // TLSInnerPlaintext is exactly as long as encrypted_record (the AEAD adds only the tag).
            #expect(inner.bytes.count == spans.wire.spans[3].range.count)
            #expect(inner.coversEveryByteOnce, "\(inner.spans.map { ($0.name, $0.range) })")
            #expect(inner.spans.map(\.range.count).reduce(0, +) == inner.bytes.count)
            #expect(inner.spans.first { $0.name == "type" }.map { inner.bytes[$0.range.lowerBound] } == protection.innerContentType.rawValue)
        }
    }

    @Test("A record too short for its header is labelled as such, still byte for byte")
    func truncatedHeader() {
        let spans = RecordSpans(RecordTrace(contentType: .handshake, bytes: [0x16, 0x03]))
        #expect(spans.wire.coversEveryByteOnce)
        #expect(spans.wire.spans.map(\.name) == ["truncated_header"])
    }

    @Test("Padding is labelled as zeros after the real content type")
    func padding() {
        var record = TraceFixtures.protectedRecord
        record.protection?.content = [0x14]  // one byte shorter than the fixture: room for one zero
        record.protection?.paddingLength = 1
        let inner = RecordSpans(record).innerPlaintext
        #expect(inner?.bytes == [0x14, 0x16, 0x00])
        #expect(inner?.spans.map(\.name) == ["content", "type", "zeros"])
        #expect(inner?.coversEveryByteOnce == true)
    }
}

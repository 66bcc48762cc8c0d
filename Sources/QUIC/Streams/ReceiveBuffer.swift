/// RFC 9000 §2.2 and §19.6: stream and CRYPTO data arrive as (offset, bytes) pieces, possibly out
/// of order, duplicated or overlapping; the receiver hands the application one ordered byte
/// sequence. Pieces ahead of the read point wait here; what was delivered is forgotten.
public struct ReceiveBuffer: Sendable {
    /// Everything before this offset has been delivered.
    public private(set) var deliveredOffset: UInt64 = 0
    /// Pieces past `deliveredOffset`, keyed by their offset (trimmed so they never overlap
    /// what was delivered, but possibly overlapping each other).
    private var pending: [UInt64: [UInt8]] = [:]
    /// The bytes waiting beyond a gap, for limits (CRYPTO_BUFFER_EXCEEDED, flow control).
    public private(set) var bufferedBytes = 0
    /// The highest offset any piece reached (for flow control: §4.1 counts the largest offset).
    public private(set) var highestOffset: UInt64 = 0

    public init() {}

    /// Adds a piece; returns the bytes that became contiguous, in order.
    public mutating func insert(offset: UInt64, data: [UInt8]) -> [UInt8] {
        let end = offset + UInt64(data.count)
        highestOffset = max(highestOffset, end)
        guard end > deliveredOffset else { return [] }  // a duplicate of delivered data
        let skip = Int(deliveredOffset > offset ? deliveredOffset - offset : 0)
        let start = offset + UInt64(skip)
        if let existing = pending[start], existing.count >= data.count - skip { return drain() }
        if let existing = pending[start] { bufferedBytes -= existing.count }
        pending[start] = Array(data[skip...])
        bufferedBytes += data.count - skip
        return drain()
    }

    private mutating func drain() -> [UInt8] {
        var out: [UInt8] = []
        while true {
            // The piece that starts at or before the read point and reaches furthest past it.
            let candidates = pending.filter { $0.key <= deliveredOffset }
            guard !candidates.isEmpty else { return out }
            for (start, bytes) in candidates {
                pending[start] = nil
                bufferedBytes -= bytes.count
                let end = start + UInt64(bytes.count)
                if end > deliveredOffset {
                    out += bytes[Int(deliveredOffset - start)...]
                    deliveredOffset = end
                }
            }
        }
    }
}

/// The sending side of a stream or of a CRYPTO stream: bytes written by the application get
/// consecutive offsets; frames carry slices; a slice in a lost packet is queued again
/// (RFC 9002 §6: the data, not the packet, is retransmitted) until acknowledged.
public struct SendBuffer: Sendable {
    /// Bytes not yet acknowledged, starting at `acknowledgedOffset`... kept simply as all bytes
    /// from offset `base`; acknowledged prefixes are released.
    private var bytes: [UInt8] = []
    private var base: UInt64 = 0
    /// The next offset never sent.
    public private(set) var sentOffset: UInt64 = 0
    /// Ranges to send again, oldest first.
    private var retransmit: [Range<UInt64>] = []
    /// Ranges acknowledged beyond the released prefix.
    private var acknowledged: [Range<UInt64>] = []
    public private(set) var finOffset: UInt64?
    public private(set) var finSent = false
    public private(set) var finAcknowledged = false

    public init() {}

    /// The total written so far (the next write's offset).
    public var writtenOffset: UInt64 { base + UInt64(bytes.count) }

    public mutating func write(_ data: [UInt8]) {
        precondition(finOffset == nil, "write after FIN")
        bytes += data
    }

    public mutating func finish() {
        guard finOffset == nil else { return }
        finOffset = writtenOffset
    }

    /// Whether something (new data, a retransmission or a lone FIN) waits to be sent.
    public var hasPendingData: Bool { !retransmit.isEmpty || sentOffset < writtenOffset || (finOffset != nil && !finSent) }

    public var isFullyAcknowledged: Bool { finAcknowledged && base == finOffset }

    /// The next slice to put in a frame, at most `maximum` bytes and not past `limit` for new
    /// data (flow control). Retransmissions come first. Returns nil when nothing may be sent.
    public mutating func nextSlice(maximum: Int, limit: UInt64 = .max) -> (offset: UInt64, data: [UInt8], fin: Bool)? {
        if let range = retransmit.first {
            let end = min(range.upperBound, range.lowerBound + UInt64(maximum))
            if end == range.upperBound { retransmit.removeFirst() } else { retransmit[0] = end..<range.upperBound }
            let data = slice(range.lowerBound..<end)
            return (range.lowerBound, data, finOffset == end && end == writtenOffset)
        }
        let end = min(writtenOffset, sentOffset + UInt64(maximum), max(limit, sentOffset))
        let fin = finOffset != nil && end == finOffset && !finSent
        guard end > sentOffset || fin else { return nil }
        let data = slice(sentOffset..<end)
        let offset = sentOffset
        sentOffset = end
        if fin { finSent = true }
        return (offset, data, fin)
    }

    private func slice(_ range: Range<UInt64>) -> [UInt8] {
        let lower = max(range.lowerBound, base), upper = max(range.upperBound, lower)
        return Array(bytes[Int(lower - base)..<Int(upper - base)])
    }

    /// A frame carrying `range` (and the FIN when `fin`) was lost: send that data again, unless
    /// it was acknowledged meanwhile.
    public mutating func lost(_ range: Range<UInt64>, fin: Bool) {
        if fin && !finAcknowledged { finSent = false; if range.isEmpty { return } }
        guard range.upperBound > base else { return }
        let lower = max(range.lowerBound, base)
        guard lower < range.upperBound else { return }
        if acknowledged.contains(where: { $0.lowerBound <= lower && $0.upperBound >= range.upperBound }) { return }
        retransmit.append(lower..<range.upperBound)
        if fin { finSent = true }  // the FIN rides along with the retransmitted slice's end
    }

    /// A frame carrying `range` was acknowledged: release the contiguous acknowledged prefix.
    public mutating func acknowledge(_ range: Range<UInt64>, fin: Bool) {
        if fin { finAcknowledged = true }
        acknowledged.append(range)
        var moved = true
        while moved {
            moved = false
            for (i, r) in acknowledged.enumerated() where r.lowerBound <= base {
                if r.upperBound > base {
                    bytes.removeFirst(Int(r.upperBound - base))
                    base = r.upperBound
                }
                acknowledged.remove(at: i)
                moved = true
                break
            }
        }
        retransmit = retransmit.compactMap { r in
            guard r.upperBound > base else { return nil }
            return max(r.lowerBound, base)..<r.upperBound
        }
    }

    /// Drops all retransmissions and sent state, so everything is sent again from the start
    /// (a client after a Retry resends its ClientHello, RFC 9000 §17.2.5.2).
    public mutating func restart() {
        retransmit = []
        sentOffset = base
    }
}

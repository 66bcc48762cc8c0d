/// A reader for DER, the Distinguished Encoding Rules of ITU-T X.690 (§8 and §10), in the
/// style of apple/swift-asn1: the parse of a structure is a closure that mirrors its ASN.1
/// definition,
///
///     try reader.sequence("TBSCertificate") { tbs in
///         let serial = try tbs.integerBytes("serialNumber")
///         ...
///     }
///
/// and every closure must consume its contents exactly. DER allows one encoding per value, so
/// this reader insists on it: definite lengths only, in the fewest bytes, integers without
/// redundant leading bytes, booleans 0x00 or 0xff. Errors say what was being read and at which
/// byte offset of the input.
public struct DERReader {
    /// Bytes not read yet. A slice keeps the indices of the whole input, so they are offsets.
    private var remaining: ArraySlice<UInt8>
    /// What these bytes are, for error messages ("TBSCertificate").
    private let context: String

    public init(_ bytes: ArraySlice<UInt8>, context: String) {
        remaining = bytes
        self.context = context
    }

    /// Parses `bytes` as exactly one structure (nothing may follow it).
    public static func parse<T>(_ bytes: [UInt8], _ what: String, _ body: (inout DERReader) throws -> T) throws -> T {
        var reader = DERReader(bytes[...], context: what)
        let value = try body(&reader)
        try reader.finish()
        return value
    }

    public var isAtEnd: Bool { remaining.isEmpty }

    /// The tag of the next element, without consuming it.
    public var nextTag: UInt8? { remaining.first }

    /// Throws when bytes are left over.
    public func finish() throws {
        guard remaining.isEmpty else {
            throw error("\(remaining.count) unexpected bytes after the last element", at: remaining.startIndex)
        }
    }

    func error(_ problem: String, at offset: Int) -> CryptoError {
        CryptoError(.malformedEncoding, "DER \(context) at byte \(offset): \(problem)")
    }

    /// One tag-length-value element (X.690 §8.1).
    public mutating func readElement(_ what: String) throws -> DERElement {
        let start = remaining.startIndex
        guard let tag = remaining.first else {
            throw error("\(what) missing: no bytes left", at: start)
        }
        guard tag & 0x1f != 0x1f else {
            throw error("\(what) uses a multi-byte tag, which nothing here needs", at: start)
        }
        var cursor = start + 1
        guard cursor < remaining.endIndex else { throw error("\(what) has no length", at: cursor) }
        let first = remaining[cursor]
        cursor += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let lengthBytes = Int(first & 0x7f)
            guard lengthBytes != 0 else {
                throw error("\(what) has an indefinite length, which DER forbids", at: cursor - 1)
            }
            guard lengthBytes <= 4 else {
                throw error("\(what) has a \(lengthBytes)-byte length", at: cursor - 1)
            }
            guard remaining.endIndex - cursor >= lengthBytes else {
                throw error("\(what) length is truncated", at: cursor)
            }
            for byte in remaining[cursor..<(cursor + lengthBytes)] {
                length = length << 8 | Int(byte)
            }
            guard remaining[cursor] != 0, length >= 0x80 else {
                throw error("\(what) length \(length) is not in its shortest form", at: cursor - 1)
            }
            cursor += lengthBytes
        }
        guard remaining.endIndex - cursor >= length else {
            throw error("\(what) claims \(length) bytes but only \(remaining.endIndex - cursor) remain", at: start)
        }
        let end = cursor + length
        let element = DERElement(tag: tag, content: remaining[cursor..<end], encoded: remaining[start..<end])
        remaining = remaining[end...]
        return element
    }

    /// The next element, which must carry `tag`.
    public mutating func read(_ tag: DERTag, _ what: String) throws -> DERElement {
        if let actual = nextTag, actual != tag.rawValue {
            throw error("\(what): expected \(tag) but found tag 0x\([actual].hexString)", at: remaining.startIndex)
        }
        return try readElement(what)
    }

    /// Reads a constructed element and hands its contents to `body`, which must use them all.
    public mutating func constructed<T>(_ tag: DERTag, _ what: String, _ body: (inout DERReader) throws -> T) throws -> T {
        let element = try read(tag, what)
        var inner = DERReader(element.content, context: context == what ? what : "\(context).\(what)")
        let value = try body(&inner)
        try inner.finish()
        return value
    }

    /// SEQUENCE (X.690 §8.9).
    public mutating func sequence<T>(_ what: String, _ body: (inout DERReader) throws -> T) throws -> T {
        try constructed(.sequence, what, body)
    }

    /// SET (X.690 §8.11).
    public mutating func set<T>(_ what: String, _ body: (inout DERReader) throws -> T) throws -> T {
        try constructed(.set, what, body)
    }

    /// `[number] EXPLICIT`, when present.
    public mutating func optionalExplicit<T>(_ number: UInt8, _ what: String, _ body: (inout DERReader) throws -> T) throws -> T? {
        let tag = DERTag.contextSpecific(number, constructed: true)
        guard nextTag == tag.rawValue else { return nil }
        return try constructed(tag, what, body)
    }

    /// Every remaining element, each parsed by `body` (SEQUENCE OF / SET OF contents).
    public mutating func readAll<T>(_ body: (inout DERReader) throws -> T) throws -> [T] {
        var values: [T] = []
        while !isAtEnd { values.append(try body(&self)) }
        return values
    }

    /// INTEGER contents (X.690 §8.3), two's complement big-endian, checked for minimal form.
    public mutating func integerBytes(_ what: String) throws -> ArraySlice<UInt8> {
        let element = try read(.integer, what)
        let bytes = element.content
        guard let first = bytes.first else {
            throw error("\(what) is an empty INTEGER", at: element.encoded.startIndex)
        }
        if bytes.count > 1 {
            let second = bytes[bytes.startIndex + 1]
            guard !(first == 0x00 && second & 0x80 == 0), !(first == 0xff && second & 0x80 != 0) else {
                throw error("\(what) INTEGER has a redundant leading byte", at: element.encoded.startIndex)
            }
        }
        return bytes
    }

    /// A non-negative INTEGER as a number.
    public mutating func unsignedInteger(_ what: String) throws -> BigUInt {
        let start = remaining.startIndex
        let bytes = try integerBytes(what)
        guard let first = bytes.first, first & 0x80 == 0 else { throw error("\(what) is negative", at: start) }
        return BigUInt(bigEndianBytes: bytes)
    }

    /// A small non-negative INTEGER (versions, path lengths, salt lengths).
    public mutating func smallInteger(_ what: String) throws -> Int {
        let start = remaining.startIndex
        let value = try unsignedInteger(what)
        guard value.bitCount <= 31 else { throw error("\(what) is too large", at: start) }
        return Int(value.limbs.first ?? 0)
    }

    /// BOOLEAN (X.690 §11.1: DER writes TRUE as 0xff).
    public mutating func boolean(_ what: String) throws -> Bool {
        let element = try read(.boolean, what)
        guard element.content.count == 1, element.content.first == 0x00 || element.content.first == 0xff else {
            throw error("\(what) is not a DER BOOLEAN", at: element.encoded.startIndex)
        }
        return element.content.first == 0xff
    }

    /// NULL.
    public mutating func null(_ what: String) throws {
        let element = try read(.null, what)
        guard element.content.isEmpty else { throw error("\(what) NULL has contents", at: element.encoded.startIndex) }
    }

    /// OBJECT IDENTIFIER (X.690 §8.19).
    public mutating func objectIdentifier(_ what: String) throws -> OID {
        let element = try read(.objectIdentifier, what)
        guard let oid = OID(derContents: element.content) else {
            throw error("\(what) is not a valid OBJECT IDENTIFIER", at: element.encoded.startIndex)
        }
        return oid
    }

    /// OCTET STRING contents.
    public mutating func octetString(_ what: String) throws -> ArraySlice<UInt8> {
        try read(.octetString, what).content
    }

    /// BIT STRING (X.690 §8.6): the bytes and how many bits of the last byte are unused. DER
    /// requires those unused bits to be zero.
    public mutating func bitString(_ what: String) throws -> (bytes: ArraySlice<UInt8>, unusedBits: Int) {
        let element = try read(.bitString, what)
        guard let unused = element.content.first, unused < 8 else {
            throw error("\(what) BIT STRING has no valid unused-bits byte", at: element.encoded.startIndex)
        }
        let bytes = element.content.dropFirst()
        guard unused == 0 || (bytes.last.map { $0 & ((1 << unused) - 1) == 0 } ?? false) else {
            throw error("\(what) BIT STRING has nonzero unused bits or none to be unused", at: element.encoded.startIndex)
        }
        return (bytes, Int(unused))
    }

    /// A BIT STRING that holds whole bytes (keys, signatures).
    public mutating func byteAlignedBitString(_ what: String) throws -> ArraySlice<UInt8> {
        let start = remaining.startIndex
        let (bytes, unused) = try bitString(what)
        guard unused == 0 else { throw error("\(what) BIT STRING is not a whole number of bytes", at: start) }
        return bytes
    }
}

/// One element: its tag, its contents, and the whole encoding (tag and length included),
/// which is what a signature covers.
public struct DERElement: Sendable {
    public let tag: UInt8
    public let content: ArraySlice<UInt8>
    public let encoded: ArraySlice<UInt8>
}

/// An identifier octet (X.690 §8.1.2): class, constructed bit and tag number in one byte.
public struct DERTag: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let boolean = DERTag(rawValue: 0x01)
    public static let integer = DERTag(rawValue: 0x02)
    public static let bitString = DERTag(rawValue: 0x03)
    public static let octetString = DERTag(rawValue: 0x04)
    public static let null = DERTag(rawValue: 0x05)
    public static let objectIdentifier = DERTag(rawValue: 0x06)
    public static let utf8String = DERTag(rawValue: 0x0c)
    public static let printableString = DERTag(rawValue: 0x13)
    public static let teletexString = DERTag(rawValue: 0x14)
    public static let ia5String = DERTag(rawValue: 0x16)
    public static let utcTime = DERTag(rawValue: 0x17)
    public static let generalizedTime = DERTag(rawValue: 0x18)
    public static let universalString = DERTag(rawValue: 0x1c)
    public static let bmpString = DERTag(rawValue: 0x1e)
    public static let sequence = DERTag(rawValue: 0x30)
    public static let set = DERTag(rawValue: 0x31)

    /// `[number]`: context-specific class, constructed for EXPLICIT tags and SEQUENCEs.
    public static func contextSpecific(_ number: UInt8, constructed: Bool) -> DERTag {
        DERTag(rawValue: 0x80 | (constructed ? 0x20 : 0) | number)
    }

    public var description: String {
        let names: [UInt8: String] = [
            0x01: "BOOLEAN", 0x02: "INTEGER", 0x03: "BIT STRING", 0x04: "OCTET STRING", 0x05: "NULL",
            0x06: "OBJECT IDENTIFIER", 0x0c: "UTF8String", 0x13: "PrintableString", 0x16: "IA5String",
            0x17: "UTCTime", 0x18: "GeneralizedTime", 0x30: "SEQUENCE", 0x31: "SET",
        ]
        if let name = names[rawValue] { return name }
        if rawValue & 0xc0 == 0x80 { return "[\(rawValue & 0x1f)]" }
        return "tag 0x\([rawValue].hexString)"
    }
}

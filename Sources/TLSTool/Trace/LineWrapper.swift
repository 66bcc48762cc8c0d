import Foundation

/// How wide the trace may be: `COLUMNS` when set, else the terminal's width, else 80 (a file,
/// a pipe, a transcript).
public enum TerminalWidth {
    public static let fallback = 80
    /// Narrower than this, wrapping would leave no room for the text.
    public static let minimum = 40

    public static func current(fileDescriptor: Int32 = STDOUT_FILENO,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return max(minimum, columns) }
        var size = winsize()
        if isatty(fileDescriptor) == 1, ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return max(minimum, Int(size.ws_col))
        }
        return fallback
    }
}

/// Wraps trace lines at a width, the way a reader expects: at spaces, with continuation lines
/// indented under the text they continue (tree connectors continue as "│", bullets hang), and
/// with colours closed at the line end and reopened on the next line. Chinese characters count
/// two columns and may break anywhere. Shell commands ("$ openssl ...") are never wrapped, so
/// they can be copied whole.
public struct LineWrapper: Sendable {
    public var width: Int

    public init(width: Int) { self.width = max(TerminalWidth.minimum, width) }

    public func wrap(_ text: String) -> String {
        var out = ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let trailingNewline = lines.last == ""
        if trailingNewline { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            if index > 0 { out += "\n" }
            out += wrapLine(String(line))
        }
        return trailingNewline ? out + "\n" : out
    }

    /// One piece of a line: an escape sequence (no width) or a visible character.
    private enum Piece {
        case escape(String)
        case character(Character, width: Int)
    }

    private func wrapLine(_ line: String) -> String {
        let pieces = Self.pieces(of: line)
        let visible = pieces.reduce(0) { total, piece in
            if case .character(_, let w) = piece { return total + w }
            return total
        }
        guard visible > width else { return line }
        let (prefixCount, continuation) = Self.continuation(of: pieces)
        if Self.isCommand(pieces, after: prefixCount) { return line }

        var out = ""
        var column = 0
        var activeStyle = ""            // the SGR sequence in force, reopened after a break
        var current: [Piece] = []       // the line being built, from the last break on
        var lastBreak: Int?             // index into `current` after which we may break
        var hasContent = false          // a character past the prefix is on this line

        func flush(upTo end: Int) {
            for piece in current[..<end] { out += Self.text(of: piece) }
        }

        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .escape(let sequence):
                activeStyle = sequence.hasSuffix("[0m") ? "" : sequence
                current.append(piece)
            case .character(let character, let w):
                if column + w > width, index >= prefixCount, hasContent {
                    // Break at the last space, or here when the word is longer than the line.
                    let cut = lastBreak ?? current.count
                    flush(upTo: cut)
                    while out.hasSuffix(" ") { out.removeLast() }
                    var rest = Array(current[cut...])
                    while case .character(" ", _)? = rest.first { rest.removeFirst() }
                    if !activeStyle.isEmpty { out += "\u{1B}[0m" }
                    out += "\n" + continuation.text
                    current = activeStyle.isEmpty ? [] : [.escape(activeStyle)]
                    column = continuation.width
                    for piece in rest {
                        current.append(piece)
                        if case .character(_, let w) = piece { column += w }
                    }
                    lastBreak = nil
                    hasContent = !rest.isEmpty
                }
                current.append(piece)
                column += w
                if index >= prefixCount, character != " " { hasContent = true }
                if index >= prefixCount, character == " " || w == 2 { lastBreak = current.count }
            }
        }
        flush(upTo: current.count)
        return out
    }

    /// The text that continues a wrapped line under its own, and how many pieces of the line
    /// form its prefix (indentation, tree connectors, a bullet), which is never broken.
    private static func continuation(of pieces: [Piece]) -> (count: Int, (text: String, width: Int)) {
        var text = ""
        var count = 0
        var sawBullet = false
        for piece in pieces {
            guard case .character(let character, _) = piece else {
                count += 1
                continue
            }
            switch character {
            case " ": text += " "
            case "│", "├": text += "│"
            case "└", "─": text += " "
            case "·", "✓", "✗", "→", "←", "•":
                if sawBullet { return (count, (text + "  ", text.count + 2)) }
                text += " "
                sawBullet = true
            default:
                return (count, (text + "  ", text.count + 2))
            }
            count += 1
        }
        return (count, (text + "  ", text.count + 2))
    }

    private static func isCommand(_ pieces: [Piece], after prefix: Int) -> Bool {
        let head = pieces.dropFirst(prefix).prefix(6).compactMap { piece -> Character? in
            if case .character(let c, _) = piece { return c }
            return nil
        }
        return head.starts(with: ["$", " "])
    }

    private static func pieces(of line: String) -> [Piece] {
        var pieces: [Piece] = []
        var characters = line[...]
        while let first = characters.first {
            if first == "\u{1B}", let end = characters.firstIndex(of: "m") {
                pieces.append(.escape(String(characters[...end])))
                characters = characters[characters.index(after: end)...]
            } else {
                pieces.append(.character(first, width: columns(of: first)))
                characters = characters.dropFirst()
            }
        }
        return pieces
    }

    private static func text(of piece: Piece) -> String {
        switch piece {
        case .escape(let sequence): sequence
        case .character(let character, _): String(character)
        }
    }

    /// East Asian wide and fullwidth characters take two columns (Unicode UAX #11).
    static func columns(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

import TLS13

/// ANSI styling for the trace, or none at all. Built once from `shouldUseColor`, so every
/// piece of output goes through the same decision (NO_COLOR, --no-color, not a terminal).
public struct TextStyle: Sendable {
    public var isEnabled: Bool

    public init(isEnabled: Bool) { self.isEnabled = isEnabled }

    public static let plain = TextStyle(isEnabled: false)

    /// The ECMA-48 SGR parameters we use.
    public enum Attribute: String, Sendable {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case blue = "34"
        case magenta = "35"
        case cyan = "36"
    }

    public func apply(_ text: String, _ attributes: Attribute...) -> String {
        guard isEnabled, !attributes.isEmpty, !text.isEmpty else { return text }
        let codes = attributes.map(\.rawValue).joined(separator: ";")
        return "\u{1B}[\(codes)m\(text)\u{1B}[0m"
    }

    /// Each side keeps one colour everywhere, so a reader can follow a side down the page.
    public func side(_ text: String, _ side: Side) -> String {
        apply(text, .bold, side == .client ? .cyan : .magenta)
    }

    public func check(_ passed: Bool) -> String {
        passed ? apply("✓", .bold, .green) : apply("✗", .bold, .red)
    }
}

import Synchronization
import TLS13

/// Which layout the trace uses: `standard` is the sectioned view described in the README,
/// `rfc8448` RFC 8448's own layout, for diffing against the RFC (`RFC8448TraceLayout`).
public enum TraceView: String, Sendable, CaseIterable {
    case standard
    case rfc8448
}

/// Text for one event, and whether it opens a new step (a titled section): `--step` pauses
/// there, and the demo places its flight banners by it.
public struct RenderedEvent: Sendable, Equatable {
    public var text: String
    public var beginsStep: Bool

    public init(text: String, beginsStep: Bool) {
        self.text = text
        self.beginsStep = beginsStep
    }
}

/// Turns the events of one side of one connection into text. A layout keeps whatever state it
/// needs between events (the open section, a record waiting for the message it carries).
public protocol TraceLayout: Sendable {
    mutating func render(_ event: TLSEvent) -> RenderedEvent?
    /// Text still held back when the connection ends (or before the side blocks on the network).
    mutating func finish() -> String
}

/// Consumes `TLSEvent`s of one connection side and writes the trace to a sink. Its `observer`
/// is what the tools put in `TLSConfiguration.observer`.
public final class TracePrinter: Sendable {
    private let layout: Mutex<any TraceLayout>
    private let sink: any TextSink
    private let beforeStep: (@Sendable (String) -> Void)?
    private let wrapper: LineWrapper?

    /// - Parameters:
    ///   - beforeStep: called with the step's name (`TraceStep`) before each new step is
    ///     written (`--step` names it and waits for Enter).
    ///   - width: wrap lines at this many columns (`TerminalWidth`); nil leaves them whole.
    public init(layout: any TraceLayout, sink: any TextSink, beforeStep: (@Sendable (String) -> Void)? = nil,
                width: Int? = nil) {
        self.layout = Mutex(layout)
        self.sink = sink
        self.beforeStep = beforeStep
        wrapper = width.map { LineWrapper(width: $0) }
    }

    public convenience init(side: Side, tag: String? = nil, view: TraceView = .standard, style: TextStyle,
                            sink: any TextSink, beforeStep: (@Sendable (String) -> Void)? = nil,
                            peerShownAbove: SharedValues? = nil, explain: Language? = nil, width: Int? = nil) {
        let layout: any TraceLayout
        switch view {
        case .standard:
            var standard = StandardTraceLayout(side: side, tag: tag, style: style, peerShownAbove: peerShownAbove, explain: explain)
            if let width { standard.width = width - 2 }
            layout = standard
        case .rfc8448: layout = RFC8448TraceLayout(side: side, style: style, peerShownAbove: peerShownAbove)
        }
        self.init(layout: layout, sink: sink, beforeStep: beforeStep, width: width)
    }

    public func observe(_ event: TLSEvent) {
        guard let rendered = layout.withLock({ $0.render(event) }), !rendered.text.isEmpty else { return }
        if rendered.beginsStep { beforeStep?(TraceStep.title(of: event)) }
        sink.write(wrapper?.wrap(rendered.text) ?? rendered.text)
    }

    /// Writes anything the layout still holds back.
    public func flush() {
        let text = layout.withLock { $0.finish() }
        if !text.isEmpty { sink.write(wrapper?.wrap(text) ?? text) }
    }

    public var observer: TLSObserver {
        { [self] event in observe(event) }
    }
}

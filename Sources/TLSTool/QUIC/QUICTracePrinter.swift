import QUIC
import TLS13

/// One side's QUIC trace on a sink: QUIC's events through `QUICTraceLayout`, TLS's (the
/// messages inside CRYPTO frames, the key schedule) through the TLS tools' `TracePrinter`, in
/// the order they happened, lines wrapped to the width.
final class QUICTracePrinter {
    private var layout: QUICTraceLayout
    private let tls: TracePrinter
    private let sink: any TextSink
    private let wrapper: LineWrapper
    private let beforeDatagram: (() -> Void)?

    init(side: Side, style: TextStyle, sink: any TextSink, width: Int, beforeDatagram: (() -> Void)? = nil) {
        layout = QUICTraceLayout(side: side, style: style, peer: side == .client ? "the server" : "the client")
        tls = TracePrinter(side: side, style: style, sink: sink, width: width)
        self.sink = sink
        wrapper = LineWrapper(width: width)
        self.beforeDatagram = beforeDatagram
    }

    var peer: String {
        get { layout.peer }
        set { layout.peer = newValue }
    }

    func observe(_ event: QUICEvent) {
        if case .tls(let tlsEvent) = event {
            tls.observe(tlsEvent)
            return
        }
        tls.flush()
        if case .datagram = event { beforeDatagram?() }
        if let text = layout.render(event) { sink.write(wrapper.wrap(text)) }
    }

    /// A line of the application's (the echo), in the trace.
    func note(_ text: String) {
        tls.flush()
        sink.write(wrapper.wrap(text))
    }

    func flush() { tls.flush() }
}

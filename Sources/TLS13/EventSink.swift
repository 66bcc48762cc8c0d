/// Where the library's events go: the configuration's observer, or nowhere. Events are built
/// only when someone listens (`@autoclosure`), so a silent connection pays nothing for tracing.
public struct EventSink {
    public init(observer: TLSObserver?) { self.observer = observer }

    public let observer: TLSObserver?

    public var isListening: Bool { observer != nil }

    public func callAsFunction(_ event: @autoclosure () -> TLSEvent) {
        if let observer { observer(event()) }
    }
}

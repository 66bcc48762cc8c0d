/// Where the library's events go: the configuration's observer, or nowhere. Events are built
/// only when someone listens (`@autoclosure`), so a silent connection pays nothing for tracing.
struct EventSink {
    let observer: TLSObserver?

    var isListening: Bool { observer != nil }

    func callAsFunction(_ event: @autoclosure () -> TLSEvent) {
        if let observer { observer(event()) }
    }
}

import Foundation
import TLS13

/// Two observers as one (the trace's and the HTML recorder's).
func chained(_ first: TLSObserver?, _ second: TLSObserver?) -> TLSObserver? {
    guard let first else { return second }
    guard let second else { return first }
    return { event in
        first(event)
        second(event)
    }
}

extension HTMLRecorder {
    /// Renders the page and writes it to `path`; failures are reported, never fatal: the
    /// connection itself went as it went.
    func writePage(to path: String, title: String, language: Language, environment: ToolEnvironment) {
        let page = HTMLPage(title: title, language: language, events: events).render()
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path))
            environment.report("illustrated page written to \(path)")
        } catch {
            environment.warn("--html \(path): \(error)")
        }
    }
}

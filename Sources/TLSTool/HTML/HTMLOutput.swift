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
    func writePage(to path: String, title: String, language: Language, environment: ToolEnvironment) {
        HTMLPage.write(HTMLPage(title: title, language: language, events: events).render(), to: path, environment: environment)
    }
}

extension HTMLPage {
    /// Writes a rendered page (the TLS page or the QUIC page) to `path`; a failure is reported,
    /// never fatal: the connection itself went as it went.
    static func write(_ page: String, to path: String, environment: ToolEnvironment) {
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path))
            environment.report("illustrated page written to \(path)")
        } catch {
            environment.warn("--html \(path): \(error)")
        }
    }
}

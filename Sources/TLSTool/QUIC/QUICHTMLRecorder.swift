import Foundation
import QUIC
import Synchronization
import TLS13

/// Collects the `QUICEvent`s of one connection, as one side saw them, in order: what
/// `QUICHTMLPage` renders (`--html FILE` on quic-client and quic-server).
///
/// A server endpoint reports events of several connections, each with its number (0 for the
/// endpoint's own: a Retry, a datagram for no connection). The server's page is the first
/// connection's: the endpoint's events until that connection starts, then only that one's.
final class QUICHTMLRecorder: Sendable {
    let side: Side
    private let state = Mutex<(events: [QUICEvent], connection: Int?)>(([], nil))

    init(side: Side) {
        self.side = side
    }

    /// A client's event (it has one connection).
    func record(_ event: QUICEvent) { state.withLock { $0.events.append(event) } }

    /// A server endpoint's event, with the number of the connection it belongs to.
    func record(_ event: QUICEvent, connection number: Int) {
        state.withLock { state in
            if number == 0 {
                guard state.connection == nil else { return }
            } else if state.connection == nil {
                state.connection = number
            } else if state.connection != number {
                return
            }
            state.events.append(event)
        }
    }

    var events: [QUICEvent] { state.withLock { $0.events } }
    /// The server's recorded connection, once it has started.
    var connectionNumber: Int? { state.withLock { $0.connection } }

    func writePage(to path: String, title: String, environment: ToolEnvironment) {
        HTMLPage.write(QUICHTMLPage(title: title, side: side, events: events).render(), to: path, environment: environment)
    }
}

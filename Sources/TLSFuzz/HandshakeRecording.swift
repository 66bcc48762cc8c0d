import Loopback
import TLS13

/// A whole connection between our client and our server, configured exactly as the connection
/// targets are, recorded in memory: each side's byte stream is a seed that drives the other
/// side's target through a complete handshake, application data both ways, a KeyUpdate and
/// close_notify. `tls13-fuzz --record-seeds DIR` writes them.
public enum HandshakeRecording {
    public static func record() throws -> (clientToServer: [UInt8], serverToClient: [UInt8]) {
        let loopback = TLSLoopback(client: ConnectionTargets.clientConfiguration(observer: nil),
                                   server: ConnectionTargets.serverConfiguration(observer: nil))
        var clientToServer: [UInt8] = []
        var serverToClient: [UInt8] = []
        loopback.onFlight = { sender, flight in
            if sender == .client { clientToServer += flight } else { serverToClient += flight }
            return flight
        }
        try loopback.handshake()
        try loopback.client.send(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        try loopback.server.send(Array("HTTP/1.0 200 OK\r\n\r\nhello".utf8))
        try loopback.client.updateKeys(requestPeerUpdate: true)
        try loopback.server.updateKeys(requestPeerUpdate: true)
        try loopback.pump()
        loopback.client.close()
        loopback.server.close()
        try loopback.pump()
        return (clientToServer, serverToClient)
    }
}

import TLS13

/// A whole connection between our client and our server, configured exactly as the connection
/// targets are, recorded in memory: each side's byte stream is a seed that drives the other
/// side's target through a complete handshake, application data both ways, a KeyUpdate and
/// close_notify. `tls13-fuzz --record-seeds DIR` writes them.
public enum HandshakeRecording {
    public static func record() throws -> (clientToServer: [UInt8], serverToClient: [UInt8]) {
        let client = TLSConnection(side: .client, configuration: ConnectionTargets.clientConfiguration(observer: nil))
        let server = TLSConnection(side: .server, configuration: ConnectionTargets.serverConfiguration(observer: nil))
        var clientToServer: [UInt8] = []
        var serverToClient: [UInt8] = []
        func pump() throws {
            while true {
                let fromClient = client.takeOutgoing()
                let fromServer = server.takeOutgoing()
                if fromClient.isEmpty && fromServer.isEmpty { return }
                clientToServer += fromClient
                serverToClient += fromServer
                try server.receive(fromClient)
                try client.receive(fromServer)
            }
        }
        try client.start()
        try server.start()
        try pump()
        try client.send(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        try server.send(Array("HTTP/1.0 200 OK\r\n\r\nhello".utf8))
        try client.updateKeys(requestPeerUpdate: true)
        try server.updateKeys(requestPeerUpdate: true)
        try pump()
        client.close()
        server.close()
        try pump()
        return (clientToServer, serverToClient)
    }
}

import Foundation
import TLS13
import TLSCrypto

/// `tls13-server`: accept clients (a thread each), trace every handshake, then chat: stdin lines
/// go to every connected client, received data is printed (or echoed with --echo).
public enum ServerCommand {
    static let program = "tls13-server"

    public static func main(arguments: [String] = CommandLine.arguments) -> Int32 {
        CommandLineTool.main(program: program, arguments: arguments, usage: ServerOptions.usage,
                             parse: { arguments throws(UsageError) in try ServerOptions.parse(arguments) },
                             run: run)
    }

    public static func run(_ options: ServerOptions) -> Int32 {
        let environment: ToolEnvironment
        let credentials: ServerCredentials
        var clientTrustAnchors: [Certificate] = []
        var profile: RFC8448Profile?
        do {
            environment = try ToolEnvironment(program: program, noColor: options.noColor,
                                              keyLogPath: options.keyLogPath, step: options.step,
                                              explain: options.explain ? options.language : nil)
            if let section = options.rfc8448 {
                let rfc = try RFC8448Profile(section: section)
                profile = rfc
                credentials = ServerCredentials(certificateChain: [rfc.certificate], privateKey: .rsa(rfc.serverKey))
            } else {
                credentials = try ServerCredentials.load(certificatePath: options.certificatePath, keyPath: options.keyPath)
                clientTrustAnchors = try loadTrustAnchors(path: options.clientCAPath)
            }
        } catch {
            FileDescriptorSink.standardError.write("\(program): \(error)\n")
            return 2
        }
        let listener: TCPListener
        do {
            listener = try TCPListener(host: options.host, port: options.port)
        } catch {
            environment.report("cannot listen on \(options.host) port \(options.port): \(error)")
            return 1
        }
        if options.deterministic { environment.warnDeterministic() }
        if let profile { environment.warn(profile.serverNotice) }
        FileDescriptorSink.standardError.write("listening on \(listener.addressDescription)\n")

        let server: Server
        do {
            server = try Server(options: options, environment: environment, credentials: credentials,
                                clientTrustAnchors: clientTrustAnchors, rfc8448: profile, port: listener.port)
        } catch {
            environment.report("\(error)")
            return 1
        }
        if options.retry {
            environment.report("--retry: every first ClientHello gets a HelloRetryRequest with a cookie (stateless retry, RFC 8446 §4.2.2)")
        }
        if profile == nil {
            startThread(name: "stdin") { server.broadcastStandardInput() }
        }
        Interruption.arm()
        startThread(name: "interrupt") { server.closeAllOnInterrupt() }

        // The RFC 8448 replay is one connection, like --once.
        if options.once || profile != nil {
            do {
                return server.serve(try listener.accept(), number: 1) ? 0 : 1
            } catch {
                environment.report("\(error)")
                return 1
            }
        }
        var number = 0
        while true {
            let socket: TCPSocket
            do {
                socket = try listener.accept()
            } catch {
                // Out of descriptors, most likely: wait for connections to end rather than spin.
                environment.report("\(error)")
                usleep(100_000)
                continue
            }
            number += 1
            // Issue 5: a flood of connections costs at most maximumConnections threads and sockets.
            guard server.admit() else {
                environment.report("connection limit (\(options.maximumConnections)) reached: refusing connection #\(number) from \(socket.peerDescription)")
                socket.close()
                continue
            }
            let connectionNumber = number
            startThread(name: "connection \(connectionNumber)") {
                defer { server.release() }
                _ = server.serve(socket, number: connectionNumber)
            }
        }
    }
}

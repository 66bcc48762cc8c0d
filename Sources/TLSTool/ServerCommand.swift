import Foundation
import TLS13
import TLSCrypto

/// `tls13-server`: accept clients (a thread each), trace every handshake, then chat: stdin lines
/// go to every connected client, received data is printed (or echoed with --echo).
public enum ServerCommand {
    static let program = "tls13-server"

    /// Connections served at once; more are refused with a log line (issue 5: no unbounded
    /// growth under a flood). Each costs a thread and a socket.
    public static let maximumConnections = 256

    public static func main(arguments: [String] = CommandLine.arguments) -> Int32 {
        CommandLineTool.main(program: program, arguments: arguments, usage: ServerOptions.usage,
                             parse: { arguments throws(UsageError) in try ServerOptions.parse(arguments) },
                             run: run)
    }

    public static func run(_ options: ServerOptions) -> Int32 {
        let environment: ToolEnvironment
        let credentials: ServerCredentials
        do {
            environment = try ToolEnvironment(program: program, noColor: options.noColor,
                                              keyLogPath: options.keyLogPath, step: options.step)
            credentials = try ServerCredentials.load(certificatePath: options.certificatePath, keyPath: options.keyPath)
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
        FileDescriptorSink.standardError.write("listening on \(listener.addressDescription)\n")

        let server = Server(options: options, environment: environment, credentials: credentials)
        startThread(name: "stdin") { server.broadcastStandardInput() }

        if options.once {
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
            guard server.activeCount < maximumConnections else {
                environment.report("connection limit (\(maximumConnections)) reached: refusing \(socket.peerDescription)")
                socket.close()
                continue
            }
            let connectionNumber = number
            startThread(name: "connection \(connectionNumber)") { _ = server.serve(socket, number: connectionNumber) }
        }
    }
}

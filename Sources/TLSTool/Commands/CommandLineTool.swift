import Foundation

/// The part every tool's `main` shares: parse, print usage or an error, then run.
enum CommandLineTool {
    static func main<Options>(program: String, arguments: [String], usage: String,
                              parse: ([String]) throws(UsageError) -> CommandLineRequest<Options>,
                              run: (Options) -> Int32) -> Int32 {
        // A peer that vanishes must surface as a write error on that connection, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        // A parent may have blocked signals (test runners do) and the mask is inherited: unblock
        // them, so Ctrl-C and kill stop the tool whoever started it.
        var nothingBlocked = sigset_t()
        sigemptyset(&nothingBlocked)
        sigprocmask(SIG_SETMASK, &nothingBlocked, nil)
        do {
            switch try parse(Array(arguments.dropFirst())) {
            case .help:
                FileDescriptorSink.standardOutput.write(usage)
                return 0
            case .run(let options):
                return run(options)
            }
        } catch {
            FileDescriptorSink.standardError.write("\(program): \(error.message)\n\n\(usage)")
            return 2
        }
    }
}

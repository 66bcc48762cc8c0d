import Foundation

/// A command running on a pseudo-terminal of its own (a tmux pane on a private tmux server), for
/// tests of what a learner does at a terminal: /dev/tty is the pane, keys are typed with
/// `send-keys`, and everything written to the terminal is logged with `pipe-pane`, so a test can
/// count the `--step` prompts it has seen.
final class TerminalSession {
    let name: String
    let directory: URL
    private let socket: String
    private var closed = false

    static let tmuxURL: URL? = ["/usr/bin/tmux", "/usr/local/bin/tmux"]
        .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Starts our `executable` with `arguments` in the repository root on a new terminal: stdin
    /// and /dev/tty are the terminal, stdout goes to the file `out`, stderr to `err`, the exit
    /// status to `status`, and what the terminal shows to `terminal.log`.
    init(_ name: String, executable: String, _ arguments: [String]) throws {
        guard Self.tmuxURL != nil else { throw ProcessFailure("tmux is not installed (.ci/run installs it)") }
        self.name = name
        socket = "tls13-tests-\(getpid())-\(name)"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The pane waits for one line before it runs the command, so the log misses nothing.
        let command = ([ToolProcess.productsDirectory.appendingPathComponent(executable).path] + arguments)
            .map { "'\($0)'" }.joined(separator: " ")
        let script = "read _; \(command) > \(path("out")) 2> \(path("err")); echo $? > \(path("status"))"
        try tmux(["new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-c", ToolProcess.repositoryRoot.path, script])
        try tmux(["pipe-pane", "-t", name, "-o", "cat >> \(path("terminal.log"))"])
        try tmux(["send-keys", "-t", name, "Enter"])
    }

    func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    func contents(_ file: String) -> String {
        (try? String(contentsOfFile: path(file), encoding: .utf8)) ?? ""
    }

    /// Types `keys` (tmux key names: "Enter", "C-d", or text).
    func send(_ keys: String) throws { try tmux(["send-keys", "-t", name, keys]) }

    /// The exit status, once the command has ended.
    var status: Int32? { Int32(contents("status").trimmingCharacters(in: .whitespacesAndNewlines)) }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { close() }

    /// Runs tmux and waits for it. posix_spawn and waitpid rather than Foundation's Process,
    /// whose wait does not return here once tmux has forked its server.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> Int32 {
        guard let tmux = Self.tmuxURL?.path else { throw ProcessFailure("tmux is not installed") }
        let argv = ([tmux, "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }
            .merging(["NO_COLOR": "1"]) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environment)
        guard spawned == 0 else { throw ProcessFailure("cannot run tmux: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return status
    }
}

import TLS13

/// A line typed into the chat that is an instruction to this side's TLS connection, not data
/// (issue 15). A command is a whole line by itself; it never goes out as application data.
public enum ChatCommand: String, CaseIterable, Sendable {
    /// RFC 8446 §4.6.3: KeyUpdate(update_requested): our sending key moves to its next
    /// generation, and the peer is asked to move its own.
    case keyUpdate = "/keyupdate"
    /// RFC 8446 §4.6.2 (server only): a CertificateRequest after the handshake.
    case auth = "/auth"
}

/// One piece of chat input, in the order typed.
public enum ChatInput: Equatable, Sendable {
    case data([UInt8])
    case command(ChatCommand)
}

/// Splits stdin chunks (a terminal line, or any piece of a pipe) into data and commands. It
/// remembers whether the last chunk ended a line, so a piece of a piped line is never mistaken
/// for a command; bytes that are not a command line pass through unchanged and in order.
public struct ChatInputSplitter: Sendable {
    private var atLineStart = true

    public init() {}

    public mutating func split(_ chunk: [UInt8]) -> [ChatInput] {
        var result: [ChatInput] = []
        var data: [UInt8] = []
        var lineStart = chunk.startIndex
        while lineStart < chunk.endIndex {
            let newline = chunk[lineStart...].firstIndex(of: 0x0a)
            let lineEnd = newline.map { $0 + 1 } ?? chunk.endIndex
            let line = chunk[lineStart..<lineEnd]
            if atLineStart, newline != nil, let command = Self.command(in: line) {
                if !data.isEmpty { result.append(.data(data)) }
                data = []
                result.append(.command(command))
            } else {
                data += line
            }
            atLineStart = newline != nil
            lineStart = lineEnd
        }
        if !data.isEmpty { result.append(.data(data)) }
        return result
    }

    /// The command a complete line (newline included, a CR before it allowed) spells, if any.
    private static func command(in line: ArraySlice<UInt8>) -> ChatCommand? {
        guard line.first == UInt8(ascii: "/") else { return nil }
        var text = line.dropLast()
        if text.last == 0x0d { text = text.dropLast() }
        return ChatCommand(rawValue: String(decoding: text, as: UTF8.self))
    }
}

extension TLSSession {
    /// Sends `input`: data as application data, a command to the connection. Returns a line for
    /// the user when a command cannot run here (it is then dropped, never sent as data).
    func perform(_ input: ChatInput) throws(SessionFailure) -> String? {
        switch input {
        case .data(let bytes):
            try send(bytes)
        case .command(.keyUpdate):
            do {
                try connection.updateKeys(requestPeerUpdate: true)
            } catch {
                try? flushOutgoing()
                throw Self.failure(error)
            }
            try flushOutgoing()
        case .command(.auth):
            if let reason = connection.clientCertificateRequestRefusal {
                return "/auth: \(reason); nothing sent"
            }
            do {
                try connection.requestClientCertificate()
            } catch {
                try? flushOutgoing()
                throw Self.failure(error)
            }
            try flushOutgoing()
        }
        return nil
    }
}

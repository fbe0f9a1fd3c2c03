import SoupCore
import SoupDriver
import SoupLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// The interactive loop: reads complete inputs, runs them in the session's transaction, and
/// shows `*` in the prompt while there is uncommitted work (SPEC §4, §5).
///
/// Lines are read plainly from the terminal; line editing, history and completion come with the
/// readline reader.
struct REPL {
    let options: GlobalOptions
    let database: String?

    func run() throws {
        let session = try CommandSession(options: options, database: database)
        defer { session.connection.close() }
        let runner = session.runner(mode: .none)
        let autocommit = options.tx == .statement
        let name = Self.promptName(session.connection.displayName)
        StandardError.line("soup \(SoupCommand.version) on \(session.connection.displayName). Type help() for help, \\q to quit.")
        var buffer = ""
        while true {
            let dirty = session.connection.transactionStatus != .idle || runner.soup.session.hasChanges
            let prompt = buffer.isEmpty ? "soup:\(name)\(dirty ? "*" : "")> " : "...> "
            write(prompt)
            guard let line = readLine(strippingNewline: true) else {
                if confirmQuit(dirty: dirty, runner: runner) { return }
                continue
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            if buffer.trimmingWhitespace().isEmpty {
                buffer = ""
                continue
            }
            if isQuit(buffer) {
                if confirmQuit(dirty: dirty, runner: runner) { return }
                buffer = ""
                continue
            }
            guard Parser.isComplete(buffer) else { continue }
            _ = runner.runInteractive(Script(name: "input", text: buffer), autocommit: autocommit)
            buffer = ""
        }
    }

    private func isQuit(_ input: String) -> Bool {
        ["\\q", ".quit", ".exit", "quit", "exit"].contains(input.trimmingWhitespace())
    }

    /// On Ctrl-D or `\q` with uncommitted work, asks before rolling it back.
    private func confirmQuit(dirty: Bool, runner: StatementRunner) -> Bool {
        guard dirty else {
            write("\n")
            return true
        }
        write("\nThere is uncommitted work. Roll it back and quit? [y/N] ")
        // No answer can come once the input is closed: roll back and quit.
        if let answer = readLine(), !answer.lowercased().hasPrefix("y") { return false }
        try? runner.soup.rollback()
        write("\nrolled back\n")
        return true
    }

    /// Writes to standard output at once (the prompt must show before the line is read).
    private func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = Glibc.write(1, base + offset, bytes.count - offset)
                if written <= 0, errno != EINTR { return }
                offset += max(0, written)
            }
        }
    }

    /// The database's short name: a file's base name, or the PostgreSQL database.
    static func promptName(_ displayName: String) -> String {
        var name = displayName
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        if let question = name.firstIndex(of: "?") { name = String(name[..<question]) }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        if name.contains("dbname=") {
            name = name.split(separator: " ").first { $0.hasPrefix("dbname=") }.map { String($0.dropFirst(7)) } ?? name
        }
        return name.isEmpty ? "db" : name
    }
}

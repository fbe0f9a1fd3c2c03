import SoupOutput

#if canImport(Glibc)
    import Glibc
#endif

/// Where the REPL's results go: the terminal, through the pager when they are taller than the
/// screen (SPEC §5), or the file that `\o` chose.
///
/// On a terminal one input's output is gathered before it is shown, as psql does, so the
/// pager can be chosen by its height and the elapsed-time indicator is gone before it prints.
final class ResultOutput {
    /// The `\o` file, or nil for standard output.
    private(set) var file: (path: String, fd: Int32)?
    /// `--pager`/`--no-pager`, `\pager on|off`.
    var pagerEnabled: Bool
    private let environment: Environment

    init(pagerEnabled: Bool, environment: Environment) {
        self.pagerEnabled = pagerEnabled
        self.environment = environment
    }

    /// The sink for the next input's output.
    func makeSink() -> OutputSink {
        if let file { return OutputSink(fileDescriptor: file.fd) }
        return environment.stdoutIsTerminal ? .collecting() : OutputSink(fileDescriptor: 1)
    }

    /// Shows what a sink from ``makeSink()`` gathered: through the pager on a terminal when it
    /// is taller than the screen and the pager is on, else straight to the terminal.
    func deliver(_ sink: OutputSink) {
        try? sink.flush()
        guard file == nil, environment.stdoutIsTerminal else { return }
        let text = sink.collectedText
        guard !text.isEmpty else { return }
        if pagerEnabled, let rows = Terminal.rows(of: 1), Self.lineCount(text) >= rows,
            Terminal.runShell(pagerCommand, input: text) != nil
        {
            return
        }
        Terminal.write(text, to: 1)
    }

    /// `$SOUP_PAGER`, `$PAGER`, else `less -FRSX`.
    var pagerCommand: String {
        for name in ["SOUP_PAGER", "PAGER"] {
            if let command = environment[name], !command.isEmpty { return command }
        }
        return "less -FRSX"
    }

    /// `\o FILE`: sends results to `path` (created or truncated); `\o` alone: back to the terminal.
    func redirect(to path: String?) throws {
        if let file { close(file.fd) }
        file = nil
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CommandFailure(message: "\(path): \(String(cString: strerror(errno)))", exitCode: ExitStatus.statementFailed)
        }
        file = (path, fd)
    }

    private static func lineCount(_ text: String) -> Int {
        text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}

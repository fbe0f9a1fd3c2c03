import SoupOutput
import SoupPlatform

/// Where the REPL's results go: the terminal, through the pager when they are taller than the
/// screen, or the file that `\o` chose.
final class ResultOutput {
    /// The `\o` file, or nil for standard output.
    private(set) var file: (path: String, fd: Int32)?
    /// `--pager`/`--no-pager`, `\pager on|off`.
    var pagerEnabled: Bool
    private let environment: Environment
    /// The page of the input running now, on a terminal.
    private var page: TerminalPage?

    init(pagerEnabled: Bool, environment: Environment) {
        self.pagerEnabled = pagerEnabled
        self.environment = environment
    }

    /// The sink for the next input's output; `beforeShowing` runs once, just before the first
    /// of it reaches the terminal (to erase the elapsed-time indicator).
    func makeSink(beforeShowing: @escaping () -> Void = {}) -> OutputSink {
        page = nil
        if let file { return OutputSink(fileDescriptor: file.fd) }
        guard environment.stdoutIsTerminal else { return OutputSink(fileDescriptor: 1) }
        let page = TerminalPage(
            rows: Terminal.rows(of: 1) ?? 0, pager: pagerEnabled ? pagerCommand : nil, beforeShowing: beforeShowing)
        self.page = page
        return OutputSink.passing(to: page.accept)
    }

    /// Shows the rest of what the sink from ``makeSink(beforeShowing:)`` holds, and waits for
    /// the pager to be closed.
    func deliver(_ sink: OutputSink) {
        try? sink.flush()
        page?.finish()
        page = nil
    }

    /// Before a question at the terminal: shows what the page still holds, or waits for the
    /// pager showing it, so that the question comes after the results before it; what follows
    /// goes straight to the terminal.
    func yieldTerminal() {
        page?.yieldTerminal()
    }

    /// The terminal's width now, when results go to it (not to a `\o` file).
    var terminalWidth: Int? {
        file == nil && environment.stdoutIsTerminal ? Terminal.columns(of: 1) : nil
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
}

/// One input's output on a terminal: held while it fits on the screen, so that the pager is
/// chosen by its height, then streamed, through the pager when it is on, so that a long result
/// never sits in memory whole.
private final class TerminalPage {
    private enum Target {
        case holding
        case terminal
        case pager(ShellProcess)
    }

    private let rows: Int
    private let pager: String?
    private let beforeShowing: () -> Void
    private var held: [UInt8] = []
    private var lines = 0
    private var target = Target.holding

    init(rows: Int, pager: String?, beforeShowing: @escaping () -> Void) {
        self.rows = rows
        self.pager = pager
        self.beforeShowing = beforeShowing
    }

    /// Takes a chunk of output: holds it while everything so far is shorter than the screen.
    func accept(_ bytes: UnsafeRawBufferPointer) -> OutputError? {
        guard case .holding = target else { return send(bytes) }
        held.append(contentsOf: bytes)
        lines += bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        guard lines >= rows else { return nil }
        beforeShowing()
        if let pager, let process = Terminal.startShell(pager, pipingInput: true) {
            target = .pager(process)
        } else {
            target = .terminal
        }
        defer { held = [] }
        return held.withUnsafeBytes(send)
    }

    /// Shows what is held, or waits for the pager, and sends the rest to the terminal.
    func yieldTerminal() {
        finish()
        held = []
        target = .terminal
    }

    /// Shows what is still held, or waits for the pager.
    func finish() {
        switch target {
        case .holding:
            guard !held.isEmpty else { return }
            beforeShowing()
            held.withUnsafeBytes { _ = Terminal.write($0, to: 1) }
        case .terminal:
            break
        case .pager(let process):
            process.wait()
        }
    }

    private func send(_ bytes: UnsafeRawBufferPointer) -> OutputError? {
        switch target {
        case .holding, .terminal:
            return Terminal.write(bytes, to: 1) ? nil : .brokenPipe
        case .pager(let process):
            // A pager that was quit early closes its end: the rest of the result is not read.
            return Terminal.write(bytes, to: process.input ?? 1) ? nil : .brokenPipe
        }
    }
}

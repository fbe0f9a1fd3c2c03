import SoupCore
import SoupDriver
import SoupOutput

/// Shows a run: each statement's result through the result printer on the output sink, and
/// notices, timings, failures and notes on standard error.
final class StatementPrinter: RunDelegate {
    var printer: ResultPrinter
    /// Where results go; the REPL gives each input its own.
    var sink: OutputSink
    /// `--timing`, `\timing`: print how long each statement took.
    var timing: Bool
    /// `-v`: print the run's notes (a transaction given up for autocommit, a rollback).
    let verbose: Bool

    init(printer: ResultPrinter, sink: OutputSink, timing: Bool, verbose: Bool) {
        self.printer = printer
        self.sink = sink
        self.timing = timing
        self.verbose = verbose
    }

    func show(_ result: Presentation, of statement: ScriptStatement) throws {
        try writing {
            switch result {
            case .nothing:
                if printer.options.format == .json { try printer.print(value: .null, to: sink) }
            case .resultSet(let cursor):
                try printer.print(cursor, to: sink)
                // Formats for programs carry no footer: a cut-off result is told on standard error.
                if let truncation = cursor.truncation,
                    [.csv, .tsv, .json, .jsonl, .sql].contains(printer.options.format)
                {
                    StandardError.line("soup: " + truncation.footer)
                }
            case .scalar(let value):
                try printer.print(value: value, to: sink)
            case .list(let values, let repr):
                switch printer.options.format {
                case .json, .jsonl: try printer.print(value: .array(values), to: sink)
                default: sink.write(repr + "\n")
                }
            case .text(let text):
                sink.write(text + (text.hasSuffix("\n") ? "" : "\n"))
            case .commandTag(let tag):
                if printer.options.format == .table { sink.write(tag + "\n") }
            case .plan(let plan):
                sink.write(OutlineRenderer.render(plan.steps.map(\.outline), title: plan.title, footer: plan.notes) + "\n")
            }
        }
    }

    func flush() throws {
        try writing { try sink.flush() }
    }

    func report(_ event: RunEvent) {
        switch event {
        case .notice(let text): StandardError.line(text)
        case .finished(_, let elapsed): if timing { StandardError.line("Time: \(Self.milliseconds(elapsed)) ms") }
        case .failed(let failure): StandardError.line(failure.report)
        case .unreadable(let error): StandardError.line(error.report)
        case .error(let error): StandardError.line("soup: error: \(error)")
        case .autocommitInstead(let statement):
            if verbose {
                StandardError.line(
                    "soup: \(statement.location): this statement manages transactions itself or cannot run in one; running every statement in autocommit")
            }
        case .rolledBack: if verbose { StandardError.line("soup: rolled back") }
        case .rollbackFailed(let error): StandardError.line("soup: error: rollback failed: \(error)")
        case .uncommittedWorkRolledBack:
            StandardError.line("soup: warning: uncommitted changes were rolled back (--tx none needs an explicit commit())")
        case .dryRunEnded(let summary):
            StandardError.line(
                "soup: dry run: would have committed \(summary.statements) statement(s) changing \(summary.rows) row(s) and "
                    + "\(summary.sessionWrites) session write(s); rolled back, nothing was committed")
        case .connectionLost(nil, _):
            StandardError.line("soup: the connection was lost; uncommitted work in this run was rolled back by the server")
        case .connectionLost(let lost?, let duringCommit):
            let what =
                duringCommit
                ? "it went during COMMIT, so whether \(lost.summary ?? "the transaction") was committed is unknown: look before doing it again"
                : lost.summary.map { "lost: \($0); nothing of it was committed" } ?? "no uncommitted work was lost"
            StandardError.line("soup: the connection to the server was lost; \(what); the next statement reconnects")
        case .transactionAbandoned(let error):
            StandardError.line("soup: the transaction could not be kept and was rolled back: \(error)")
        }
    }

    /// Runs `body`; the reader of the output going away ends the run as ``OutputClosed``.
    private func writing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch OutputError.brokenPipe {
            throw OutputClosed()
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micro = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = String(micro % 1000)
        return "\(micro / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension RunOutcome {
    /// The exit status a command ends with.
    var exitStatus: Int32 {
        switch self {
        case .succeeded: ExitStatus.success
        case .failed: ExitStatus.statementFailed
        case .interrupted: ExitStatus.interrupted
        case .outputClosed: ExitStatus.brokenPipe
        case .couldNotConnect: ExitStatus.connectionFailed
        }
    }
}

extension InterruptMonitor: Interrupts {}

extension PlanStep {
    /// The step as a line of the drawn tree: what it does, then its figures.
    var outline: OutlineNode {
        OutlineNode(
            text: ([operation] + figures).joined(separator: "  "), notes: notes, isMarked: isCostliest,
            children: children.map(\.outline))
    }
}

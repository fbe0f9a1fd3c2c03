import SoupDriver
import SoupOutput

/// A statement to run, with where it came from for error messages.
struct SourceStatement {
    /// The file name, or `argN` for the N-th statement argument of `soup query`.
    var source: String
    var statement: SQLStatement
}

/// Runs statements in order within the transaction mode of SPEC §4, printing each result.
///
/// `file` wraps everything in one transaction, committed at the end and rolled back at the
/// first error (or always, with `--dry-run`); `statement` and `none` leave raw SQL in the
/// database's autocommit, so each statement commits on its own unless it opens a transaction.
struct StatementRunner {
    var connection: any Connection
    var printer: ResultPrinter
    var sink: OutputSink
    var mode: TransactionMode
    var readOnly: Bool
    var dryRun: Bool
    var timing: Bool
    var verbose: Bool
    var interrupts: InterruptMonitor

    /// Runs every statement; returns the exit status.
    func run(_ statements: [SourceStatement]) -> Int32 {
        var mode = self.mode
        if dryRun { mode = .file }
        if mode == .file, let blocker = statements.first(where: { Self.cannotRunInTransaction($0.statement.text) }) {
            note("\(blocker.source):\(blocker.statement.line): this statement manages transactions itself or cannot run in one; running every statement in autocommit")
            mode = .none
        }
        do {
            if mode == .file { try run(connection.dialect.beginStatement(readOnly: readOnly)) }
            for statement in statements {
                try runAndPrint(statement)
            }
            try finish(mode: mode)
            return ExitStatus.success
        } catch let failure as StatementFailure {
            report(failure)
            rollbackAfterFailure()
            return failure.error.kind == .cancelled || interrupts.wasInterrupted
                ? ExitStatus.interrupted : ExitStatus.statementFailed
        } catch {
            StandardError.line("soup: error: \(error)")
            rollbackAfterFailure()
            return ExitStatus.statementFailed
        }
    }

    private func finish(mode: TransactionMode) throws {
        try sink.flush()
        if mode == .file {
            if dryRun {
                try run("ROLLBACK")
                StandardError.line("soup: dry run: rolled back; nothing was committed")
            } else {
                try run("COMMIT")
            }
        } else if connection.transactionStatus != .idle {
            try run("ROLLBACK")
            StandardError.line("soup: warning: a transaction was left open; it was rolled back")
        }
    }

    private func runAndPrint(_ item: SourceStatement) throws {
        guard !interrupts.wasInterrupted else {
            throw StatementFailure(item: item, error: DatabaseError(kind: .cancelled, message: "interrupted"))
        }
        let started = ContinuousClock.now
        do {
            try interrupts.whileRunning(connection.makeCanceller()) {
                let cursor = try connection.query(item.statement.text, [])
                if cursor.columns.isEmpty {
                    while try cursor.next() != nil {}
                    if printer.options.format == .table, let tag = cursor.commandTag {
                        sink.write(tag + "\n")
                    }
                } else {
                    try printer.print(cursor, to: sink)
                }
                try sink.flush()
            }
        } catch let error as DatabaseError {
            flushNotices()
            throw StatementFailure(item: item, error: error)
        }
        flushNotices()
        if timing {
            let elapsed = ContinuousClock.now - started
            StandardError.line("Time: \(Self.milliseconds(elapsed)) ms")
        }
    }

    private func run(_ sql: String) throws {
        do {
            try connection.execute(sql)
        } catch let error as DatabaseError {
            let statement = SQLStatement(text: sql, line: 1, column: 1)
            throw StatementFailure(item: SourceStatement(source: "soup", statement: statement), error: error)
        }
    }

    private func rollbackAfterFailure() {
        try? sink.flush()
        guard connection.transactionStatus != .idle else { return }
        do {
            try connection.execute("ROLLBACK")
            note("rolled back")
        } catch {
            StandardError.line("soup: error: rollback failed: \(error)")
        }
    }

    private func flushNotices() {
        for notice in connection.takeNotices() {
            StandardError.line(notice)
        }
    }

    private func note(_ text: String) {
        if verbose { StandardError.line("soup: " + text) }
    }

    /// `SOURCE:LINE:COL: ERROR:  message (SQLSTATE …)` with psql's LINE/caret, DETAIL and HINT.
    private func report(_ failure: StatementFailure) {
        let error = failure.error
        let statement = failure.item.statement
        var line = statement.line
        var column = statement.column
        if let location = error.location {
            line = statement.line + location.line - 1
            column = location.line == 1 ? statement.column + location.column - 1 : location.column
        }
        var positioned = error
        positioned.message = "\(failure.item.source):\(line):\(column): ERROR:  \(error.message)"
        StandardError.line(positioned.report)
        if error.kind == .connectionLost {
            StandardError.line("soup: the connection was lost; uncommitted work in this run was rolled back by the server")
        }
    }

    /// Statements that `file` mode cannot wrap in a transaction.
    static func cannotRunInTransaction(_ sql: String) -> Bool {
        let words = sql.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ";" })
            .prefix(4).map { $0.lowercased() }
        guard let first = words.first else { return false }
        switch first {
        case "begin", "commit", "rollback", "end", "abort", "start", "savepoint", "release", "vacuum":
            return true
        case "create", "drop", "alter", "reindex":
            return words.contains("database") || words.contains("tablespace") || words.contains("system")
                || words.contains("concurrently")
        default:
            return false
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micro = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let whole = micro / 1000
        let fraction = micro % 1000
        return "\(whole)." + String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
    }
}

/// A failed statement, with where it came from.
struct StatementFailure: Error {
    var item: SourceStatement
    var error: DatabaseError
}

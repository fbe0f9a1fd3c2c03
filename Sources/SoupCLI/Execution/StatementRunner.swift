import SoupCore
import SoupDriver
import SoupLanguage
import SoupOutput

/// Source text to run: a script file, standard input, or one statement argument.
struct Script {
    /// The file name, or `argN` for the N-th statement argument of `soup query`.
    var name: String
    var text: String
    /// The line of the file that `text` starts on (a chunk of a long script starts later).
    var firstLine = 1
    /// Whether more of the same script follows this piece.
    var continues = false

    /// The script cut into pieces of about `lines` lines, each ending where a statement ends,
    /// so a long script is parsed and run piece by piece with flat memory.
    func chunks(of lines: Int = 2_000) -> [Script] {
        var pieces: [Script] = []
        var current = ""
        var currentFirst = firstLine
        var count = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            current += count == 0 ? String(line) : "\n" + line
            count += 1
            if count >= lines, Parser.isComplete(current, sqlTermination: .semicolon) {
                pieces.append(Script(name: name, text: current, firstLine: currentFirst, continues: true))
                currentFirst = firstLine + index + 1
                current = ""
                count = 0
            }
        }
        if count > 0 || pieces.isEmpty { pieces.append(Script(name: name, text: current, firstLine: currentFirst)) }
        return pieces
    }

    /// `range` moved from this chunk's lines to the file's.
    func fileRange(_ range: SourceRange) -> SourceRange {
        var moved = range
        moved.start.line += firstLine - 1
        moved.end.line += firstLine - 1
        return moved
    }
}

/// A parsed statement and the script it came from.
struct ScriptStatement {
    var script: Script
    var statement: Statement

    /// `NAME:LINE:COL` of the statement's start.
    var location: String {
        let start = script.fileRange(statement.range).start
        return "\(script.name):\(start.line):\(start.column)"
    }
}

/// Runs soup statements and SQL in order within a transaction mode (`--tx`), printing the
/// value of each expression statement and the rows of each query.
///
/// `file` wraps everything in one transaction, committed at the end and rolled back at the
/// first error (or always, with `--dry-run`); `statement` and `none` leave raw SQL in the
/// database's autocommit, so each statement commits on its own unless it opens a transaction.
struct StatementRunner {
    var soup: Soup
    var printer: ResultPrinter
    var sink: OutputSink
    var mode: TransactionMode
    var readOnly: Bool
    var dryRun: Bool
    var timing: Bool
    var verbose: Bool
    var interrupts: InterruptMonitor
    /// `--continue`: report a failed statement, roll back just that statement, and go on.
    var continueOnError = false
    /// What SQL statements changed, for the dry-run report.
    private let changedStatements = Counter()
    private let changedRows = Counter()

    private var connection: any Connection { soup.connection }

    /// Parses every script (to report syntax errors before anything runs, and to choose the
    /// transaction), then parses and runs them again piece by piece; returns the exit status.
    func run(_ scripts: [Script]) -> Int32 {
        let chunks = scripts.flatMap { $0.chunks() }
        var blocker: String?
        var onlyReads = true
        for chunk in chunks {
            do {
                for statement in try Parser.parse(chunk.text) {
                    if blocker == nil, Self.cannotRunInTransaction(statement) {
                        blocker = ScriptStatement(script: chunk, statement: statement).location
                    }
                    if onlyReads, !StatementClassifier.isRead(statement) { onlyReads = false }
                }
            } catch {
                var located = error
                located.range = chunk.fileRange(error.range)
                StandardError.line(located.rendered(in: chunk.text, path: chunk.name))
                return ExitStatus.statementFailed
            }
        }
        var mode = dryRun ? .file : self.mode
        if mode == .file, let blocker {
            note("\(blocker): this statement manages transactions itself or cannot run in one; running every statement in autocommit")
            mode = .none
        }
        // A script of reads runs in a read-only transaction (one snapshot on PostgreSQL).
        let readOnlyTransaction = readOnly || onlyReads
        var failures = 0
        do {
            if mode == .file { try begin(readOnly: readOnlyTransaction) }
            for chunk in chunks {
                try run(chunk, mode: mode, failures: &failures)
                // Within a long script, pending rows go out at the end of each piece, so they need
                // not all stay in memory.
                if chunk.continues, mode != .none { try soup.flush() }
            }
            try finish(mode: mode)
            return failures > 0 ? ExitStatus.statementFailed : ExitStatus.success
        } catch OutputError.brokenPipe {
            // The reader went away (`| head`): stop quietly, commit nothing, exit as SIGPIPE would.
            rollbackAfterFailure()
            return ExitStatus.brokenPipe
        } catch let failure as StatementFailure {
            try? sink.flush()
            report(failure)
            if StatementFailure.lostConnection(in: failure) != nil {
                StandardError.line("soup: the connection was lost; uncommitted work in this run was rolled back by the server")
            }
            rollbackAfterFailure()
            return failure.isCancel(interrupts) ? ExitStatus.interrupted : ExitStatus.statementFailed
        } catch {
            StandardError.line("soup: error: \(error)")
            rollbackAfterFailure()
            return ExitStatus.statementFailed
        }
    }

    /// Runs the statements of one piece of a script; with `--continue`, a failed statement is
    /// reported, undone back to its savepoint, and counted in `failures`.
    private func run(_ chunk: Script, mode: TransactionMode, failures: inout Int) throws {
        for statement in try Parser.parse(chunk.text) {
            let item = ScriptStatement(script: chunk, statement: statement)
            let marker = continueOnError && mode == .file ? try soup.savepoint() : nil
            do {
                try runAndPrint(item, mode: mode)
                if marker != nil { try soup.releaseSavepoint() }
            } catch let failure as StatementFailure where continueOnError && !failure.isFatal(interrupts) {
                try? sink.flush()
                report(failure)
                failures += 1
                if let marker {
                    try soup.rollback(to: marker)
                } else {
                    try soup.rollback()
                }
            }
        }
    }

    /// How one input of the REPL ended.
    enum InteractiveOutcome {
        case succeeded
        case failed
        /// Ctrl-C cancelled it.
        case interrupted
    }

    /// Runs one input of the REPL inside the session's open transaction: the first
    /// statement that may write opens it, and a failed input is undone back to a savepoint so the
    /// transaction and the work before it survive. Reads with no transaction open run outside
    /// one, so a read never leaves uncommitted work behind; statements that manage transactions
    /// themselves (BEGIN, COMMIT, ...) run as written. With `autocommit`, each input commits on
    /// success.
    func runInteractive(_ script: Script, autocommit: Bool) -> InteractiveOutcome {
        let statements: [ScriptStatement]
        do {
            statements = try Parser.parse(script.text, sqlTermination: .semicolon).map { ScriptStatement(script: script, statement: $0) }
        } catch {
            StandardError.line(error.rendered(in: script.text, path: nil))
            return .failed
        }
        let fresh = connection.transactionStatus == .idle && !soup.session.hasChanges
        let before = UncommittedWork(soup: soup, status: connection.transactionStatus)
        let asWritten =
            autocommit || statements.contains { Self.cannotRunInTransaction($0.statement) }
            || (fresh && statements.allSatisfy { StatementClassifier.isRead($0.statement) })
        var marker: Session.Marker?
        do {
            if !asWritten {
                if connection.transactionStatus == .idle { try begin() }
                marker = try soup.savepoint()
            }
            for statement in statements {
                try runAndPrint(statement, mode: .none)
            }
            if autocommit {
                try soup.commit()
            } else if marker != nil, connection.transactionStatus == .inTransaction {
                try soup.releaseSavepoint()
            }
            try sink.flush()
            return .succeeded
        } catch OutputError.brokenPipe {
            return .failed
        } catch {
            try? sink.flush()
            var interrupted = interrupts.wasInterrupted
            if let failure = error as? StatementFailure {
                report(failure)
                interrupted = interrupted || failure.isCancel(interrupts)
            } else {
                StandardError.line("soup: error: \(error)")
            }
            interrupts.reset()
            if let lost = StatementFailure.lostConnection(in: error) {
                forgetLostConnection(before, duringCommit: lost.sql.map(Self.isCommit) ?? false)
                return .failed
            }
            // A transaction this input opened with nothing before it is ended, not kept empty.
            recover(to: fresh ? nil : marker)
            return interrupted ? .interrupted : .failed
        }
    }

    /// After the connection was lost in the REPL: says what uncommitted work went with it,
    /// and resets the session as a rollback would (the server rolled the transaction back).
    /// Lost during COMMIT, the work may or may not have been committed, and it says so.
    private func forgetLostConnection(_ lost: UncommittedWork, duringCommit: Bool) {
        soup.forgetLostTransaction()
        soup.refreshSchema()
        let what: String
        if duringCommit {
            what = "it went during COMMIT, so whether \(lost.summary ?? "the transaction") was committed is unknown: look before doing it again"
        } else {
            what = lost.summary.map { "lost: \($0); nothing of it was committed" } ?? "no uncommitted work was lost"
        }
        StandardError.line("soup: the connection to the server was lost; \(what); the next statement reconnects")
    }

    /// Whether `sql` is a COMMIT (or END).
    static func isCommit(_ sql: String) -> Bool {
        let word = sql.trimmingWhitespace().prefix { $0.isLetter }.lowercased()
        return word == "commit" || word == "end"
    }

    /// Returns the session to where the failed input started.
    private func recover(to marker: Session.Marker?) {
        do {
            if let marker, connection.transactionStatus != .idle {
                try soup.rollback(to: marker)
                try soup.releaseSavepoint()
            } else if connection.transactionStatus != .idle {
                try soup.rollback()
            }
        } catch {
            StandardError.line("soup: the transaction could not be kept and was rolled back: \(error)")
            try? soup.rollback()
        }
    }

    private func begin(readOnly: Bool? = nil) throws {
        try control(connection.dialect.beginStatement(readOnly: readOnly ?? self.readOnly))
    }

    private func finish(mode: TransactionMode) throws {
        try sink.flush()
        switch mode {
        case .file:
            try soup.flush()
            if dryRun {
                if connection.transactionStatus != .idle { try control("ROLLBACK") }
                StandardError.line(
                    "soup: dry run: would have committed \(changedStatements.value) statement(s) changing "
                        + "\(changedRows.value) row(s) and \(soup.writesSent) session write(s); rolled back, nothing was committed")
            } else if connection.transactionStatus != .idle {
                try control("COMMIT")
            }
        case .statement:
            try soup.commit()
        case .none:
            if soup.session.hasChanges || connection.transactionStatus != .idle {
                try soup.rollback()
                StandardError.line("soup: warning: uncommitted changes were rolled back (--tx none needs an explicit commit())")
            }
        }
    }

    private func runAndPrint(_ item: ScriptStatement, mode: TransactionMode) throws {
        guard !interrupts.wasInterrupted else {
            throw StatementFailure(item: item, error: .database(DatabaseError(kind: .cancelled, message: "interrupted")))
        }
        let started = ContinuousClock.now
        do {
            try interrupts.whileRunning(connection.makeCanceller()) {
                try execute(item, mode: mode)
                if mode == .statement { try soup.commit() }
                try sink.flush()
            }
        } catch let error as DatabaseError {
            flushNotices()
            throw StatementFailure(item: item, error: .database(error))
        } catch let error as EvaluationError {
            throw StatementFailure(item: item, error: .evaluation(error))
        }
        flushNotices()
        if timing {
            StandardError.line("Time: \(Self.milliseconds(ContinuousClock.now - started)) ms")
        }
    }

    private func execute(_ item: ScriptStatement, mode: TransactionMode) throws {
        switch item.statement.kind {
        case .sql(let sql):
            let cursor = try soup.execute(sql: sql)
            if cursor.columns.isEmpty {
                while try cursor.next() != nil {}
                if let rows = cursor.rowsAffected, rows > 0 {
                    changedStatements.value += 1
                    changedRows.value += rows
                }
                if printer.options.format == .table, let tag = cursor.commandTag {
                    sink.write(tag + "\n")
                }
            } else {
                try printer.print(cursor, to: sink)
            }
        case .commit:
            try soup.commit()
            if mode == .file, connection.transactionStatus == .idle { try begin() }
        case .rollback:
            try soup.rollback()
            if mode == .file { try begin() }
        case .meta(let meta):
            throw EvaluationError(
                "meta commands such as \\\(meta.name) work in the REPL, not here", range: item.statement.range)
        case .expression, .assignment:
            guard let value = try soup.evaluateForPrinting(item.statement) else { return }
            try print(try soup.presentation(of: value))
        }
    }

    private func print(_ presentation: Presentation) throws {
        switch presentation {
        case .nothing:
            if printer.options.format == .json { try printer.print(value: .null, to: sink) }
        case .resultSet(let cursor):
            try printer.print(cursor, to: sink)
        case .scalar(let value):
            try printer.print(value: value, to: sink)
        case .list(let values, let repr):
            switch printer.options.format {
            case .json, .jsonl: try printer.print(value: .array(values), to: sink)
            default: sink.write(repr + "\n")
            }
        case .text(let text):
            sink.write(text + (text.hasSuffix("\n") ? "" : "\n"))
        }
    }

    private func control(_ sql: String) throws {
        do {
            try connection.execute(sql)
        } catch let error as DatabaseError {
            let script = Script(name: "soup", text: sql)
            let statement = Statement(.sql(sql), range: SourceRange(at: SourceLocation(offset: 0, line: 1, column: 1)))
            throw StatementFailure(item: ScriptStatement(script: script, statement: statement), error: .database(error))
        }
    }

    private func rollbackAfterFailure() {
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

    /// `NAME:LINE:COL: ERROR:  message (SQLSTATE …)` with psql's LINE/caret, DETAIL and HINT,
    /// or `NAME:LINE:COL: error: message` with the source line and a caret for soup errors.
    private func report(_ failure: StatementFailure) {
        let start = failure.item.script.fileRange(failure.item.statement.range).start
        switch failure.error {
        case .database(let error):
            var line = start.line
            var column = start.column
            if let location = error.location {
                line = start.line + location.line - 1
                column = location.line == 1 ? start.column + location.column - 1 : location.column
            }
            var positioned = error
            positioned.message = "\(failure.item.script.name):\(line):\(column): ERROR:  \(error.message)"
            StandardError.line(positioned.report)
        case .evaluation(let error):
            let range = failure.item.script.fileRange(error.range ?? failure.item.statement.range)
            let parseStyle = ParseError(error.message, range: range, hint: error.hint)
            StandardError.line(parseStyle.rendered(in: failure.item.script.text, path: failure.item.script.name))
        }
    }

    /// Statements that `file` mode cannot wrap in a transaction.
    static func cannotRunInTransaction(_ statement: Statement) -> Bool {
        guard case .sql(let sql) = statement.kind else { return false }
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
        let fraction = String(micro % 1000)
        return "\(micro / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// A failed statement, with where it came from.
struct StatementFailure: Error {
    enum Cause {
        case database(DatabaseError)
        case evaluation(EvaluationError)
    }

    var item: ScriptStatement
    var error: Cause

    /// Whether the run must stop even with `--continue`: Ctrl-C, or a lost connection.
    func isFatal(_ interrupts: InterruptMonitor) -> Bool {
        if interrupts.wasInterrupted { return true }
        guard case .database(let error) = error else { return false }
        return error.kind == .cancelled || error.kind == .connectionLost || error.kind == .connection
    }

    /// The database error in `error` (a failed statement, or an error from the transaction
    /// control around statements) when it says the connection to the server was lost.
    static func lostConnection(in error: any Error) -> DatabaseError? {
        var database = error as? DatabaseError
        if let failure = error as? StatementFailure, case .database(let inner) = failure.error { database = inner }
        return database?.kind == .connectionLost ? database : nil
    }

    /// Whether the failure is an interrupt (exit 130).
    func isCancel(_ interrupts: InterruptMonitor) -> Bool {
        if interrupts.wasInterrupted { return true }
        if case .database(let error) = error { return error.kind == .cancelled }
        return false
    }
}

/// A count that a non-mutating method can add to.
final class Counter {
    var value = 0
}

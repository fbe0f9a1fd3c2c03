import SoupDriver
import SoupLanguage
import SoupSQL

/// Runs the statements of a run one at a time: shows each result, reports the server's notices
/// and how long the statement took, and turns its errors into a ``StatementFailure`` that says
/// where it was. Which transaction a statement runs in is the caller's business.
final class StatementExecutor {
    let soup: Soup
    let delegate: any RunDelegate
    let interrupts: any Interrupts
    /// Runs after each statement, inside its time and its Ctrl-C handling (the commit of
    /// `statement` mode, say).
    var afterEach: (Statement) throws -> Void = { _ in }
    /// Results show at most this many rows (`\limit`, `--limit`); nil shows every row.
    var rowLimit: Int?
    /// Whether a transaction was open when the statement running now started.
    private var inTransaction = false
    /// SQL statements that changed rows, and the rows they changed (for a dry run's summary).
    private(set) var changedStatements = 0
    private(set) var changedRows = 0

    init(soup: Soup, delegate: any RunDelegate, interrupts: any Interrupts) {
        self.soup = soup
        self.delegate = delegate
        self.interrupts = interrupts
    }

    /// Runs one statement and shows its result.
    /// - Throws: ``StatementFailure`` when it fails; ``OutputClosed`` from the delegate.
    func run(_ item: ScriptStatement, as action: ((ScriptStatement) throws -> Void)? = nil) throws {
        guard !interrupts.wasInterrupted else {
            throw StatementFailure(item, .database(DatabaseError(kind: .cancelled, message: "interrupted")))
        }
        if case .refuse(let message) = delegate.willRun(item) { throw StatementFailure(item, .refused(message)) }
        let started = ContinuousClock.now
        do {
            try interrupts.whileRunning(soup.connection.makeCanceller()) {
                try (action ?? execute)(item)
                try afterEach(item.statement)
                try delegate.flush()
            }
        } catch let error as DatabaseError {
            reportNotices()
            throw StatementFailure(item, .database(error))
        } catch let error as EvaluationError {
            throw StatementFailure(item, .evaluation(error))
        }
        reportNotices()
        delegate.report(.finished(item, elapsed: ContinuousClock.now - started))
    }

    private func execute(_ item: ScriptStatement) throws {
        // Asked before the statement is sent: while its rows stream, PostgreSQL reports the
        // connection as busy rather than idle.
        inTransaction = soup.connection.transactionStatus != .idle
        switch item.statement.kind {
        case .sql(let sql):
            if let table = SQLShape.unfilteredWriteTable(in: sql) {
                do {
                    try soup.confirmWriteOfEveryRow(of: table, statement: "this statement has no WHERE and") {
                        try soup.flush()
                        if case .integer(let rows)? = try soup.connection.fetchAll("SELECT count(*) FROM " + table).first?.first { return Int(rows) }
                        return 0
                    }
                } catch var error as EvaluationError {
                    error.range = item.statement.range
                    throw error
                }
            }
            if let explained = SQLShape.explain(in: sql) {
                return try delegate.show(.plan(try soup.explain(sql: explained.statement, analyze: explained.analyze)), of: item)
            }
            if let rowLimit, rowLimit > 0, let read = try soup.declaredRead(sql, limit: rowLimit) {
                return try delegate.show(.resultSet(LimitedCursor(read, limit: rowLimit, readsRest: false)), of: item)
            }
            let cursor = try soup.execute(sql: sql)
            guard cursor.columns.isEmpty else { return try delegate.show(.resultSet(limited(cursor, item)), of: item) }
            while try cursor.next() != nil {}
            if let rows = cursor.rowsAffected, rows > 0 {
                changedStatements += 1
                changedRows += rows
            }
            if let tag = cursor.commandTag { try delegate.show(.commandTag(tag), of: item) }
        case .commit:
            try soup.commit()
        case .rollback:
            try soup.rollback()
        case .meta(let meta):
            throw EvaluationError("meta commands such as \\\(meta.name) work in the REPL, not here", range: item.statement.range)
        case .expression, .assignment:
            guard let value = try soup.evaluateForPrinting(item.statement) else { return }
            if let rowLimit, rowLimit > 0, case .query(let query) = value, let read = try soup.declaredRead(of: query, limit: rowLimit) {
                return try delegate.show(.resultSet(LimitedCursor(read, limit: rowLimit, readsRest: false)), of: item)
            }
            var presentation = try soup.presentation(of: value)
            if case .resultSet(let cursor) = presentation { presentation = .resultSet(limited(cursor, item)) }
            try delegate.show(presentation, of: item)
        }
    }

    /// `cursor` cut off at the row limit. A statement that may write is read to its end, and so
    /// is a PostgreSQL read inside a transaction that could not run as a cursor
    /// (``Soup/declaredRead(_:parameters:limit:)``): cancelling it would abort the transaction.
    private func limited(_ cursor: any RowCursor, _ item: ScriptStatement) -> any RowCursor {
        guard let rowLimit, rowLimit > 0 else { return cursor }
        let readsRest =
            StatementClassifier.effect(of: item.statement) != .read
            || (soup.dialect.engine == .postgres && inTransaction)
        return LimitedCursor(cursor, limit: rowLimit, readsRest: readsRest)
    }

    private func reportNotices() {
        for notice in soup.connection.takeNotices() {
            delegate.report(.notice(notice))
        }
    }
}

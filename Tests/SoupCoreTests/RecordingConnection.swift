import SoupCore
import SoupDriver
import SoupLanguage

/// A connection with no database behind it that records each call (in the manner of SQLKit's
/// `TestDatabase`): the transaction steps as typed calls, and the SQL of every query. It keeps
/// the transaction status as a database would, and can be told to fail at call N.
///
/// A call is written `begin`, `begin read-only`, `commit`, `rollback`, `savepoint`, `release`,
/// `rollback to savepoint`, or the SQL sent; a failed call ends with ` ✗`.
final class RecordingConnection: Connection {
    let dialect: Dialect
    var displayName: String { "recording" }
    private(set) var transactionStatus = TransactionStatus.idle
    private(set) var calls: [String] = []
    /// The 1-based call that fails, and how.
    var failure: (call: Int, kind: DatabaseError.Kind)?

    init(dialect: Dialect = .postgres, failingAt call: Int? = nil, kind: DatabaseError.Kind = .statement) {
        self.dialect = dialect
        failure = call.map { ($0, kind) }
    }

    func perform(_ control: TransactionControl) throws {
        let name: String
        switch control {
        case .begin(let readOnly): name = readOnly ? "begin read-only" : "begin"
        case .commit: name = "commit"
        case .rollback: name = "rollback"
        case .savepoint: name = "savepoint"
        case .releaseSavepoint: name = "release"
        case .rollbackToSavepoint: name = "rollback to savepoint"
        }
        try record(name, sql: dialect.sql(for: control))
        switch control {
        case .begin: transactionStatus = .inTransaction
        case .commit, .rollback: transactionStatus = .idle
        default: break
        }
    }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        try record(sql, sql: sql)
        let word = sql.prefix { $0.isLetter }.uppercased()
        switch word {
        case "BEGIN": transactionStatus = .inTransaction
        case "COMMIT", "ROLLBACK", "END": transactionStatus = .idle
        default: break
        }
        if word == "SELECT" { return ArrayCursor(columns: [ColumnDescription(name: "x")], rows: [[.integer(1)]]) }
        let changes = ["INSERT", "UPDATE", "DELETE"].contains(word)
        return ArrayCursor(columns: [], rows: [], rowsAffected: changes ? 1 : nil)
    }

    func executeScript(_ sql: String) throws {
        _ = try query(sql, [])
    }

    func describe(_ sql: String) throws -> [DescribedColumn] {
        try record("describe " + sql, sql: sql)
        return [DescribedColumn(name: "x", typeName: "")]
    }

    func makeCanceller() -> any Canceller { NoCanceller() }

    func close() {}

    private func record(_ call: String, sql: String) throws {
        calls.append(call)
        guard let failure, failure.call == calls.count else { return }
        calls[calls.count - 1] += " ✗"
        throw DatabaseError(kind: failure.kind, message: "failed at call \(failure.call)", sql: sql)
    }
}

private struct NoCanceller: Canceller {
    func cancel() {}
}

/// A delegate that records what a run shows and reports, one line each.
final class RecordingDelegate: RunDelegate {
    private(set) var lines: [String] = []
    /// Statements whose text holds this are refused by ``willRun(_:)``.
    var refusing: String?
    /// ``show(_:of:)`` throws ``OutputClosed``, as when the reader went away.
    var outputClosed = false

    func willRun(_ statement: ScriptStatement) -> StatementDecision {
        guard let refusing, case .sql(let sql) = statement.statement.kind, sql.contains(refusing) else { return .run }
        return .refuse("refused")
    }

    func show(_ result: Presentation, of statement: ScriptStatement) throws {
        if outputClosed { throw OutputClosed() }
        switch result {
        case .resultSet(let cursor): lines.append("rows of \(statement.location): \(try cursor.next() ?? [])")
        case .scalar(let value): lines.append("value \(value)")
        default: lines.append("shown \(statement.location)")
        }
    }

    func flush() throws {}

    func report(_ event: RunEvent) {
        switch event {
        case .finished, .notice: break
        case .failed(let failure): lines.append("failed \(failure.statement.location)")
        case .unreadable(let error): lines.append("unreadable \(error.error.range.start)")
        case .error(let error): lines.append("error \(error)")
        case .autocommitInstead(let statement): lines.append("autocommit because of \(statement.location)")
        case .rolledBack: lines.append("rolled back")
        case .rollbackFailed: lines.append("rollback failed")
        case .uncommittedWorkRolledBack: lines.append("uncommitted work rolled back")
        case .dryRunEnded(let summary):
            lines.append("dry run: \(summary.statements) statements, \(summary.rows) rows, \(summary.sessionWrites) session writes")
        case .connectionLost(let lost, let duringCommit):
            let what = lost.map { $0.summary ?? "nothing" } ?? "the run"
            lines.append("connection lost: \(what)\(duringCommit ? ", during commit" : "")")
        case .transactionAbandoned: lines.append("transaction abandoned")
        }
    }
}

import CSQLite
import SoupDriver

/// Steps a prepared statement one row at a time.
final class SQLiteCursor: Cursor, BorrowingRowCursor {
    private(set) var columns: [ColumnDescription] = []
    private(set) var rowsAffected: Int?
    let commandTag: String? = nil

    private let statement: SQLiteStatement
    private let connection: SQLiteConnection
    private var columnCount: Int32 = 0
    private var isFinished = false
    /// The first step found a row that `next` has not returned yet.
    private var hasPendingRow = false

    /// Takes the first step before reading the columns: a kept statement whose schema changed
    /// since it was prepared (another connection's `ALTER TABLE`) is prepared again by that
    /// step, and its columns change with it. Errors surface here, as on PostgreSQL.
    init(statement: SQLiteStatement, connection: SQLiteConnection) throws {
        self.statement = statement
        self.connection = connection
        hasPendingRow = try step()
        columns = statement.columns
        columnCount = Int32(columns.count)
    }

    deinit {
        finish()
    }

    func next() throws -> [Value]? {
        guard try nextStep() else { return nil }
        var row: [Value] = []
        row.reserveCapacity(Int(columnCount))
        for index in 0..<columnCount {
            row.append(statement.value(at: index))
        }
        return row
    }

    let lendsStoredValues = true

    func nextBorrowed(_ field: (BorrowedValue) -> Void) throws -> Bool {
        guard try nextStep() else { return false }
        for index in 0..<columnCount {
            field(statement.borrowedValue(at: index))
        }
        return true
    }

    /// The row the first step found, then the next ones.
    @inline(__always)
    private func nextStep() throws -> Bool {
        if hasPendingRow {
            hasPendingRow = false
            return true
        }
        return try step()
    }

    /// Steps to the next row; `false`, with the statement reset, after the last.
    private func step() throws -> Bool {
        guard !isFinished else { return false }
        let code = SQLiteResultCode(rawValue: sqlite3_step(statement.handle))
        switch code {
        case .row:
            return true
        case .done:
            if sqlite3_stmt_readonly(statement.handle) == 0 {
                rowsAffected = Int(sqlite3_changes64(sqlite3_db_handle(statement.handle)))
            }
            finish()
            return false
        default:
            let error = connection.error(code: code, sql: statement.sql)
            finish()
            throw error
        }
    }

    private func finish() {
        guard !isFinished else { return }
        isFinished = true
        sqlite3_reset(statement.handle)
        statement.isBusy = false
    }
}

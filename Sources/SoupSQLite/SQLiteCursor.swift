import CSQLite
import SoupDriver

/// Steps a prepared statement one row at a time.
final class SQLiteCursor: Cursor, BorrowingRowCursor {
    let columns: [ColumnDescription]
    private(set) var rowsAffected: Int?
    let commandTag: String? = nil

    private let statement: SQLiteStatement
    private let connection: SQLiteConnection
    private let columnCount: Int32
    private var isFinished = false

    init(statement: SQLiteStatement, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
        self.columns = statement.columns
        self.columnCount = Int32(columns.count)
    }

    deinit {
        finish()
    }

    func next() throws -> [Value]? {
        guard try step() else { return nil }
        var row: [Value] = []
        row.reserveCapacity(Int(columnCount))
        for index in 0..<columnCount {
            row.append(statement.value(at: index))
        }
        return row
    }

    let lendsStoredValues = true

    func nextBorrowed(_ field: (BorrowedValue) -> Void) throws -> Bool {
        guard try step() else { return false }
        for index in 0..<columnCount {
            field(statement.borrowedValue(at: index))
        }
        return true
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

import CSQLite
import SoupDriver

/// One INSERT (or any statement) prepared once and stepped for each row of a bulk load, with
/// values bound from the caller's bytes without copying them (`SQLITE_STATIC`: they stay valid
/// until ``run()`` returns, as ``RepeatedStatement`` requires).
final class SQLiteRepeatedStatement: RepeatedStatement {
    private let statement: SQLiteStatement
    private let connection: SQLiteConnection

    init(statement: SQLiteStatement, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    @inline(__always)
    private var handle: OpaquePointer { statement.handle }

    func bindNull(at index: Int) {
        sqlite3_bind_null(handle, Int32(index + 1))
    }

    func bind(_ value: Int64, at index: Int) {
        sqlite3_bind_int64(handle, Int32(index + 1), value)
    }

    func bind(_ value: Double, at index: Int) {
        sqlite3_bind_double(handle, Int32(index + 1), value)
    }

    func bind(text: UnsafeBufferPointer<UInt8>, at index: Int) {
        // A nil pointer would bind NULL, so the empty string gets a real one.
        guard let base = text.baseAddress, !text.isEmpty else {
            sqlite3_bind_text(handle, Int32(index + 1), "", 0, soup_sqlite_transient())
            return
        }
        base.withMemoryRebound(to: CChar.self, capacity: text.count) { chars in
            _ = sqlite3_bind_text64(handle, Int32(index + 1), chars, UInt64(text.count), nil, UInt8(SQLITE_UTF8))
        }
    }

    func bind(blob: UnsafeRawBufferPointer, at index: Int) {
        guard let base = blob.baseAddress, !blob.isEmpty else {
            sqlite3_bind_zeroblob(handle, Int32(index + 1), 0)
            return
        }
        sqlite3_bind_blob64(handle, Int32(index + 1), base, UInt64(blob.count), nil)
    }

    func run() throws -> Int {
        var code = SQLiteResultCode(rawValue: sqlite3_step(handle))
        defer { sqlite3_reset(handle) }
        // A RETURNING clause: its rows are not wanted.
        while code == .row { code = SQLiteResultCode(rawValue: sqlite3_step(handle)) }
        guard code == .done else { throw connection.error(code: code, sql: statement.sql) }
        return Int(sqlite3_changes(sqlite3_db_handle(handle)))
    }
}

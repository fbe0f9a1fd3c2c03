import CSQLite
import SoupDriver

/// A prepared SQLite statement; finalized when released.
final class SQLiteStatement {
    let handle: OpaquePointer
    let sql: String
    /// Whether a cursor is reading from this statement right now.
    var isBusy = false
    /// When the connection's cache last handed it out.
    var lastUse = 0
    /// The columns, as of the number of times SQLite prepared the statement again.
    private var knownColumns: (reprepares: Int32, columns: [ColumnDescription])?

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Result columns with their declared types; read again only after SQLite prepared the
    /// statement again (a schema change).
    var columns: [ColumnDescription] {
        let reprepares = sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let knownColumns, knownColumns.reprepares == reprepares { return knownColumns.columns }
        let columns = (0..<sqlite3_column_count(handle)).map { index in
            ColumnDescription(
                name: sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "?",
                typeName: sqlite3_column_decltype(handle, index).map { String(cString: $0) } ?? "")
        }
        knownColumns = (reprepares, columns)
        return columns
    }

    /// Resets the statement and binds `parameters` to its `?` placeholders (every one of them,
    /// so no binding of a previous run is left to clear).
    func bind(_ parameters: some RandomAccessCollection<Value>, connection db: OpaquePointer) throws {
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == parameters.count else {
            throw DatabaseError(
                kind: .statement,
                message: "the statement has \(expected) parameter(s) but \(parameters.count) value(s) were given",
                sql: sql)
        }
        for (offset, value) in parameters.enumerated() {
            let code = SQLiteResultCode(rawValue: bind(value, at: Int32(offset + 1)))
            guard code == .ok else { throw SQLiteConnection.error(db, code: code, sql: sql) }
        }
    }

    private func bind(_ value: Value, at index: Int32) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(handle, index)
        case .integer(let v):
            return sqlite3_bind_int64(handle, index, v)
        case .real(let v):
            return sqlite3_bind_double(handle, index, v)
        case .bool(let b):
            return sqlite3_bind_int64(handle, index, b ? 1 : 0)
        case .blob(let bytes):
            if bytes.isEmpty { return sqlite3_bind_zeroblob(handle, index, 0) }
            return bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob64(handle, index, raw.baseAddress, UInt64(raw.count), soup_sqlite_transient())
            }
        case .text(let s), .numeric(let s), .date(let s), .time(let s), .timestamp(let s),
            .timestampTZ(let s), .interval(let s), .uuid(let s), .json(let s), .other(_, let s):
            return bindText(s, at: index)
        case .array:
            return bindText(value.text ?? "", at: index)
        }
    }

    private func bindText(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { utf8 in
            // A nil pointer would bind NULL, so the empty string gets a real one.
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return sqlite3_bind_text(handle, index, "", 0, soup_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { chars in
                sqlite3_bind_text64(
                    handle, index, chars, UInt64(utf8.count), soup_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        }
    }

    /// Column `index` of the current row, borrowed: valid until the next step or column call.
    @inline(__always)
    func borrowedValue(at index: Int32) -> BorrowedValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let bytes = sqlite3_column_text(handle, index)  // before sqlite3_column_bytes, as SQLite asks
            return .text(UnsafeBufferPointer(start: bytes, count: bytes == nil ? 0 : Int(sqlite3_column_bytes(handle, index))))
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(handle, index)
            return .blob(UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : Int(sqlite3_column_bytes(handle, index))))
        default:
            return .null
        }
    }

    /// The value of column `index` of the current row.
    @inline(__always)
    func value(at index: Int32) -> Value {
        Value(stored: borrowedValue(at: index))
    }
}

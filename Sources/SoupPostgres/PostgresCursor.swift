import CLibPQ
import SoupDriver

/// Reads a statement's result row by row in libpq's single-row mode.
final class PostgresCursor: Cursor, BorrowingRowCursor {
    let columns: [ColumnDescription]
    private(set) var rowsAffected: Int?
    private(set) var commandTag: String?

    private let connection: PostgresConnection
    private let sql: String
    private var layout = ResultLayout()
    /// The first row, read while opening the cursor to learn the columns.
    private var pendingResult: OpaquePointer?
    private var isFinished = false

    /// Reads the first result so that the columns are known (and errors surface at once).
    init(connection: PostgresConnection, sql: String) throws {
        self.connection = connection
        self.sql = sql
        guard let first = connection.nextResult() else {
            columns = []
            isFinished = true
            return
        }
        switch soup_PQresultStatus(first) {
        case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
            layout = ResultLayout(of: first, custom: connection.customTypes)
            columns = layout.columns
            pendingResult = first
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            columns = []
            pendingResult = first
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            soup_PQclear(first)
            columns = []
            isFinished = true
            connection.abandonCopy()
            throw PostgresConnection.unsupportedCopy(sql: sql)
        default:
            let error = connection.error(from: first, sql: sql)
            soup_PQclear(first)
            columns = []
            drain()
            throw error
        }
    }

    deinit {
        discard()
    }

    func next() throws -> [Value]? {
        guard let result = try nextRowResult() else { return nil }
        defer { soup_PQclear(result) }
        return layout.row(0, of: result)
    }

    /// Every value is lent as the server's text.
    let lendsStoredValues = false

    func nextBorrowed(_ field: (BorrowedValue) -> Void) throws -> Bool {
        guard let result = try nextRowResult() else { return false }
        defer { soup_PQclear(result) }
        for column in 0..<Int32(columns.count) {
            if soup_PQgetisnull(result, 0, column) == 1 {
                field(.null)
            } else {
                field(.text(ResultLayout.text(of: result, row: 0, column: column)))
            }
        }
        return true
    }

    func value(lentText text: UnsafeBufferPointer<UInt8>, column: Int) -> Value {
        layout.value(of: text, column: column)
    }

    /// The next one-row result (the caller clears it), or nil once the statement is complete.
    private func nextRowResult() throws -> OpaquePointer? {
        while !isFinished {
            let result: OpaquePointer
            if let pendingResult {
                result = pendingResult
                self.pendingResult = nil
            } else if let next = connection.nextResult() {
                result = next
            } else {
                isFinished = true
                return nil
            }
            switch soup_PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                return result
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                record(result)
            case PGRES_EMPTY_QUERY:
                break
            default:
                let error = connection.error(from: result, sql: sql)
                soup_PQclear(result)
                drain()
                throw error
            }
            soup_PQclear(result)
        }
        return nil
    }

    private func record(_ result: OpaquePointer) {
        let tag = String(cString: soup_PQcmdStatus(result))
        if !tag.isEmpty { commandTag = tag }
        let tuples = String(cString: soup_PQcmdTuples(result))
        if let count = Int(tuples), !tag.hasPrefix("SELECT") { rowsAffected = count }
    }

    /// Stops reading: cancels a result that is still streaming and consumes what is left.
    func discard() {
        guard !isFinished else { return }
        if let pendingResult {
            soup_PQclear(pendingResult)
            self.pendingResult = nil
        }
        connection.makeCanceller().cancel()
        drain()
    }

    /// Consumes every remaining result so the connection is ready for the next statement.
    private func drain() {
        isFinished = true
        while let result = connection.nextResult() {
            soup_PQclear(result)
        }
    }
}

/// The columns of a result and how their values decode.
struct ResultLayout {
    private(set) var columns: [ColumnDescription] = []
    private var decodings: [PostgresType.Decoding] = []

    init() {}

    /// Reads the column names and types of `result`, consulting `custom` for user-defined types.
    init(of result: OpaquePointer, custom: [UInt32: PostgresType.Custom]) {
        for index in 0..<soup_PQnfields(result) {
            let type = PostgresType.describe(soup_PQftype(result, index), custom: custom)
            columns.append(ColumnDescription(name: String(cString: soup_PQfname(result, index)), typeName: type.name))
            decodings.append(type.decoding)
        }
    }

    /// Row `row` of `result`, decoded.
    func row(_ row: Int32, of result: OpaquePointer) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(decodings.count)
        for index in decodings.indices {
            let column = Int32(index)
            if soup_PQgetisnull(result, row, column) == 1 {
                values.append(.null)
                continue
            }
            values.append(value(of: Self.text(of: result, row: row, column: column), column: index))
        }
        return values
    }

    /// The value that the server's text `bytes` for `column` stands for.
    @inline(__always)
    func value(of bytes: UnsafeBufferPointer<UInt8>, column: Int) -> Value {
        PostgresDecoder.decode(bytes, as: decodings[column], typeName: columns[column].typeName)
    }

    /// The server's text for a non-NULL value of `result`.
    @inline(__always)
    static func text(of result: OpaquePointer, row: Int32, column: Int32) -> UnsafeBufferPointer<UInt8> {
        let length = Int(soup_PQgetlength(result, row, column))
        let bytes = UnsafeRawPointer(soup_PQgetvalue(result, row, column)!).assumingMemoryBound(to: UInt8.self)
        return UnsafeBufferPointer(start: bytes, count: length)
    }
}

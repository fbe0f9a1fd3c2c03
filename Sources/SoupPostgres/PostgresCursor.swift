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
    /// The first row, read while opening the cursor to learn the columns. Only this cursor's
    /// methods touch it, on the connection's thread, so the run-time exclusivity check that
    /// taking it would cost on every row (some 60 instructions) is left out.
    @exclusivity(unchecked) private var pendingResult: PostgresResult?
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
        switch first.status {
        case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
            layout = ResultLayout(of: first, custom: connection.customTypes)
            columns = layout.columns
            pendingResult = consume first
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            columns = []
            pendingResult = consume first
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            columns = []
            isFinished = true
            connection.abandonCopy()
            throw PostgresConnection.unsupportedCopy(sql: sql)
        default:
            let error = connection.error(from: first, sql: sql)
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
        return layout.row(0, of: result)
    }

    /// Every value is lent as the server's text.
    let lendsStoredValues = false

    func nextBorrowed(_ field: (BorrowedValue) -> Void) throws -> Bool {
        guard let result = try nextRowResult() else { return false }
        for column in 0..<Int32(columns.count) {
            field(result.isNull(row: 0, column: column) ? .null : .text(result.bytes(row: 0, column: column)))
        }
        return true
    }

    func value(lentText text: UnsafeBufferPointer<UInt8>, column: Int) -> Value {
        layout.value(of: text, column: column)
    }

    /// The next one-row result, or nil once the statement is complete.
    private func nextRowResult() throws -> PostgresResult? {
        while !isFinished {
            let result: PostgresResult
            if let pending = pendingResult.take() {
                result = pending
            } else if let next = connection.nextResult() {
                result = next
            } else {
                isFinished = true
                return nil
            }
            switch result.status {
            case PGRES_SINGLE_TUPLE:
                return result
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                record(result)
            case PGRES_EMPTY_QUERY:
                break
            default:
                let error = connection.error(from: result, sql: sql)
                drain()
                throw error
            }
        }
        return nil
    }

    private func record(_ result: borrowing PostgresResult) {
        let tag = result.commandStatus
        if !tag.isEmpty { commandTag = tag }
        connection.noteCompleted(tag: tag)
        if let count = Int(result.commandTuples), !tag.hasPrefix("SELECT") { rowsAffected = count }
    }

    /// Stops reading: cancels a result that is still streaming and consumes what is left.
    func discard() {
        guard !isFinished else { return }
        pendingResult = nil
        connection.makeCanceller().cancel()
        drain()
    }

    /// Consumes every remaining result so the connection is ready for the next statement.
    private func drain() {
        isFinished = true
        connection.discardResults()
    }
}

/// The columns of a result and how their values decode.
struct ResultLayout {
    private(set) var columns: [ColumnDescription] = []
    private var decodings: [PostgresType.Decoding] = []

    init() {}

    /// Reads the column names and types of `result`, consulting `custom` for user-defined types.
    init(of result: borrowing PostgresResult, custom: [UInt32: PostgresType.Custom]) {
        let columns = 0..<result.columnCount
        self.init(names: columns.map { result.columnName($0) }, types: columns.map { result.columnType($0) }, custom: custom)
    }

    /// The layout of columns named `names` of types `types`.
    init(names: [String], types: [UInt32], custom: [UInt32: PostgresType.Custom]) {
        for (name, oid) in zip(names, types) {
            let type = PostgresType.describe(oid, custom: custom)
            columns.append(ColumnDescription(name: name, typeName: type.name))
            decodings.append(type.decoding)
        }
    }

    /// Whether a column of `result` has a user-defined type that `known` lacks (built-in types
    /// have OIDs below 16384; a domain's values come as its base type).
    static func needsCustomTypes(_ result: borrowing PostgresResult, known: [UInt32: PostgresType.Custom]) -> Bool {
        for index in 0..<result.columnCount {
            let oid = result.columnType(index)
            if oid >= 16384 && known[oid] == nil { return true }
        }
        return false
    }

    /// Row `row` of `result`, decoded.
    func row(_ row: Int32, of result: borrowing PostgresResult) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(decodings.count)
        for index in decodings.indices {
            let column = Int32(index)
            if result.isNull(row: row, column: column) {
                values.append(.null)
                continue
            }
            values.append(value(of: result.bytes(row: row, column: column), column: index))
        }
        return values
    }

    /// The value that the server's text `bytes` for `column` stands for.
    @inline(__always)
    func value(of bytes: UnsafeBufferPointer<UInt8>, column: Int) -> Value {
        PostgresDecoder.decode(bytes, as: decodings[column], typeName: columns[column].typeName)
    }
}

/// A batch's result whose columns have user-defined types not read yet: its names, types and
/// the server's text of its values, decoded once the types are read.
struct UndecodedRows {
    let index: Int
    private let names: [String]
    private let types: [UInt32]
    private var rows: [[[UInt8]?]] = []

    init(index: Int, result: borrowing PostgresResult) {
        self.index = index
        let columns = 0..<result.columnCount
        names = columns.map { result.columnName($0) }
        types = columns.map { result.columnType($0) }
        for row in 0..<result.rowCount {
            var values: [[UInt8]?] = []
            for column in columns {
                values.append(result.isNull(row: row, column: column) ? nil : Array(result.bytes(row: row, column: column)))
            }
            rows.append(values)
        }
    }

    func decoded(custom: [UInt32: PostgresType.Custom]) -> [[Value]] {
        let layout = ResultLayout(names: names, types: types, custom: custom)
        return rows.map { row in
            row.enumerated().map { column, text in
                text.map { bytes in bytes.withUnsafeBufferPointer { layout.value(of: $0, column: column) } } ?? .null
            }
        }
    }
}

import SoupDriver
import SoupReflection

/// A row that cannot be imported: a value its column cannot take, or a row the database
/// refused. With `--continue` it is skipped and reported; otherwise it stops the import.
struct RowRejection: Error {
    var message: String
    /// The field (of the input record) at fault, when one is.
    var field: Int?
    /// The line of the file, when the row was rejected after it was read (PostgreSQL's COPY).
    var line: Int?
}

/// Where converted rows go: one prepared INSERT (SQLite), COPY (PostgreSQL), or nowhere (a
/// dry run, which still converts and checks every value).
protocol RowSink: AnyObject {
    /// Converts and writes the current record. Throws ``RowRejection`` for this row alone.
    func write(_ record: RecordReader) throws
    /// Writes what is buffered. Rows that the database refuses here come back to be skipped
    /// (with `--continue`) as rejections with their lines.
    func flush() throws -> [RowRejection]
    /// The rows written so far (known after ``flush()``).
    var rowsWritten: Int { get }
}

/// What every sink shares: the destination columns, the input field each is read from, and
/// how each value is converted.
struct ColumnMapping {
    /// The destination columns, in the order values are written.
    var columns: [Column]
    /// For each destination column, the input field it is read from.
    var fields: [Int]
    var conversions: [ValueConversion]

    init(columns: [Column], fields: [Int], engine: Dialect.Engine) {
        self.columns = columns
        self.fields = fields
        conversions = columns.map { ValueConversion(column: $0, engine: engine) }
    }
}

/// Checks a record's shape before its values are converted.
func checkFieldCount(_ record: RecordReader, expected: Int) throws {
    guard record.fieldCount != expected else { return }
    throw RowRejection(
        message: "the row has \(record.fieldCount) field\(record.fieldCount == 1 ? "" : "s"), the header \(expected)",
        field: record.fieldCount > expected ? expected : nil)
}

/// The SQLite sink: one prepared INSERT, stepped once per row, values bound from the
/// record's bytes.
final class SQLiteRowSink: RowSink {
    private let statement: any RepeatedStatement
    private let mapping: ColumnMapping
    private let expectedFields: Int
    private(set) var rowsWritten = 0
    /// Decoded blobs, one buffer per column, alive until the row is written.
    private var blobs: [UnsafeMutableRawBufferPointer]

    init(connection: any Connection, sql: String, mapping: ColumnMapping, expectedFields: Int) throws {
        statement = try connection.prepareRepeated(sql, parameterCount: mapping.columns.count)
        self.mapping = mapping
        self.expectedFields = expectedFields
        blobs = mapping.columns.map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1) }
    }

    deinit {
        for blob in blobs { blob.deallocate() }
    }

    func write(_ record: RecordReader) throws {
        try checkFieldCount(record, expected: expectedFields)
        for index in 0..<mapping.fields.count {
            let field = mapping.fields[index]
            try bind(record.field(field), kind: record.kind(field), conversion: mapping.conversions[index], at: index, field: field)
        }
        do {
            try statement.run()
        } catch let error as DatabaseError {
            throw RowRejection(message: error.message, field: nil)
        }
        rowsWritten += 1
    }

    @inline(__always)
    private func bind(
        _ bytes: UnsafeBufferPointer<UInt8>, kind: FieldKind, conversion: ValueConversion, at index: Int, field: Int
    ) throws {
        if kind == .null {
            statement.bindNull(at: index)
            return
        }
        switch conversion.kind {
        case .integer(let range):
            if kind == .boolean {
                statement.bind(Int64(bytes.first == UInt8(ascii: "t") ? 1 : 0), at: index)
                return
            }
            guard let value = ValueShape.anyInteger(bytes) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not an integer", column: mapping.columns[index].name), field: field)
            }
            guard range.contains(value) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is out of range for the column", column: mapping.columns[index].name), field: field)
            }
            statement.bind(value, at: index)
        case .real:
            guard kind != .boolean, let value = ValueShape.double(bytes) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not a number", column: mapping.columns[index].name), field: field)
            }
            statement.bind(value, at: index)
        case .decimal:
            guard kind != .boolean, ValueShape.isDecimal(bytes) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not a number", column: mapping.columns[index].name), field: field)
            }
            if let value = ValueShape.integer(bytes) {
                statement.bind(value, at: index)
            } else {
                statement.bind(text: bytes, at: index)
            }
        case .boolean:
            guard let value = ValueShape.boolean(bytes) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not a boolean", column: mapping.columns[index].name), field: field)
            }
            statement.bind(Int64(value ? 1 : 0), at: index)
        case .blob:
            try bindBlob(bytes, kind: kind, conversion: conversion, at: index, field: field)
        case .text, .array, .json:
            if kind == .number, conversion.acceptsNumbers {
                if let value = ValueShape.integer(bytes) {
                    statement.bind(value, at: index)
                } else if let value = ValueShape.double(bytes) {
                    statement.bind(value, at: index)
                }
                return
            }
            guard ValueShape.isValidUTF8(bytes) else {
                throw RowRejection(
                    message: "column \"\(mapping.columns[index].name)\": the value is not valid UTF-8 (give --encoding latin1 for a Latin-1 file)",
                    field: field)
            }
            statement.bind(text: bytes, at: index)
        }
    }

    private func bindBlob(
        _ bytes: UnsafeBufferPointer<UInt8>, kind: FieldKind, conversion: ValueConversion, at index: Int, field: Int
    ) throws {
        var decoded: [UInt8] = []
        if kind == .text, ValueShape.isHexBlob(bytes) {
            decoded.reserveCapacity((bytes.count - 2) / 2)
            var position = 2
            while position < bytes.count {
                decoded.append(HexDigit.value(bytes[position])! << 4 | HexDigit.value(bytes[position + 1])!)
                position += 2
            }
        } else if kind == .text, readsJSON, Base64.decode(bytes, into: &decoded) {
            // A JSON string in a blob column: base64, as soup writes blobs in JSON.
        } else {
            throw RowRejection(message: ValueConversion.refusal(bytes, "is not a blob (write it as \\x and hex digits)", column: mapping.columns[index].name), field: field)
        }
        if blobs[index].count < decoded.count {
            blobs[index].deallocate()
            blobs[index] = .allocate(byteCount: decoded.count, alignment: 1)
        }
        decoded.withUnsafeBytes { blobs[index].copyMemory(from: $0) }
        statement.bind(blob: UnsafeRawBufferPointer(rebasing: blobs[index][..<decoded.count]), at: index)
    }

    /// Set by the importer for JSON input, whose blobs are base64.
    var readsJSON = false

    func flush() throws -> [RowRejection] { [] }
}


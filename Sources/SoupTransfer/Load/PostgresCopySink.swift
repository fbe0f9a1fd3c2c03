import SoupDriver

/// The PostgreSQL sink: rows in COPY's text format, streamed through `COPY … FROM STDIN`.
///
/// Rows go out in batches of up to 50,000, one COPY each, so the file line of every row of
/// the batch in flight is known when the server refuses one (its CONTEXT names the COPY line):
/// the error then names the line of the file. With `--continue`, each batch is kept until the
/// server accepts it and runs inside a savepoint; a refused row is left out and the batch sent
/// again, so only the bad rows are skipped.
final class PostgresCopySink: RowSink {
    private let connection: any Connection
    private let copySQL: String
    private let mapping: ColumnMapping
    private let expectedFields: Int
    private let keepsBatches: Bool
    private let readsJSON: Bool
    /// Converts and checks every row but sends nothing (a dry run).
    var discards = false
    /// Runs after each batch is copied (the merge of an upsert).
    var afterBatch: (() throws -> Void)?

    private static let batchRows = 50_000
    private static let sendThreshold = 1 << 18

    private var copy: (any CopyInStream)?
    private var buffer: [UInt8] = []
    private var rowEnds: [Int] = []
    private var rowLines: [Int] = []
    private var rowsInBatch = 0
    private(set) var rowsWritten = 0
    private var rejections: [RowRejection] = []
    private var scratch: [UInt8] = []

    init(connection: any Connection, copySQL: String, mapping: ColumnMapping, expectedFields: Int, keepsBatches: Bool, readsJSON: Bool) {
        self.connection = connection
        self.copySQL = copySQL
        self.mapping = mapping
        self.expectedFields = expectedFields
        self.keepsBatches = keepsBatches
        self.readsJSON = readsJSON
        buffer.reserveCapacity(Self.sendThreshold + (1 << 16))
    }

    deinit {
        copy?.abandon(reason: "the import stopped")
    }

    func write(_ record: RecordReader) throws {
        try checkFieldCount(record, expected: expectedFields)
        let rowStart = buffer.count
        do {
            for index in 0..<mapping.fields.count {
                if index > 0 { buffer.append(0x09) }
                let field = mapping.fields[index]
                try append(record.field(field), kind: record.kind(field), conversion: mapping.conversions[index], field: field, column: index)
            }
        } catch {
            buffer.removeSubrange(rowStart...)
            throw error
        }
        buffer.append(0x0A)
        if discards {
            buffer.removeAll(keepingCapacity: true)
            rowsWritten += 1
            return
        }
        rowLines.append(record.line)
        rowsInBatch += 1
        if keepsBatches {
            rowEnds.append(buffer.count)
        } else if buffer.count >= Self.sendThreshold {
            try send()
        }
        if rowsInBatch >= Self.batchRows { try endBatch() }
    }

    func flush() throws -> [RowRejection] {
        try endBatch()
        defer { rejections.removeAll() }
        return rejections
    }

    // MARK: - Values in COPY's text format

    @inline(__always)
    private func append(
        _ bytes: UnsafeBufferPointer<UInt8>, kind: FieldKind, conversion: ValueConversion, field: Int, column: Int
    ) throws {
        if kind == .null {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return
        }
        switch conversion.kind {
        case .integer(let range):
            if kind == .boolean {
                buffer.append(bytes.first == UInt8(ascii: "t") ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                return
            }
            guard let value = ValueShape.anyInteger(bytes) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not an integer", column: mapping.columns[column].name), field: field)
            }
            guard range.contains(value) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is out of range for the column", column: mapping.columns[column].name), field: field)
            }
            buffer.append(contentsOf: bytes)
        case .real:
            guard kind != .boolean, ValueShape.double(bytes) != nil else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not a number", column: mapping.columns[column].name), field: field)
            }
            buffer.append(contentsOf: bytes)
        case .decimal:
            guard kind != .boolean, ValueShape.isDecimal(bytes) || ValueShape.isSpecialNumber(bytes) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not a number", column: mapping.columns[column].name), field: field)
            }
            buffer.append(contentsOf: bytes)
        case .blob where readsJSON && kind == .text:
            guard Base64.decode(bytes, into: &scratch) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not base64, as a blob in JSON is written", column: mapping.columns[column].name), field: field)
            }
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "x"))
            let digits = Array("0123456789abcdef".utf8)
            for byte in scratch {
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 0x0F)])
            }
        case .json where readsJSON && kind == .text:
            guard ValueShape.isValidUTF8(bytes) else {
                throw RowRejection(message: "column \"\(mapping.columns[column].name)\": the value is not valid UTF-8", field: field)
            }
            var quoted: [UInt8] = []
            quoted.append(jsonString: bytes)
            quoted.withUnsafeBufferPointer { appendEscaped($0) }
        case .array where kind == .document:
            guard let literal = ArrayLiteral.fromJSON(bytes) else {
                throw RowRejection(message: ValueConversion.refusal(bytes, "is not a JSON array", column: mapping.columns[column].name), field: field)
            }
            literal.withUnsafeBufferPointer { appendEscaped($0) }
        default:
            guard ValueShape.isValidUTF8(bytes) else {
                throw RowRejection(
                    message: "column \"\(mapping.columns[column].name)\": the value is not valid UTF-8 (give --encoding latin1 for a Latin-1 file)",
                    field: field)
            }
            appendEscaped(bytes)
        }
    }

    /// Appends text with COPY's escapes for backslash, tab, LF and CR; runs without them are
    /// copied whole.
    @inline(__always)
    private func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte <= 0x0D || byte == 0x5C else { continue }
            let escape: UInt8
            switch byte {
            case 0x5C: escape = 0x5C
            case 0x09: escape = UInt8(ascii: "t")
            case 0x0A: escape = UInt8(ascii: "n")
            case 0x0D: escape = UInt8(ascii: "r")
            default: continue
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            buffer.append(0x5C)
            buffer.append(escape)
            start = index + 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    // MARK: - Batches

    private func send() throws {
        if copy == nil { copy = try connection.copyIn(copySQL) }
        try buffer.withUnsafeBytes { try copy!.send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func endBatch() throws {
        guard rowsInBatch > 0 else { return }
        defer {
            buffer.removeAll(keepingCapacity: true)
            rowEnds.removeAll(keepingCapacity: true)
            rowLines.removeAll(keepingCapacity: true)
            rowsInBatch = 0
        }
        if keepsBatches {
            try sendKeptBatch()
            return
        }
        try send()
        let stream = copy!
        copy = nil
        do {
            try stream.finish()
            try afterBatch?()
        } catch let error as DatabaseError {
            throw rejection(for: error, lines: rowLines)
        }
        rowsWritten += rowsInBatch
    }

    /// The savepoint each batch of `--continue` is sent after.
    private static let batchSavepoint = "soup_import_batch"

    /// `--continue`: sends the batch in a savepoint; each row the server refuses is left out
    /// and the rest sent again.
    private func sendKeptBatch() throws {
        var skipped = Set<Int>()
        while true {
            var sentLines: [Int] = []
            var sentRows: [Int] = []
            try connection.savepoint(Self.batchSavepoint)
            do {
                let stream = try connection.copyIn(copySQL)
                var piece: [UInt8] = []
                var start = 0
                for row in 0..<rowEnds.count {
                    defer { start = rowEnds[row] }
                    guard !skipped.contains(row) else { continue }
                    piece.append(contentsOf: buffer[start..<rowEnds[row]])
                    sentLines.append(rowLines[row])
                    sentRows.append(row)
                    if piece.count >= Self.sendThreshold {
                        try piece.withUnsafeBytes { try stream.send($0) }
                        piece.removeAll(keepingCapacity: true)
                    }
                }
                try piece.withUnsafeBytes { try stream.send($0) }
                try stream.finish()
                try afterBatch?()
                try connection.release(savepoint: Self.batchSavepoint)
                rowsWritten += sentRows.count
                return
            } catch let error as DatabaseError where error.kind == .statement {
                try connection.rollback(toSavepoint: Self.batchSavepoint)
                try connection.release(savepoint: Self.batchSavepoint)
                let rejected = rejection(for: error, lines: sentLines)
                guard let line = Self.copyLine(in: error), line >= 1, line <= sentRows.count else {
                    // Not traced to a row (a failed merge): the whole batch is skipped.
                    for row in sentRows { rejections.append(RowRejection(message: error.message, line: rowLines[row])) }
                    return
                }
                skipped.insert(sentRows[line - 1])
                rejections.append(rejected)
            }
        }
    }

    /// The rejection a server error stands for, with the file line of the row it names.
    private func rejection(for error: DatabaseError, lines: [Int]) -> RowRejection {
        var message = error.message
        if let column = Self.copyColumn(in: error) { message = "column \"\(column)\": " + message }
        if let detail = error.detail { message += " (\(detail))" }
        let line = Self.copyLine(in: error).flatMap { $0 >= 1 && $0 <= lines.count ? lines[$0 - 1] : nil }
        return RowRejection(message: message, line: line ?? lines.first)
    }

    /// The COPY line a server error names in its CONTEXT (`COPY t, line 3, column x: "abc"`).
    static func copyLine(in error: DatabaseError) -> Int? {
        guard let context = error.context, let range = context.firstRange(of: ", line ") else { return nil }
        return Int(context[range.upperBound...].prefix { $0.isNumber })
    }

    static func copyColumn(in error: DatabaseError) -> String? {
        guard let context = error.context, let range = context.firstRange(of: ", column ") else { return nil }
        let rest = context[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        return String(rest[..<colon])
    }
}

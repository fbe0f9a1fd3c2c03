import SoupDriver

/// The `json` and `jsonl` formats.
///
/// `json` prints a result set as one JSON document, an array with one object per row, written
/// as it streams with one row per line:
///
/// ```
/// [
/// {"id":1,"name":"alice"},
/// {"id":2,"name":null}
/// ]
/// ```
///
/// An empty result is `[]`. `jsonl` prints the same objects one per line with no array around
/// them (nothing for an empty result). Objects are keyed by column name; a name that repeats
/// an earlier one gets the first free suffix `_2`, `_3`… (`a`, `a`, `a` → `a`, `a_2`, `a_3`),
/// so no value is lost to a JSON reader. Values map as ``Swift/Array/append(json:)`` describes.
struct JSONWriter: RowWriter {
    /// Whether to print JSON Lines rather than one array.
    let lines: Bool
    /// What goes before each column's value, end to end: `"name":`, then `,"other":`...
    private var prefixes: [UInt8] = []
    /// Where each column's prefix ends in ``prefixes``.
    private var prefixEnds: [Int] = []
    /// What starts the first row and every later one, the first column's prefix included.
    private var openings: (first: [UInt8], later: [UInt8]) = ([], [])
    private var line: [UInt8] = []
    private var isFirstRow = true
    /// How each column's lent text is written, learned from its first value.
    private var lentColumns: [LentColumn] = []

    init(lines: Bool) {
        self.lines = lines
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        prefixes = []
        prefixEnds = []
        for (index, key) in Self.uniqueKeys(columns.map(\.name)).enumerated() {
            if index > 0 { prefixes.append(UInt8(ascii: ",")) }
            prefixes.append(jsonString: key)
            prefixes.append(UInt8(ascii: ":"))
            prefixEnds.append(prefixes.count)
        }
        let first = prefixes[..<(prefixEnds.first ?? 0)]
        openings = lines ? (Array("{".utf8) + first, Array("{".utf8) + first)
            : (Array("[\n{".utf8) + first, Array(",\n{".utf8) + first)
        lentColumns = Array(repeating: .unknown, count: columns.count)
    }

    mutating func write(row: [Value], to sink: OutputSink) {
        startRow()
        for (index, value) in row.enumerated() {
            if index > 0 { startField(index) }
            line.append(json: value)
        }
        endRow(to: sink)
    }

    /// Writes the cursor's next row from the values it lends, byte for byte as
    /// ``write(row:to:)`` writes the same row read as ``Value``s; `false` at the end.
    ///
    /// SQLite lends stored values, each written as its ``Value`` would be. PostgreSQL lends
    /// the server's text: a column's first value is decoded (``BorrowingRowCursor/value(lentText:column:)``)
    /// and tells how the column's later text can be copied (``LentColumn``).
    mutating func writeRow(from cursor: any BorrowingRowCursor, to sink: OutputSink) throws -> Bool {
        startRow()
        var column = 0
        let stored = cursor.lendsStoredValues
        let found = try cursor.nextBorrowed { value in
            if column < prefixEnds.count {
                if column > 0 { startField(column) }
                switch value {
                case .null: line.append("null")
                case .integer(let number): line.append(decimal: number)
                case .real(let number): line.append(jsonReal: number)
                case .blob(let bytes): line.append(json: .blob(Array(bytes)))
                case .text(let text) where stored: line.append(jsonStringOfUnchecked: text)
                case .text(let text): appendLent(text, column: column, of: cursor)
                }
            }
            column += 1
        }
        guard found else { return false }
        for index in min(column, prefixEnds.count)..<prefixEnds.count {
            if index > 0 { startField(index) }
            line.append("null")
        }
        endRow(to: sink)
        return true
    }

    /// Appends the server's text for a value of `column` as its ``Value`` would be appended.
    private mutating func appendLent(_ text: UnsafeBufferPointer<UInt8>, column: Int, of cursor: any BorrowingRowCursor) {
        switch lentColumns[column] {
        case .integer where LentColumn.isCanonicalInteger(text),
            .real where LentColumn.isCanonicalReal(text):
            line.append(contentsOf: text)
        case .bool:
            line.append(text.first == UInt8(ascii: "t") ? "true" : "false")
        case .string:
            line.append(jsonString: text)
        case .timestamp:
            line.append(jsonTimestamp: text)
        case .json:
            line.append(minifiedJSON: text)
        case .unknown:
            let value = cursor.value(lentText: text, column: column)
            lentColumns[column] = LentColumn(value)
            line.append(json: value)
        default:
            line.append(json: cursor.value(lentText: text, column: column))
        }
    }

    /// Starts a row with its opening and the first column's prefix.
    private mutating func startRow() {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: isFirstRow ? openings.first : openings.later)
        isFirstRow = false
    }

    /// Appends what goes before the value of column `index` (after the first).
    @inline(__always)
    private mutating func startField(_ index: Int) {
        let start = index == 0 ? 0 : prefixEnds[index - 1]
        prefixes.withUnsafeBufferPointer { line.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<prefixEnds[index]])) }
    }

    private mutating func endRow(to sink: OutputSink) {
        line.append(UInt8(ascii: "}"))
        if lines { line.append(UInt8(ascii: "\n")) }
        sink.write(bytes: line)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {
        guard !lines else { return }
        sink.write(isFirstRow ? "[]\n" : "\n]\n")
    }

    func write(scalar: Value, to sink: OutputSink) {
        var bytes: [UInt8] = []
        bytes.append(json: scalar)
        bytes.append(UInt8(ascii: "\n"))
        sink.write(bytes: bytes)
    }

    /// Column names made unique by suffixing repeats with `_2`, `_3`…, skipping any suffixed
    /// name that another column already has.
    static func uniqueKeys(_ names: [String]) -> [String] {
        var taken = Set(names)
        var seen: Set<String> = []
        return names.map { name in
            guard seen.contains(name) else {
                seen.insert(name)
                return name
            }
            var suffix = 2
            while taken.contains("\(name)_\(suffix)") { suffix += 1 }
            let key = "\(name)_\(suffix)"
            taken.insert(key)
            return key
        }
    }
}

/// How a PostgreSQL column's text becomes JSON, known from the ``Value`` its first value
/// decodes to (a column's values all decode the same way): copied as it is where the server's
/// text is already what ``Swift/Array/append(json:)`` would write, else decoded.
enum LentColumn {
    /// No value seen yet.
    case unknown
    /// Integers: copied when canonical (they always are, from the server).
    case integer
    /// Doubles: copied when the server's text is float8out's fixed notation with at most 15
    /// significant digits, which is then the shortest text that reads back (see
    /// ``isCanonicalReal(_:)``); decoded otherwise.
    case real
    case bool
    /// Numerics, dates, times, intervals, UUIDs, text and other types: a JSON string of the text.
    case string
    /// Timestamps: RFC 3339 (``Swift/Array/append(jsonTimestamp:)``).
    case timestamp
    /// json and jsonb: the text without the whitespace between tokens.
    case json
    /// Blobs and arrays: decoded every time.
    case decoded

    init(_ value: Value) {
        switch value {
        case .null: self = .unknown
        case .integer: self = .integer
        case .real: self = .real
        case .bool: self = .bool
        case .text, .numeric, .date, .time, .interval, .uuid, .other: self = .string
        case .timestamp, .timestampTZ: self = .timestamp
        case .json: self = .json
        case .blob, .array: self = .decoded
        }
    }

    /// `-?[1-9][0-9]*` or `0`, of at most 18 digits, so it is an `Int64` printed as it was read.
    static func isCanonicalInteger(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let digits = text.first == UInt8(ascii: "-") ? UnsafeBufferPointer(rebasing: text[1...]) : text
        guard let first = digits.first, digits.count <= 18, digits.allSatisfy(JSONScan.isDigit) else { return false }
        return first != UInt8(ascii: "0") || (digits.count == 1 && digits.count == text.count)
    }

    /// Whether `text` is what ``Swift/Array/append(real:)`` writes for the double it reads as:
    /// `0`, `-0`, or fixed notation (`-?D+(.D+)?`, no leading or trailing zeros) of at most 15
    /// significant digits whose magnitude is from 1e-4 up (below 1e15 follows from the digits).
    /// A decimal of at most 15 digits is the only one of its length, and no shorter one exists,
    /// that reads back to its double (DBL_DIG is 15), and it never lies on a rounding bound.
    static func isCanonicalReal(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = text.first == UInt8(ascii: "-") ? 1 : 0
        let start = index
        while index < text.count, JSONScan.isDigit(text[index]) { index += 1 }
        let integerDigits = index - start
        guard integerDigits > 0, integerDigits == 1 || text[start] != UInt8(ascii: "0") else { return false }
        let isZero = integerDigits == 1 && text[start] == UInt8(ascii: "0")
        guard index < text.count else { return integerDigits <= 15 }
        guard text[index] == UInt8(ascii: "."), text.last != UInt8(ascii: "0") else { return false }
        index += 1
        let fraction = index
        while index < text.count, JSONScan.isDigit(text[index]) { index += 1 }
        guard index == text.count, index > fraction else { return false }
        if !isZero { return integerDigits + (index - fraction) <= 15 }
        var zeros = 0
        while text[fraction + zeros] == UInt8(ascii: "0") { zeros += 1 }
        return zeros <= 3 && index - fraction - zeros <= 15
    }
}

/// Reads a JSON array of objects (`json`) or one object per line (`jsonl`), an object at a
/// time, with flat memory.
///
/// Each object is a record whose fields are its members, matched to columns by key. The
/// columns are every key of every object, in the order they first appear: a first pass over
/// the file finds them (``discoversKeys``), and the second reads the rows. A key an object
/// lacks is NULL. Strings are unescaped to UTF-8, numbers and `true`/`false` are kept as their
/// text, and a nested object or array as its JSON text without the white space between tokens.
public final class JSONRecordReader: RecordReader {
    public let input: ImportInput
    public private(set) var columnNames: [String]
    public private(set) var line = 1
    /// Whether new keys add columns (the first pass); otherwise an unknown key is an error.
    public let discoversKeys: Bool

    private let lines: Bool
    private var keyIndex: [String: Int] = [:]
    private var chunk: [UInt8] = Array(repeating: 0, count: 1 << 16)
    private var chunkEnd = 0
    private var chunkPosition = 0
    private var atEOF = false
    private var currentLine = 1
    private var currentColumn = 1
    private var started = false
    private var finished = false

    /// The current record: all field bytes, and each column's span and kind.
    var bytes: [UInt8] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var kinds: [FieldKind] = []
    private var fieldLines: [Int] = []
    private var fieldColumns: [Int] = []

    private var lent: UnsafeMutablePointer<UInt8>
    private var lentCapacity = 4096

    /// - Parameter columns: the columns found by a first pass; nil to discover them.
    public init(input: ImportInput, lines: Bool, columns: [String]? = nil) {
        self.input = input
        self.lines = lines
        discoversKeys = columns == nil
        columnNames = columns ?? []
        lent = .allocate(capacity: lentCapacity)
        for (index, name) in columnNames.enumerated() { keyIndex[name] = index }
        growFields()
    }

    deinit {
        lent.deallocate()
    }

    public var fieldCount: Int { columnNames.count }

    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        guard index < kinds.count, kinds[index] != .null else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: lent + starts[index], count: ends[index] - starts[index])
    }

    /// The current record's bytes where ``field(_:)`` lends them from: a copy of `bytes` that
    /// does not move until the next record.
    private func lend() {
        if bytes.count > lentCapacity {
            lent.deallocate()
            lentCapacity = max(bytes.count, lentCapacity * 2)
            lent = .allocate(capacity: lentCapacity)
        }
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { lent.update(from: base, count: $0.count) } }
    }

    public func kind(_ index: Int) -> FieldKind {
        index < kinds.count ? kinds[index] : .null
    }

    public func location(ofField index: Int) -> ImportError.Location {
        guard index < kinds.count, kinds[index] != .null else { return .init(file: input.name, line: line) }
        return .init(file: input.name, line: fieldLines[index], column: fieldColumns[index])
    }

    public func next() throws -> Bool {
        guard !finished else { return false }
        if !started {
            started = true
            if !lines {
                try skipWhitespace()
                guard let first = try peek() else { throw error("the file is empty; expected a JSON array of objects") }
                guard first == UInt8(ascii: "[") else { throw error("expected a JSON array of objects (or use --input-format jsonl)") }
                advance()
                try skipWhitespace()
                if try peek() == UInt8(ascii: "]") {
                    advance()
                    try expectEnd()
                    return false
                }
            }
        } else if !lines {
            try skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "]"):
                advance()
                try expectEnd()
                return false
            case nil:
                throw error("the array is not closed before the end of the file")
            default:
                throw error("expected ',' or ']' after an object")
            }
        }
        try skipWhitespace()
        guard let byte = try peek() else {
            finished = true
            if lines { return false }
            throw error("the array is not closed before the end of the file")
        }
        guard byte == UInt8(ascii: "{") else {
            throw error("expected a JSON object, found \(Self.describe(byte))")
        }
        try readObject()
        lend()
        return true
    }

    private func expectEnd() throws {
        try skipWhitespace()
        if try peek() != nil { throw error("unexpected text after the JSON array") }
        finished = true
    }

    // MARK: - Objects

    private func readObject() throws {
        line = currentLine
        bytes.removeAll(keepingCapacity: true)
        for index in kinds.indices { kinds[index] = .null }
        advance()  // {
        try skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            advance()
            return
        }
        while true {
            try skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
            let keyStart = bytes.count
            try readString()
            let key = String(decoding: bytes[keyStart...], as: UTF8.self)
            bytes.removeSubrange(keyStart...)
            try skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
            advance()
            try skipWhitespace()
            let column = try columnIndex(for: key)
            let valueLine = currentLine
            let valueColumn = currentColumn
            let start = bytes.count
            let kind = try readValue()
            starts[column] = start
            ends[column] = bytes.count
            kinds[column] = kind
            fieldLines[column] = valueLine
            fieldColumns[column] = valueColumn
            try skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "}"):
                advance()
                return
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    private func columnIndex(for key: String) throws -> Int {
        if let index = keyIndex[key] { return index }
        guard discoversKeys else { throw error("the key \"\(key)\" is not one of the columns") }
        let index = columnNames.count
        columnNames.append(key)
        keyIndex[key] = index
        growFields()
        return index
    }

    private func growFields() {
        while kinds.count < columnNames.count {
            starts.append(0)
            ends.append(0)
            kinds.append(.null)
            fieldLines.append(0)
            fieldColumns.append(0)
        }
    }

    // MARK: - Bytes

    @inline(__always)
    func peek() throws -> UInt8? {
        if chunkPosition == chunkEnd {
            guard !atEOF else { return nil }
            chunkEnd = try chunk.withUnsafeMutableBytes { try input.read(into: $0) }
            chunkPosition = 0
            if chunkEnd == 0 {
                atEOF = true
                return nil
            }
        }
        return chunk[chunkPosition]
    }

    @inline(__always)
    func advance() {
        let byte = chunk[chunkPosition]
        chunkPosition += 1
        if byte == 0x0A {
            currentLine += 1
            currentColumn = 1
        } else if byte & 0xC0 != 0x80 {
            currentColumn += 1
        }
    }

    func skipWhitespace() throws {
        while let byte = try peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            advance()
        }
    }

    func error(_ message: String) -> ImportError {
        ImportError(message: message, location: .init(file: input.name, line: currentLine, column: currentColumn))
    }

    static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
    }
}

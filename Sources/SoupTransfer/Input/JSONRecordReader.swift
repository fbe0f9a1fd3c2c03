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
    private var bytes: [UInt8] = []
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

    /// Reads one value into `bytes`: a string unescaped, anything else as its text.
    private func readValue() throws -> FieldKind {
        guard let byte = try peek() else { throw error("a value is missing before the end of the file") }
        switch byte {
        case UInt8(ascii: "\""):
            try readString()
            return .text
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try copyDocument()
            return .document
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .boolean
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .boolean
        case UInt8(ascii: "n"):
            try expectWord("null")
            bytes.removeLast(4)
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try readNumber()
            return .number
        default:
            throw error("expected a JSON value, found \(Self.describe(byte))")
        }
    }

    private func expectWord(_ word: String) throws {
        for expected in word.utf8 {
            guard try peek() == expected else { throw error("expected '\(word)'") }
            bytes.append(expected)
            advance()
        }
    }

    private func readNumber() throws {
        let start = bytes.count
        while let byte = try peek() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                bytes.append(byte)
                advance()
            default:
                guard Self.isJSONNumber(bytes[start...]) else { throw error("a malformed number") }
                return
            }
        }
        guard Self.isJSONNumber(bytes[start...]) else { throw error("a malformed number") }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    static func isJSONNumber(_ text: ArraySlice<UInt8>) -> Bool {
        var index = text.startIndex
        func digits() -> Int {
            let from = index
            while index < text.endIndex, (48...57).contains(text[index]) { index += 1 }
            return index - from
        }
        if index < text.endIndex, text[index] == UInt8(ascii: "-") { index += 1 }
        guard index < text.endIndex else { return false }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < text.endIndex, text[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < text.endIndex, text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < text.endIndex, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == text.endIndex
    }

    /// A string, unescaped into `bytes` (the quotes not included).
    private func readString() throws {
        advance()  // opening quote
        while true {
            guard let byte = try peek() else { throw error("a string is not closed before the end of the file") }
            advance()
            switch byte {
            case UInt8(ascii: "\""):
                return
            case UInt8(ascii: "\\"):
                guard let escaped = try peek() else { throw error("a string is not closed before the end of the file") }
                advance()
                switch escaped {
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): bytes.append(escaped)
                case UInt8(ascii: "u"): try readUnicodeEscape()
                default: throw error("an unknown escape \\\(Self.describe(escaped)) in a string")
                }
            case 0..<0x20:
                throw error("a control character inside a string must be escaped")
            default:
                bytes.append(byte)
            }
        }
    }

    private func readHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try peek(), let digit = DelimitedReader.hexValue(byte) else {
                throw error("\\u must be followed by four hex digits")
            }
            advance()
            value = value * 16 + UInt32(digit)
        }
        return value
    }

    private func readUnicodeEscape() throws {
        var scalar = try readHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate: a low one must follow.
            guard try peek() == UInt8(ascii: "\\") else { throw error("a lone surrogate \\u escape") }
            advance()
            guard try peek() == UInt8(ascii: "u") else { throw error("a lone surrogate \\u escape") }
            advance()
            let low = try readHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw error("a lone surrogate \\u escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("an invalid \\u escape") }
        bytes.append(contentsOf: UTF8.encode(unicode)!)
    }

    /// Copies a nested object or array into `bytes` as compact JSON.
    private func copyDocument() throws {
        var depth = 0
        repeat {
            try skipWhitespace()
            guard let byte = try peek() else { throw error("a nested object or array is not closed before the end of the file") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                bytes.append(byte)
                advance()
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                bytes.append(byte)
                advance()
            case UInt8(ascii: "\""):
                // Kept escaped, as JSON text.
                bytes.append(byte)
                advance()
                var escaped = false
                while true {
                    guard let inner = try peek() else { throw error("a string is not closed before the end of the file") }
                    advance()
                    bytes.append(inner)
                    if escaped {
                        escaped = false
                    } else if inner == UInt8(ascii: "\\") {
                        escaped = true
                    } else if inner == UInt8(ascii: "\"") {
                        break
                    }
                }
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                bytes.append(byte)
                advance()
            case UInt8(ascii: "t"): try expectWord("true")
            case UInt8(ascii: "f"): try expectWord("false")
            case UInt8(ascii: "n"): try expectWord("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try readNumber()
            default: throw error("unexpected \(Self.describe(byte)) in a nested value")
            }
        } while depth > 0
    }

    // MARK: - Bytes

    @inline(__always)
    private func peek() throws -> UInt8? {
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
    private func advance() {
        let byte = chunk[chunkPosition]
        chunkPosition += 1
        if byte == 0x0A {
            currentLine += 1
            currentColumn = 1
        } else if byte & 0xC0 != 0x80 {
            currentColumn += 1
        }
    }

    private func skipWhitespace() throws {
        while let byte = try peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            advance()
        }
    }

    private func error(_ message: String) -> ImportError {
        ImportError(message: message, location: .init(file: input.name, line: currentLine, column: currentColumn))
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
    }
}

import SoupDriver

/// JSON values: strings unescaped into the record's bytes, numbers and `true`/`false` as their
/// text, nested objects and arrays as compact JSON.
extension JSONRecordReader {
    /// Reads one value into `bytes`: a string unescaped, anything else as its text.
    func readValue() throws -> FieldKind {
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
    func readString() throws {
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
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): bytes.append(escaped)
                case UInt8(ascii: "u"): try readUnicodeEscape()
                default:
                    guard let control = JSONStringBody.controlCharacter(escaped) else {
                        throw error("an unknown escape \\\(Self.describe(escaped)) in a string")
                    }
                    bytes.append(control)
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
            guard let byte = try peek(), let digit = HexDigit.value(byte) else {
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
}

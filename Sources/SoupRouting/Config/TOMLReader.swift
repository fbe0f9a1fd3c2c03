/// A value of the TOML subset that soup's config file uses.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// An array on one line, such as a reader's `urls = ["...", "..."]`.
    case array([TOMLValue])

    /// The TOML type name, for error messages.
    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        }
    }
}

/// One `key = value` line or `[table]` header of a TOML file, with its full dotted path.
public struct TOMLEntry: Sendable, Equatable {
    /// The key path from the root: `["profile", "app", "bindings", "writer", "url"]`.
    public var path: [String]
    /// The value; `nil` for a `[table]` header.
    public var value: TOMLValue?
    /// The 1-based line of the key or header.
    public var line: Int
}

/// Reads the TOML subset of soup's config file: `[table.headers]`, bare, quoted and dotted
/// keys, basic and literal strings, integers, floats, booleans, arrays on one line, and `#`
/// comments. Every entry keeps its line, so errors can name it.
///
/// Arrays over several lines, inline tables, multi-line strings and dates are refused with a
/// clear error.
public struct TOMLReader {
    /// Parses `text`; throws a ``ConfigError`` naming `file` and the line.
    public static func entries(of text: String, file: String) throws(ConfigError) -> [TOMLEntry] {
        var entries: [TOMLEntry] = []
        var seen: [String: Int] = [:]
        var table: [String] = []
        // Split on scalars: as Characters, "\r\n" is one, so a CRLF file would be one line.
        for (index, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var scanner = LineScanner(Array(rawLine), file: file, line: lineNumber)
            scanner.skipSpace()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                scanner.advance()
                if scanner.peek == "[" {
                    throw scanner.error(key: table.joined(separator: "."), "arrays of tables ([[...]]) are not supported here")
                }
                table = try scanner.keyPath()
                let name = table.joined(separator: ".")
                try scanner.expect("]", key: name)
                try scanner.expectEnd(key: name)
                if let first = seen[name] {
                    throw ConfigError(file: file, line: lineNumber, key: name, message: "duplicate table (first defined on line \(first))")
                }
                seen[name] = lineNumber
                entries.append(TOMLEntry(path: table, value: nil, line: lineNumber))
                continue
            }
            let key = table + (try scanner.keyPath(under: table))
            let name = key.joined(separator: ".")
            try scanner.expect("=", key: name)
            let value = try scanner.value(key: name)
            try scanner.expectEnd(key: name)
            if let first = seen[name] {
                throw ConfigError(file: file, line: lineNumber, key: name, message: "duplicate key (first defined on line \(first))")
            }
            seen[name] = lineNumber
            entries.append(TOMLEntry(path: key, value: value, line: lineNumber))
        }
        return entries
    }
}

/// Reads the pieces of one line.
private struct LineScanner {
    let scalars: [Unicode.Scalar]
    let file: String
    let line: Int
    var position = 0

    init(_ scalars: [Unicode.Scalar], file: String, line: Int) {
        self.scalars = scalars
        self.file = file
        self.line = line
    }

    var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
    var atEndOrComment: Bool { peek == nil || peek == "#" || peek == "\r" }

    mutating func advance() { position += 1 }

    mutating func skipSpace() {
        while let scalar = peek, scalar == " " || scalar == "\t" { advance() }
    }

    func error(key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: line, key: key.isEmpty ? "(top level)" : key, message: message)
    }

    /// The 1-based column of the scanner's position.
    var column: Int { position + 1 }

    mutating func expect(_ scalar: Unicode.Scalar, key: String) throws(ConfigError) {
        skipSpace()
        guard peek == scalar else {
            throw error(key: key, "expected '\(scalar)' at column \(column)" + (peek.map { " before '\($0.escaped(asASCII: false))'" } ?? ", at the end of the line"))
        }
        advance()
    }

    /// The rest of the line is blank or a comment. (The text is not quoted: it may hold a password.)
    mutating func expectEnd(key: String) throws(ConfigError) {
        skipSpace()
        guard atEndOrComment else { throw error(key: key, "unexpected text after the value at column \(column)") }
    }

    /// `a.b."c d".'e'`, the key of a line under table `table` (for errors).
    mutating func keyPath(under table: [String] = []) throws(ConfigError) -> [String] {
        var parts: [String] = []
        func keySoFar() -> String { (table + parts).joined(separator: ".") }
        repeat {
            skipSpace()
            if !parts.isEmpty {  // the loop goes on only at a dot: `a.b`, never `.b`
                advance()
                skipSpace()
            }
            switch peek {
            case "\"": parts.append(try basicString(key: keySoFar()))
            case "'": parts.append(try literalString(key: keySoFar()))
            default:
                var bare = ""
                while let scalar = peek, scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar)
                    || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == "-"
                {
                    bare.unicodeScalars.append(scalar)
                    advance()
                }
                guard !bare.isEmpty else { throw error(key: keySoFar(), "expected a key at column \(column)") }
                parts.append(bare)
            }
            skipSpace()
        } while peek == "."
        return parts
    }

    mutating func value(key: String) throws(ConfigError) -> TOMLValue {
        skipSpace()
        switch peek {
        case "\"": return .string(try basicString(key: key))
        case "'": return .string(try literalString(key: key))
        case "[": return try array(key: key)
        case "{": throw error(key: key, "inline tables are not supported here; use a [table] header")
        case nil: throw error(key: key, "missing value")
        default: break
        }
        let start = column
        var word = ""
        while let scalar = peek, scalar != " ", scalar != "\t", scalar != "#", scalar != "\r", scalar != ",", scalar != "]" {
            word.unicodeScalars.append(scalar)
            advance()
        }
        if word == "true" { return .boolean(true) }
        if word == "false" { return .boolean(false) }
        let digits = word.replacing("_", with: "")
        if let integer = Int(digits) { return .integer(integer) }
        if let float = Double(digits), digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            return .float(float)
        }
        // The word is not quoted: a URL wrapped onto the next line leaves `password=...` there.
        throw error(key: key, "the value at column \(start) is not a TOML value (strings need quotes)")
    }

    /// `[value, value]` on one line; a trailing comma is allowed.
    mutating func array(key: String) throws(ConfigError) -> TOMLValue {
        advance()
        var items: [TOMLValue] = []
        while true {
            skipSpace()
            if peek == "]" {
                advance()
                return .array(items)
            }
            if peek == nil || peek == "#" { throw error(key: key, "arrays must end on the line they start ([...] on one line)") }
            items.append(try value(key: key))
            skipSpace()
            if peek == "," {
                advance()
            } else if peek != "]" {
                throw error(key: key, "expected , or ] in the array at column \(column)")
            }
        }
    }

    mutating func basicString(key: String) throws(ConfigError) -> String {
        advance()
        if peek == "\"", position + 1 < scalars.count, scalars[position + 1] == "\"" {
            throw error(key: key, "multi-line strings are not supported here")
        }
        var text = ""
        while let scalar = peek {
            advance()
            switch scalar {
            case "\"": return text
            case "\\":
                guard let escaped = peek else { break }
                advance()
                switch escaped {
                case "n": text += "\n"
                case "t": text += "\t"
                case "b": text += "\u{8}"
                case "f": text += "\u{C}"
                case "r": text += "\r"
                case "\"": text += "\""
                case "\\": text += "\\"
                case "u", "U":
                    let count = escaped == "u" ? 4 : 8
                    guard position + count <= scalars.count,
                        scalars[position..<position + count].allSatisfy(\.properties.isASCIIHexDigit),
                        let code = UInt32(String(String.UnicodeScalarView(scalars[position..<position + count])), radix: 16),
                        let decoded = Unicode.Scalar(code)
                    else { throw error(key: key, "bad \\\(escaped) escape") }
                    text.unicodeScalars.append(decoded)
                    position += count
                default: throw error(key: key, "unknown escape \\\(escaped)")
                }
            default: text.unicodeScalars.append(scalar)
            }
        }
        throw error(key: key, "unterminated string")
    }

    mutating func literalString(key: String) throws(ConfigError) -> String {
        advance()
        var text = ""
        while let scalar = peek {
            advance()
            if scalar == "'" { return text }
            text.unicodeScalars.append(scalar)
        }
        throw error(key: key, "unterminated string")
    }
}

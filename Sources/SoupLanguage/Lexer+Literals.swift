/// Names, numbers, strings and operators.
extension Lexer {
    // MARK: Names

    /// The scalar at the index when it can start a name: a letter, `_`, or a Unicode XID_Start.
    func identifierStart() -> Unicode.Scalar? {
        let (scalar, _) = scalar(at: index)
        let isStart =
            scalar.isASCII
            ? isASCIILetter(UInt8(scalar.value)) || scalar == "_"
            : scalar.properties.isXIDStart
        return isStart ? scalar : nil
    }

    /// A name or keyword that starts with `first` at the index.
    mutating func word(startingWith first: Unicode.Scalar) -> RawToken {
        let start = index
        index += UTF8.width(first)
        while index < bytes.count, let length = Self.identifierContinuation(in: bytes, at: index) {
            index += length
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        return emit(Keyword(rawValue: text).map { .keyword($0) } ?? .name(text), from: start)
    }

    /// The length of the scalar at `offset` when it can continue a name.
    ///
    /// Static, so that debug builds do not copy the lexer for each byte of a name.
    private static func identifierContinuation(in bytes: [UInt8], at offset: Int) -> Int? {
        let byte = bytes[offset]
        if byte < 0x80 {
            return isASCIILetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") ? 1 : nil
        }
        let (scalar, length) = scalar(in: bytes, at: offset)
        return scalar.properties.isXIDContinue ? length : nil
    }

    /// The Unicode scalar that starts at `offset`, and its length in bytes.
    private func scalar(at offset: Int) -> (Unicode.Scalar, Int) {
        Self.scalar(in: bytes, at: offset)
    }

    private static func scalar(in bytes: [UInt8], at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[offset]
        guard lead >= 0x80 else { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = UInt32(lead) & UInt32(0x7F >> length)
        for continuation in bytes[(offset + 1)..<min(offset + length, bytes.count)] {
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    // MARK: Numbers

    /// An integer (`42`, `1_000`, `0xff`, `0o17`, `0b101`) or a float (`1.5`, `.5`, `1e10`).
    mutating func number() throws(ParseError) -> RawToken {
        let start = index
        var radix = 10
        var isFloat = false
        if bytes[index] == UInt8(ascii: "0"), let prefix = peek(1).map({ $0 | 0x20 }),
            let prefixRadix = Self.radixes[prefix]
        {
            radix = prefixRadix
            index += 2
            if peek(0) == UInt8(ascii: "_") { index += 1 }
            if skipDigits(radix: radix) == 0 { throw invalidNumber(from: start) }
        } else {
            skipDigits(radix: 10)
            if peek(0) == UInt8(ascii: ".") {
                isFloat = true
                index += 1
                skipDigits(radix: 10)
            }
            if let e = peek(0), e | 0x20 == UInt8(ascii: "e") {
                let signLength = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") ? 1 : 0
                if let digit = peek(1 + signLength), isDigit(digit) {
                    isFloat = true
                    index += 1 + signLength
                    skipDigits(radix: 10)
                }
            }
        }
        if index < bytes.count, Self.identifierContinuation(in: bytes, at: index) != nil {
            throw invalidNumber(from: start)
        }
        let digits = String(
            decoding: bytes[(start + (radix == 10 ? 0 : 2))..<index].filter { $0 != UInt8(ascii: "_") },
            as: UTF8.self)
        if isFloat {
            guard let value = Double(digits), value.isFinite else {
                throw ParseError("number \(text(start..<index)) is too large", range: range(start..<index))
            }
            return emit(.float(value), from: start)
        }
        guard let value = Int(digits, radix: radix) else {
            throw ParseError(
                "integer \(text(start..<index)) is too large; the largest is \(Int.max)",
                range: range(start..<index))
        }
        return emit(.integer(value), from: start)
    }

    private static let radixes = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2]

    /// Skips digits of `radix` with single `_` between them; returns how many digits there were.
    @discardableResult
    private mutating func skipDigits(radix: Int) -> Int {
        var count = 0
        while let byte = peek(0) {
            if let digit = digitValue(byte), digit < radix {
                count += 1
                index += 1
            } else if byte == UInt8(ascii: "_"), count > 0, let next = peek(1), let digit = digitValue(next),
                digit < radix
            {
                index += 1
            } else {
                break
            }
        }
        return count
    }

    private func isHexDigit(_ byte: UInt8) -> Bool {
        digitValue(byte).map { $0 < 16 } ?? false
    }

    private func digitValue(_ byte: UInt8) -> Int? {
        if isDigit(byte) { return Int(byte - UInt8(ascii: "0")) }
        if isASCIILetter(byte) { return Int((byte | 0x20) - UInt8(ascii: "a")) + 10 }
        return nil
    }

    /// An error for the malformed number at `start`, covering the letters and digits stuck to it.
    private mutating func invalidNumber(from start: Int) -> ParseError {
        while index < bytes.count, let length = Self.identifierContinuation(in: bytes, at: index) {
            index += length
        }
        return ParseError("invalid number \(text(start..<index))", range: range(start..<index))
    }

    // MARK: Strings

    /// The length of a string prefix (`r`, `R`, `u`, `U`) at the index when a quote follows it.
    func stringPrefixLength() -> Int? {
        guard let prefix = peek(0), let quote = peek(1) else { return nil }
        let isPrefix = prefix | 0x20 == UInt8(ascii: "r") || prefix | 0x20 == UInt8(ascii: "u")
        let isQuote = quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")
        return isPrefix && isQuote ? 1 : nil
    }

    /// A string literal whose quote is at the index and whose prefix (if any) starts at `start`:
    /// `'…'`, `"…"`, `'''…'''`, `"""…"""`, with Python escapes unless it is raw (`r'…'`).
    mutating func string(from start: Int, isRaw: Bool) throws(ParseError) -> RawToken {
        let quote = bytes[index]
        let isTriple = peek(1) == quote && peek(2) == quote
        index += isTriple ? 3 : 1
        var value: [UInt8] = []
        var escapeEnd = -1
        while true {
            guard let byte = peek(0) else {
                // A backslash just before the end continued the string onto a line yet to come.
                let isContinued = escapeEnd == bytes.count && bytes[bytes.count - 1] == UInt8(ascii: "\n")
                throw unterminatedString(from: start, needsMoreInput: isTriple || isContinued)
            }
            if byte == quote {
                if !isTriple {
                    index += 1
                    break
                }
                if peek(1) == quote, peek(2) == quote {
                    index += 3
                    break
                }
            } else if byte == UInt8(ascii: "\n"), !isTriple {
                throw unterminatedString(from: start, needsMoreInput: false)
            } else if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else {
                    throw unterminatedString(from: start, needsMoreInput: true)
                }
                if isRaw {
                    value.append(contentsOf: bytes[index...(index + 1)])
                    index += 2
                } else {
                    try escape(into: &value)
                }
                escapeEnd = index
                continue
            } else if byte == UInt8(ascii: "\r"), isTriple, peek(1) == UInt8(ascii: "\n") {
                index += 1
                continue
            }
            value.append(byte)
            index += 1
        }
        return emit(.string(String(decoding: value, as: UTF8.self)), from: start)
    }

    /// Reads the escape sequence at the index (a `\` with at least one byte after it).
    private mutating func escape(into value: inout [UInt8]) throws(ParseError) {
        let start = index
        let byte = bytes[index + 1]
        index += 2
        if let replacement = Self.simpleEscapes[byte] {
            // A backslash before a newline continues the string on the next line.
            if byte != UInt8(ascii: "\n") { value.append(replacement) }
        } else if byte == UInt8(ascii: "\r"), peek(0) == UInt8(ascii: "\n") {
            index += 1
        } else if let digit = digitValue(byte), digit < 8 {
            var code = UInt32(digit)
            for _ in 0..<2 {
                guard let next = peek(0).flatMap(digitValue), next < 8 else { break }
                code = code * 8 + UInt32(next)
                index += 1
            }
            append(Unicode.Scalar(code) ?? "\u{FFFD}", to: &value)
        } else if let width = Self.hexEscapeWidths[byte] {
            let digits = bytes[index..<min(index + width, bytes.count)].prefix { isHexDigit($0) }
            guard digits.count == width, let code = UInt32(String(decoding: digits, as: UTF8.self), radix: 16)
            else {
                throw ParseError(
                    "invalid \\\(String(UnicodeScalar(byte))) escape: expected \(width) hex digits",
                    range: range(start..<index + digits.count), hint: "write '\\\\' for a backslash")
            }
            index += width
            guard let scalar = Unicode.Scalar(code) else {
                throw ParseError(
                    "\(text(start..<index)) is not a Unicode character", range: range(start..<index))
            }
            append(scalar, to: &value)
        } else {
            // Like Python, an unknown escape stands for itself, backslash included.
            index -= 1
            value.append(UInt8(ascii: "\\"))
        }
    }

    /// The escapes that stand for one byte (a backslash-newline for none), by the byte after `\\`.
    private static let simpleEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "\n"): 0, UInt8(ascii: "\\"): UInt8(ascii: "\\"), UInt8(ascii: "'"): UInt8(ascii: "'"),
        UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09,
        UInt8(ascii: "r"): 0x0D, UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C,
        UInt8(ascii: "v"): 0x0B,
    ]

    /// How many hex digits follow `\x`, `\u` and `\U`.
    private static let hexEscapeWidths = [UInt8(ascii: "x"): 2, UInt8(ascii: "u"): 4, UInt8(ascii: "U"): 8]

    private func append(_ scalar: Unicode.Scalar, to value: inout [UInt8]) {
        UTF8.encode(scalar) { value.append($0) }
    }

    private func unterminatedString(from start: Int, needsMoreInput: Bool) -> ParseError {
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        return ParseError(
            "unterminated string starting at \(location(at: start))",
            range: range(start..<(needsMoreInput ? bytes.count : end)),
            hint: needsMoreInput
                ? nil : "close it on the same line, or use ''' or \"\"\" for a string of several lines",
            needsMoreInput: needsMoreInput)
    }

    // MARK: Operators

    /// An operator or bracket at the index.
    mutating func punctuation() throws(ParseError) -> RawToken {
        let start = index
        if let second = peek(1) {
            if let punctuation = Self.pairs.first(where: { $0.first == bytes[index] && $0.second == second })?.punctuation {
                index += 2
                return emit(.punctuation(punctuation), from: start)
            }
            if let hint = Self.foreignPairs.first(where: { $0.first == bytes[index] && $0.second == second })?.hint {
                throw ParseError(
                    "unexpected '\(text(start..<start + 2))'", range: range(start..<start + 2), hint: hint)
            }
        }
        if let punctuation = Self.singles[Int(bytes[index])] {
            index += 1
            noteBracket(punctuation)
            return emit(.punctuation(punctuation), from: start)
        }
        let (scalar, length) = scalar(at: index)
        let hint = scalar == "!" ? "write 'not' or '~' for negation, '!=' for 'not equal'" : nil
        throw ParseError(
            "unexpected character \(Self.describe(scalar))", range: range(start..<start + length), hint: hint)
    }

    /// One-character operators and brackets, indexed by their byte.
    private static let singles: [Punctuation?] = {
        var singles = [Punctuation?](repeating: nil, count: 256)
        for punctuation in Punctuation.allCases where punctuation.rawValue.utf8.count == 1 {
            singles[Int(punctuation.rawValue.utf8[punctuation.rawValue.utf8.startIndex])] = punctuation
        }
        return singles
    }()

    /// Two-character operators, by their first and second byte. (A short list, not a dictionary:
    /// the first dictionary keyed by a type costs a scan of every protocol conformance in the
    /// binary, more than a whole short script takes to lex.)
    private static let pairs: [(first: UInt8, second: UInt8, punctuation: Punctuation)] =
        Punctuation.allCases.compactMap { punctuation in
            let bytes = Array(punctuation.rawValue.utf8)
            return bytes.count == 2 ? (bytes[0], bytes[1], punctuation) : nil
        }

    /// SQL and C operators that soup spells differently, with how to spell them.
    private static let foreignPairs: [(first: UInt8, second: UInt8, hint: String)] = [
        (UInt8(ascii: "<"), UInt8(ascii: ">"), "write '!=' for 'not equal'"),
        (UInt8(ascii: "&"), UInt8(ascii: "&"), "write 'and' or '&'"),
        (UInt8(ascii: "|"), UInt8(ascii: "|"), "write 'or' or '|'"),
    ]

    /// A character as messages show it: `'$'`, or `U+00A0` for what would not show.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(4 - hex.count, 0)) + hex
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned,
            .privateUse, .surrogate, .nonspacingMark, .enclosingMark, .spacingMark:
            return code
        default:
            return scalar.isASCII ? "'\(scalar)'" : "'\(scalar)' (\(code))"
        }
    }

    func peek(_ distance: Int) -> UInt8? {
        index + distance < bytes.count ? bytes[index + distance] : nil
    }

    func text(_ offsets: Range<Int>) -> String {
        String(decoding: bytes[offsets], as: UTF8.self)
    }
}

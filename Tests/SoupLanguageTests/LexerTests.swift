import SoupLanguage
import Testing

@Suite struct LexerTests {
    /// The kinds of the tokens of `source`, without the final end of input.
    func kinds(_ source: String) throws -> [TokenKind] {
        try Lexer.tokenize(source).map(\.kind).dropLast()
    }

    func lexError(_ source: String) -> ParseError? {
        do {
            _ = try Lexer.tokenize(source)
            return nil
        } catch {
            return error
        }
    }

    @Test func namesAndKeywords() throws {
        #expect(
            try kinds("db users_2 _x and or not in is None null True False") == [
                .name("db"), .name("users_2"), .name("_x"), .keyword(.and), .keyword(.or), .keyword(.not),
                .keyword(.in), .keyword(.is), .keyword(.none), .keyword(.null), .keyword(.true),
                .keyword(.false),
            ])
        #expect(try kinds("café naïve_1 名前") == [.name("café"), .name("naïve_1"), .name("名前")])
        #expect(try kinds("none true AND") == [.name("none"), .name("true"), .name("AND")])
    }

    @Test(arguments: [
        ("0", 0), ("42", 42), ("1_000", 1000), ("0x1F", 31), ("0XfF", 255), ("0x_ff", 255), ("0o17", 15),
        ("0b101", 5), ("007", 7), ("9223372036854775807", Int.max),
    ])
    func integers(source: String, value: Int) throws {
        #expect(try kinds(source) == [.integer(value)])
    }

    @Test(arguments: [
        ("1.5", 1.5), ("1.", 1.0), (".5", 0.5), ("1e10", 1e10), ("1E-3", 1e-3), ("1.5e+3", 1500),
        ("1_0.2_5", 10.25),
        ("1.e2", 100), ("0.0", 0),
    ])
    func floats(source: String, value: Double) throws {
        #expect(try kinds(source) == [.float(value)])
    }

    @Test(arguments: [
        ("1abc", "invalid number 1abc"), ("0x", "invalid number 0x"), ("1_", "invalid number 1_"),
        ("1__0", "invalid number 1__0"), ("0b102", "invalid number 0b102"), ("1e", "invalid number 1e"),
        (
            "9223372036854775808",
            "integer 9223372036854775808 is too large; the largest is 9223372036854775807"
        ),
        ("1e999", "number 1e999 is too large"),
    ])
    func badNumbers(source: String, message: String) {
        let error = lexError(source)
        #expect(error?.message == message)
        #expect(error?.range.offsets == 0..<source.utf8.count)
    }

    @Test(arguments: [
        (#"'abc'"#, "abc"), (#""abc""#, "abc"), (#"'it\'s'"#, "it's"), (#""say \"hi\"""#, #"say "hi""#),
        (#"'a"b'"#, #"a"b"#), (#"'\n\t\r\\'"#, "\n\t\r\\"), (#"'\a\b\f\v\0'"#, "\u{7}\u{8}\u{C}\u{B}\u{0}"),
        (#"'\x41\u00e9\U0001F600'"#, "Aé😀"), (#"'\101\7'"#, "A\u{7}"), (#"'\q\%'"#, #"\q\%"#),
        (#"r'\d+\'x'"#, #"\d+\'x"#), (#"R"a\nb""#, #"a\nb"#), (#"u'x'"#, "x"),
        ("'''a\n'b'\n\"c\"'''", "a\n'b'\n\"c\""), ("\"\"\"x\"\"y\"\"\"", "x\"\"y"), ("'a\\\nb'", "ab"),
        ("''", ""), ("'é😀'", "é😀"), ("'''a\r\nb'''", "a\nb"),
    ])
    func strings(source: String, value: String) throws {
        #expect(try kinds(source) == [.string(value)])
    }

    @Test func badStrings() {
        #expect(lexError("x = 'abc")?.message == "unterminated string starting at 1:5")
        #expect(lexError("x = 'abc")?.needsMoreInput == false)
        #expect(lexError("x = 'abc\ny = 2")?.range.offsets == 4..<8)
        #expect(lexError("x = '''abc\n")?.needsMoreInput == true)
        #expect(lexError("x = 'abc\\")?.needsMoreInput == true)
        #expect(lexError("x = 'abc\\\n")?.needsMoreInput == true)
        #expect(lexError("x = r'abc\\\n")?.needsMoreInput == true)
        #expect(lexError("x = 'abc\\\ndef")?.needsMoreInput == false)
        #expect(lexError(#"'\x4'"#)?.message == #"invalid \x escape: expected 2 hex digits"#)
        #expect(lexError(#"'\uD800'"#)?.message == #"\uD800 is not a Unicode character"#)
        #expect(lexError(#"'\U00110000'"#)?.message == #"\U00110000 is not a Unicode character"#)
    }

    @Test func operators() throws {
        let source = "== != < <= > >= + - * ** / % & | ~ = . , : ( ) [ ] { }"
        #expect(try kinds(source) == Punctuation.allCases.map { .punctuation($0) })
        #expect(try kinds("a<=b") == [.name("a"), .punctuation(.lessEqual), .name("b")])
    }

    @Test func unexpectedCharacters() {
        #expect(lexError("a $ b")?.message == "unexpected character '$'")
        #expect(lexError("a $ b")?.range.offsets == 2..<3)
        #expect(lexError("a <> b")?.hint == "write '!=' for 'not equal'")
        #expect(lexError("a && b")?.message == "unexpected '&&'")
        #expect(lexError("!a")?.hint == "write 'not' or '~' for negation, '!=' for 'not equal'")
        #expect(lexError("a\u{A0}b")?.message == "unexpected character U+00A0")
        #expect(lexError("a → b")?.message == "unexpected character '→' (U+2192)")
        #expect(lexError("x = 1 \\ 2")?.message == "unexpected '\\'")
    }

    @Test func separatorsCommentsAndContinuations() throws {
        #expect(
            try kinds("a # comment\n\n\nb; c;\n") == [
                .name("a"), .newline, .name("b"), .semicolon, .name("c"), .semicolon,
            ])
        #expect(try kinds("a + \\\n b") == [.name("a"), .punctuation(.plus), .name("b")])
        #expect(
            try kinds("f(a,\n  # note\n  b)\nc") == [
                .name("f"), .punctuation(.leftParenthesis), .name("a"), .punctuation(.comma), .name("b"),
                .punctuation(.rightParenthesis), .newline, .name("c"),
            ])
        #expect(try kinds("a\r\nb") == [.name("a"), .newline, .name("b")])
        #expect(lexError("a \\")?.needsMoreInput == true)
    }

    @Test func locations() throws {
        let tokens = try Lexer.tokenize("x = 1\n  y.é = 'ü'\n")
        let ranges = tokens.map { "\($0.range.start)-\($0.range.end)" }
        #expect(
            ranges == [
                "1:1-1:2", "1:3-1:4", "1:5-1:6", "1:6-2:1", "2:3-2:4", "2:4-2:5", "2:5-2:6", "2:7-2:8",
                "2:9-2:12", "2:12-3:1", "3:1-3:1",
            ])
        #expect(tokens[6].range.offsets == 10..<12)  // é is two bytes
        // Columns count characters: e + combining acute is one column.
        let combining = try Lexer.tokenize("'e\u{301}' + x")
        #expect(combining[2].range.start.column == 7)
        #expect(combining[2].range.start.offset == 8)
    }
}

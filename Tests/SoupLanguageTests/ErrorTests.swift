import SoupLanguage
import Testing

/// Error messages and positions: 1️⃣ marks where the error starts, 2️⃣ where it ends.
@Suite struct ErrorTests {
    @Test func brackets() {
        expectError(
            "users.filter(users.name == 'x'1️⃣", "expected ')' to close '(' opened at 1:13",
            needsMoreInput: true)
        expectError("x = [1, 21️⃣\n", "expected ']' to close '[' opened at 1:5", needsMoreInput: true)
        expectError("f(a 1️⃣b)", "expected ')' to close '(' opened at 1:2", hint: "is a ',' missing?")
        expectError("f(a1️⃣]", "expected ')' to close '(' opened at 1:2")
        expectError("[1, 1️⃣)", "expected ']' to close '[' opened at 1:1")
        expectError("x = f(1)1️⃣)2️⃣", "unexpected ')'", hint: "nothing open here needs closing")
        expectError("1️⃣)", "unexpected ')'")
        expectError("{'a' 1️⃣1}", "expected ':' after a dictionary key")
        expectError("{'a': 1 1️⃣'b': 2}", "expected '}' to close '{' opened at 1:1", hint: "is a ',' missing?")
        expectError("q[1️⃣]", "expected an index or a slice inside '[]'")
    }

    @Test func missingExpressions() {
        expectError("x ==1️⃣", "expected an expression after '=='")
        expectError("x == 1️⃣)", "unexpected ')'")
        expectError("x =1️⃣ \n", "expected an expression after '='")
        expectError("x = 1 +1️⃣ # comment", "expected an expression after '+'")
        expectError("f(1,1️⃣", "expected ')' to close '(' opened at 1:2", needsMoreInput: true)
        expectError("a and1️⃣;", "expected an expression after 'and'")
        expectError("f(1, 1️⃣, 2)", "expected an expression after ','")
        expectError("x = 1️⃣*", "expected an expression after '='")
        expectError("db1️⃣.2x", "invalid number .2x")
        expectError("db.1️⃣None", "expected an attribute name after '.', found 'None'")
        expectError("db.1️⃣'x'", "expected an attribute name after '.', found string 'x'")
    }

    @Test func statements() {
        expectError(
            "print 1️⃣x", "expected the end of the statement, found name 'x'",
            hint: "separate statements with a newline or ';'")
        expectError("x = 1 1️⃣2", "expected the end of the statement, found number 2")
        expectError("a = b 1️⃣= c", "unexpected '='")
        expectError("1️⃣f() = 1", "cannot assign to a call")
        expectError("1️⃣x + 1 = 2", "cannot assign to the result of '+'")
        expectError("1️⃣'x' = 2", "cannot assign to a literal")
        expectError("1️⃣q[1:2] = 2", "cannot assign to a slice")
        expectError("x = 1; ; 1️⃣)", "unexpected ')'")
        expectError("x 1️⃣if y", "expected the end of the statement, found name 'if'")
    }

    @Test func operators() {
        expectError("a < b 1️⃣< c", "comparisons cannot be chained")
        expectError("a == b 1️⃣!= c", "comparisons cannot be chained")
        expectError("a == 1️⃣not b", "'not' needs parentheses here", hint: "write (not …)")
        expectError("-1️⃣not b", "'not' needs parentheses here")
        expectError("a 1️⃣<>2️⃣ b", "unexpected '<>'", hint: "write '!=' for 'not equal'")
        expectError("a 1️⃣not b", "expected the end of the statement, found 'not'")
        expectError("x = 1️⃣!a", "unexpected character '!'")
    }

    @Test func arguments() {
        expectError(
            "filter(users.name 1️⃣= 'x')", "a keyword argument needs a plain name before '='",
            hint: "did you mean '=='?")
        expectError("f(a=1, 1️⃣b2️⃣)", "positional argument follows keyword argument")
        expectError("f(**k, 1️⃣b2️⃣)", "positional argument follows keyword argument")
        expectError("f(a=1, 1️⃣a=2)", "keyword argument 'a' is repeated")
        expectError("f(**k, 1️⃣*a)", "'*' unpacking cannot follow '**' unpacking")
        expectError("f(1️⃣in=1)", "expected an expression after '('")
    }

    @Test func literals() {
        expectError("x = 1️⃣'abc2️⃣\ny = 1", "unterminated string starting at 1:5")
        expectError("x = 1️⃣'''abc\n\n2️⃣", "unterminated string starting at 1:5", needsMoreInput: true)
        expectError("s = 'a1️⃣\\x42️⃣g'", "invalid \\x escape: expected 2 hex digits")
        expectError(
            "n = 1️⃣99999999999999999999992️⃣",
            "integer 9999999999999999999999 is too large; the largest is 9223372036854775807")
        expectError("é = 1️⃣$", "unexpected character '$'")
    }

    @Test func unicodeColumns() throws {
        let source = "naïve = '名前' +1️⃣"
        expectError(source, "expected an expression after '+'")
        let error = try #require(parseError(MarkedSource(source).text))
        #expect(error.range.start.description == "1:15")
    }

    @Test func rendering() throws {
        let source = "users.filter(users.name == 'x'"
        let error = try #require(parseError(source))
        #expect(
            error.rendered(in: source) == """
                1:31: expected ')' to close '(' opened at 1:13
                users.filter(users.name == 'x'
                                              ^
                """)

        let script = "x = 1\n\tf(a=1, bb)\ny = 2\n"
        let scriptError = try #require(parseError(script))
        #expect(
            scriptError.rendered(in: script, path: "load.soup") == """
                load.soup:2:9: positional argument follows keyword argument
                \tf(a=1, bb)
                \t       ^~
                """)

        let hinted = "filter(users.name = 'x')"
        let hintedError = try #require(parseError(hinted))
        #expect(
            hintedError.rendered(in: hinted) == """
                1:19: a keyword argument needs a plain name before '='
                filter(users.name = 'x')
                                  ^
                hint: did you mean '=='?
                """)

        let wide = "名前 = 'x' 1"
        let wideError = try #require(parseError(wide))
        #expect(wideError.rendered(in: wide).split(separator: "\n")[2] == "         ^")

        let crlf = "x = 1\r\ny = (\r\n"
        let crlfError = try #require(parseError(crlf))
        #expect(crlfError.rendered(in: crlf) == "2:6: expected ')' to close '(' opened at 2:5\ny = (\n     ^")

        let multiline = "x = '''abc\ndef"
        let multilineError = try #require(parseError(multiline))
        #expect(
            multilineError.rendered(in: multiline)
                == "1:5: unterminated string starting at 1:5\nx = '''abc\n    ^~~~~~")
    }

    @Test func descriptions() throws {
        let error = try #require(parseError("x = )"))
        #expect(
            error.description == "1:5: unexpected ')'"
                || error.description == "1:5: expected an expression after '='")
        #expect(
            TokenKind.string(String(repeating: "a", count: 30)).description
                == "string 'aaaaaaaaaaaaaaaaaaaa…'")
        #expect(TokenKind.endOfInput.description == "end of input")
    }
}

import SoupLanguage
import Testing

/// The scanner behind colouring as you type: every piece of soup and SQL gets a kind, and what is
/// not finished yet (strings, brackets, comments) is marked instead of failing.
@Suite struct InputScannerTests {
    /// Each token as `kind:text`, with `!` for unclosed and `?` for stray.
    func scan(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return InputScanner.tokens(of: text).map { token in
            "\(token.kind):\(String(decoding: bytes[token.range], as: UTF8.self))"
                + (token.isUnclosed ? "!" : "") + (token.isStray ? "?" : "") + (token.isSQL ? "@" : "")
        }
    }

    @Test("soup names, members, keyword arguments, keywords, literals and operators")
    func soup() {
        #expect(
            scan("x = users.filter_by(name='Ann', age=3).first() # hi") == [
                "assignedName:x", "operator:=", "name:users", "punctuation:.", "member:filter_by", "openBracket:(",
                "keywordArgument:name", "operator:=", "string:'Ann'", "punctuation:,", "keywordArgument:age",
                "operator:=", "number:3", "closeBracket:)", "punctuation:.", "member:first", "openBracket:(",
                "closeBracket:)", "comment:# hi",
            ])
        #expect(
            scan("a == None and not b != 1.5e-3 ** 2") == [
                "name:a", "operator:==", "keyword:None", "keyword:and", "keyword:not", "name:b", "operator:!=",
                "number:1.5e-3", "operator:**", "number:2",
            ])
        #expect(scan("名前 + r'x\\'y'") == ["name:名前", "operator:+", "string:r'x\\'y'"])
        #expect(scan("a $ b") == ["name:a", "unknown:$", "name:b"])
    }

    @Test("unclosed strings and brackets are marked, stray closers too")
    func unfinished() {
        #expect(scan("users.filter(users.name == 'An") == [
            "name:users", "punctuation:.", "member:filter", "openBracket:(!", "name:users", "punctuation:.",
            "member:name", "operator:==", "string:'An!",
        ])
        #expect(scan("f(a]) )") == ["name:f", "openBracket:(", "name:a", "closeBracket:]?", "closeBracket:)", "closeBracket:)?"])
        #expect(scan("'''a\nb") == ["string:'''a\nb!"])
        #expect(scan("'a\nb") == ["string:'a!", "name:b"])
    }

    @Test("raw SQL: keywords, names, functions, literals, parameters, comments; soup after its ;")
    func sql() {
        #expect(
            scan("SELECT t.name, count(*) FROM \"Odd\" t WHERE x = $1 -- c\n AND y = 'it''s';\nusers") == [
                "sqlKeyword:SELECT@", "sqlIdentifier:t@", "punctuation:.@", "sqlIdentifier:name@", "punctuation:,@",
                "sqlFunction:count@", "openBracket:(@", "operator:*@", "closeBracket:)@", "sqlKeyword:FROM@",
                "sqlIdentifier:\"Odd\"@", "sqlIdentifier:t@", "sqlKeyword:WHERE@", "sqlIdentifier:x@", "operator:=@",
                "sqlParameter:$1@", "comment:-- c@", "sqlKeyword:AND@", "sqlIdentifier:y@", "operator:=@",
                "string:'it''s'@", "punctuation:;@", "name:users",
            ])
        #expect(scan("select 'open") == ["sqlKeyword:select@", "string:'open!@"])
        #expect(scan("INSERT INTO t (a) VALUES ($$x;$$)") == [
            "sqlKeyword:INSERT@", "sqlKeyword:INTO@", "sqlIdentifier:t@", "openBracket:(@", "sqlIdentifier:a@",
            "closeBracket:)@", "sqlKeyword:VALUES@", "openBracket:(@", "string:$$x;$$@", "closeBracket:)@",
        ])
        #expect(scan("SELECT (1;\nx") == ["sqlKeyword:SELECT@", "openBracket:(!@", "number:1@", "punctuation:;@", "name:x"])
    }

    @Test("meta commands are one line; a newline outside brackets starts a statement")
    func lines() {
        #expect(scan("\\d users\nselect 1") == ["metaCommand:\\d", "metaArgument:users", "sqlKeyword:select@", "number:1@"])
        #expect(scan(".tables") == ["metaCommand:.tables"])
        #expect(scan("f(\n.5)") == ["name:f", "openBracket:(", "number:.5", "closeBracket:)"])
        #expect(scan("x\ny = 1") == ["name:x", "assignedName:y", "operator:=", "number:1"])
    }
}

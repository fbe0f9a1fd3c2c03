import SoupLanguage
import Testing

@Suite struct PrinterTests {
    @Test(arguments: FuzzInputs.corpus)
    func printedSourceReadsBack(source: String) throws {
        let statements = try Parser.parse(source)
        let printed = statements.map(\.description).joined(separator: "\n")
        #expect(try Parser.parse(printed).map { $0.stripped() } == statements.map { $0.stripped() })
    }

    @Test(arguments: [
        ("x=1", "x = 1"),
        ("f( a ,b= 2 ,*c,**d )", "f(a, b=2, *c, **d)"),
        ("(a+b)*c", "(a + b) * c"),
        ("a-(b-c)", "a - (b - c)"),
        ("(a-b)-c", "a - b - c"),
        ("(a<b)<c", "(a < b) < c"),
        ("a<(b<c)", "a < (b < c)"),
        ("(not a)==b", "(not a) == b"),
        ("a==(not b)", "a == (not b)"),
        ("not (a and b)", "not (a and b)"),
        ("(not a) and b", "not a and b"),
        ("-(-x)", "- -x"),
        ("-(a+b)", "-(a + b)"),
        ("(-a).b", "(-a).b"),
        ("(1).real", "(1).real"),
        ("(1.5).x", "(1.5).x"),
        ("(a or b)[0]", "(a or b)[0]"),
        ("q[1:2:3]", "q[1:2:3]"),
        ("q[:]", "q[:]"),
        ("q[::]", "q[:]"),
        ("(1,)", "(1,)"),
        ("{'a':[1,(2,)]}", "{'a': [1, (2,)]}"),
        ("'it\\'s \"x\"\\n\\t\\x00\\\\'", "'it\\'s \"x\"\\n\\t\\x00\\\\'"),
        ("\"é😀\\u00e9\"", "'é😀é'"),
        ("1e100", "1e+100"),
        ("0x10", "16"),
        ("null", "None"),
        ("(values + 1)", "(values + 1)"),
        ("(commit)", "(commit)"),
        ("(SELECT)", "(SELECT)"),
        ("values = 1", "values = 1"),
        ("SELECT 1 -- c", "SELECT 1 -- c\n;"),
        ("SELECT 1\n\\\n;", "SELECT 1\n\\\n;"),
        ("SELECT 1 --\u{200D} c", "SELECT 1 --\u{200D} c\n;"),
        ("SELECT 1\n  \\", "SELECT 1\n  \\\n;"),
        ("SELECT 1\n\\\u{301}", "SELECT 1;\n\\\u{301}"),
        (".tables", ".tables"),
        ("\\d  users ", "\\d users"),
        ("COMMIT", "commit"),
    ])
    func canonicalSource(source: String, printed: String) throws {
        let statements = try Parser.parse(source)
        #expect(statements.map(\.description).joined(separator: "\n") == printed)
        #expect(try Parser.parse(printed).map { $0.stripped() } == statements.map { $0.stripped() })
    }

    @Test func children() throws {
        let call = try expression("f(a, k=b[1:2], **{c: d})")
        #expect(call.kind.children.map(tree) == ["f", "a", "b[1:2:_]", "{c: d}"])
        #expect(call.height == 4)
        #expect(try expression("-x").kind.children.map(tree) == ["x"])
        #expect(try expression("42").kind.children.isEmpty)
    }
}

import SoupLanguage
import Testing

@Suite struct ParserTests {
    @Test(arguments: [
        ("42", "42"), ("1.5", "1.5"), ("'x'", "'x'"), ("\"x\"", "'x'"), ("None", "None"), ("null", "None"),
        ("True", "True"), ("False", "False"), ("users", "users"), ("'a' 'b'\n", "'ab'"),
        ("[]", "[]"), ("[1, 'a', None,]", "[1, 'a', None]"), ("()", "()"), ("(1,)", "(1,)"),
        ("(1, 2)", "(1, 2)"),
        ("(1)", "1"), ("{}", "{}"), ("{'a': 1, 'b': [2]}", "{'a': 1, 'b': [2]}"), ("{1: 2,}", "{1: 2}"),
    ])
    func literals(source: String, expected: String) throws {
        #expect(tree(try expression(source)) == expected)
    }

    @Test(arguments: [
        ("a or b and c", "(a or (b and c))"),
        ("a and b or c", "((a and b) or c)"),
        ("not a and b", "((not a) and b)"),
        ("not a == b", "(not (a == b))"),
        ("not not a", "(not (not a))"),
        ("a == b | c", "(a == (b | c))"),
        ("a | b & c", "(a | (b & c))"),
        ("a & b + c", "(a & (b + c))"),
        ("a + b * c", "(a + (b * c))"),
        ("a - b - c", "((a - b) - c)"),
        ("a / b % c * d", "(((a / b) % c) * d)"),
        ("-a * b", "((-a) * b)"),
        ("-a.b", "(-a.b)"),
        ("~a | ~b", "((~a) | (~b))"),
        ("- -a", "(-(-a))"),
        ("+a", "(+a)"),
        ("a in b", "(a in b)"),
        ("a not in b", "(a not in b)"),
        ("a is None", "(a is None)"),
        ("a is not None", "(a is not None)"),
        ("a != b", "(a != b)"), ("a < b", "(a < b)"), ("a <= b", "(a <= b)"), ("a > b", "(a > b)"),
        ("a >= b", "(a >= b)"),
        ("(a < b) < c", "((a < b) < c)"),
        ("(a or b) and c", "((a or b) and c)"),
        ("a == (not b)", "(a == (not b))"),
    ])
    func precedence(source: String, expected: String) throws {
        #expect(tree(try expression(source)) == expected)
    }

    @Test(arguments: [
        ("a.b.c", "a.b.c"),
        ("f()", "f()"),
        ("f(x, y=1)", "f(x, y=1)"),
        ("f(x,)", "f(x)"),
        ("f(*xs, **kw)", "f(*xs, **kw)"),
        ("f(**{'name': 'x'})", "f(**{'name': 'x'})"),
        ("f(a=1, *b)", "f(a=1, *b)"),
        ("f(x)(y)", "f(x)(y)"),
        ("q[0]", "q[0]"),
        ("q[1:3]", "q[1:3:_]"),
        ("q[:5]", "q[_:5:_]"),
        ("q[2:]", "q[2:_:_]"),
        ("q[:]", "q[_:_:_]"),
        ("q[::2]", "q[_:_:2]"),
        ("q[a + 1:b]", "q[(a + 1):b:_]"),
        ("d['k'][0].x", "d['k'][0].x"),
        ("(a + b).c", "(a + b).c"),
        ("[1][0]", "[1][0]"),
        ("'a,b'.split(',')", "'a,b'.split(',')"),
    ])
    func postfix(source: String, expected: String) throws {
        #expect(tree(try expression(source)) == expected)
    }

    @Test func assignments() throws {
        guard case .assignment(let target, let value) = try statement("x = 1 + 2").kind,
            case .name("x") = target.kind
        else {
            Issue.record("not an assignment to x")
            return
        }
        #expect(tree(value) == "(1 + 2)")
        #expect(target.range.offsets == 0..<1)

        guard case .assignment(let target, let value) = try statement("user.email = 'x'").kind,
            case .attribute(let base, let name) = target.kind
        else {
            Issue.record("not an attribute assignment")
            return
        }
        #expect(tree(base) == "user" && name.name == "email" && tree(value) == "'x'")
        #expect(target.range.offsets == 0..<10)

        guard case .assignment(let target, _) = try statement("d['k'] = 1").kind,
            case .subscript(let base, let index) = target.kind
        else {
            Issue.record("not a subscript assignment")
            return
        }
        #expect(tree(base) == "d" && tree(index) == "'k'")

        guard case .assignment(let target, _) = try statement("(x) = 1").kind, case .name("x") = target.kind
        else {
            Issue.record("not an assignment to x")
            return
        }
    }

    @Test func sessionStatements() throws {
        #expect(try statement("commit").kind == .commit)
        #expect(try statement("  rollback  # undo").kind == .rollback)
        #expect(try statement("COMMIT;").kind == .commit)
        #expect(try statement("Rollback\n").kind == .rollback)
        #expect(try tree(expression("commit()")) == "commit()")
        #expect(try tree(expression("db.commit()")) == "db.commit()")
        #expect(try tree(expression("(commit)")) == "commit")
        guard case .assignment = try statement("commit = 1").kind else {
            Issue.record("commit = 1 is an assignment")
            return
        }
    }

    @Test func statementRanges() throws {
        let statements = try Parser.parse("x = 1  # one\n\n  f(a,\n    b) ; SELECT 1 ;\n\\d users  \n")
        #expect(statements.map(\.range.offsets) == [0..<5, 16..<27, 30..<38, 41..<49])
        #expect(statements.map(\.range.start.description) == ["1:1", "3:3", "4:10", "5:1"])
    }

    @Test func expressionRanges() throws {
        let call = try expression("db.users.filter( x == 1 )")
        #expect(call.range.offsets == 0..<25)
        guard case .call(let function, let arguments) = call.kind,
            case .attribute(let base, let name) = function.kind
        else {
            Issue.record("not a method call")
            return
        }
        #expect(function.range.offsets == 0..<15)
        #expect(base.range.offsets == 0..<8)
        #expect(name.range.offsets == 9..<15)
        #expect(arguments[0].range.offsets == 17..<23)
        let keyword = try expression("f(name = 'x')")
        guard case .call(_, let keywordArguments) = keyword.kind,
            case .keyword(let label) = keywordArguments[0].kind
        else {
            Issue.record("no keyword argument")
            return
        }
        #expect(keywordArguments[0].range.offsets == 2..<12)
        #expect(label.range.offsets == 2..<6)
        #expect(try expression("( a + b )").range.offsets == 0..<9)
        #expect(try expression("q[1:]").range.offsets == 0..<5)
        guard case .subscript(_, let slice) = try expression("q[1:]").kind else {
            Issue.record("q[1:] is not a subscript")
            return
        }
        #expect(slice.range.offsets == 2..<4)
        #expect(try expression("-x").range.offsets == 0..<2)
        #expect(try expression("'a'\n").range.offsets == 0..<3)
        #expect(try expression("('a'\n 'b')").range.offsets == 0..<10)
    }

    @Test func heightLimit() throws {
        let depth = Parser.maximumDepth
        // Just within the limit: brackets, unary operators, operator chains and attribute chains.
        _ = try Parser.parse(
            String(repeating: "(", count: depth - 1) + "1" + String(repeating: ")", count: depth - 1))
        _ = try Parser.parse(String(repeating: "-", count: depth - 1) + "1")
        _ = try Parser.parse("x" + String(repeating: " + x", count: depth - 1))
        _ = try Parser.parse("x" + String(repeating: ".a", count: depth - 1))
        // Far beyond it: an error, never a crash.
        for source in [
            String(repeating: "(", count: 100_000) + "1", String(repeating: "[", count: 100_000),
            "x = " + String(repeating: "-", count: 100_000) + "1",
            String(repeating: "not ", count: 100_000) + "x",
            "x" + String(repeating: " + x", count: 100_000), "x" + String(repeating: ".a", count: 100_000),
            "f" + String(repeating: "(1)", count: 100_000), "f" + String(repeating: "(", count: 100_000),
            String(repeating: "{1: ", count: 100_000),
        ] {
            let error = parseError(source)
            #expect(
                error?.message == "expression nested too deeply (more than \(depth) levels)",
                "\(source.prefix(10))…")
        }
    }

    @Test func manyStatementsAndLongLists() throws {
        let source = (0..<10_000).map { "x\($0) = [\($0), '\($0)']" }.joined(separator: "\n")
        #expect(try Parser.parse(source).count == 10_000)
        let list = "[" + (0..<100_000).map(String.init).joined(separator: ", ") + "]"
        guard case .list(let elements) = try expression(list).kind else {
            Issue.record("a list of 100,000 elements does not parse as a list")
            return
        }
        #expect(elements.count == 100_000)
    }
}

extension ParserTests {
    @Test func dictionaryEntryRanges() throws {
        guard case .dictionary(let entries) = try expression("{'a': 1,  'bc' : [2]}").kind else {
            Issue.record("not a dictionary")
            return
        }
        #expect(entries.map(\.range.offsets) == [1..<7, 10..<20])
    }
}

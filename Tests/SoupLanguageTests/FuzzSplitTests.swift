import Foundation
import SoupLanguage
import SoupTestSupport
import Testing

/// How scripts are cut into statements: generated scripts of raw SQL (with `;` hidden in
/// strings, quoted identifiers, dollar quotes, comments and trigger bodies) between soup
/// statements split exactly where they were joined, in script and REPL termination; mutated
/// ones never crash or hang, and every rejection is a positioned ParseError.
///
/// `SOUP_FUZZ_ITERATIONS` and `SOUP_FUZZ_SEED` apply as in ``FuzzTests``.
@Suite struct FuzzSplitTests {
    @Test(arguments: 0..<FuzzTests.shards)
    func generatedScripts(shard: Int) throws {
        var scripts = ScriptGenerator(seed: FuzzTests.seed &+ 0x5B1 &+ UInt64(shard))
        let watchdog = Watchdog(limit: .seconds(10))
        defer { watchdog.stop() }
        var split = 0
        var mutated = 0
        var rejected = 0
        for _ in 0..<(FuzzTests.iterations / FuzzTests.shards) {
            let script = scripts.next()
            watchdog.begin(script.text)
            checkSplit(script)
            split += 1
            let mutant = scripts.mutated(script.text)
            watchdog.begin(mutant)
            mutated += 1
            do {
                _ = try Parser.parse(mutant)
            } catch {
                rejected += 1
                FuzzTests().checkError(error, in: mutant)
            }
            _ = Parser.isComplete(mutant)
        }
        watchdog.end()
        print("split fuzz shard \(shard): \(split) scripts split, \(mutated) mutants (\(rejected) rejected)")
        // With the default seed 57% of the mutants are rejected and 43% still parse.
        let planned = FuzzTests.iterations / FuzzTests.shards
        let problems = FuzzSettings.reachProblems(
            "split fuzz shard \(shard)", inputs: split, planned: planned,
            shares: [
                ("mutants made", mutated, 1), ("mutants rejected", rejected, 0.4),
                ("mutants parsed", mutated - rejected, 0.3),
            ])
        for problem in problems { Issue.record("\(problem)") }
    }

    /// The SQL found is the SQL written, in order, between the soup statements.
    func checkSplit(_ script: GeneratedScript) {
        for termination in [SQLTermination.semicolonOrEndOfInput, .semicolon] {
            do {
                let found = try Parser.parse(script.text, sqlTermination: termination).map(Piece.init)
                if found != script.pieces {
                    Issue.record(
                        "\(script.text.debugDescription) (\(termination)) split as \(found), not \(script.pieces)")
                }
            } catch {
                Issue.record("\(script.text.debugDescription) (\(termination)): \(error)")
            }
        }
    }

    /// The literal regression inputs the fuzzer found or that guard its edge cases.
    @Test(arguments: [
        ("SELECT 'a;b', \"c;d\", $$e;f$$, $t$ ; $t$, [g;h], `i;j` FROM t;\nx", 2),
        ("SELECT E'\\';x' FROM t; SELECT 2", 2),
        ("SELECT 1 /* a; /* b; */ c; */ ; y", 2),
        ("SELECT 1 -- c;\n, 2;\nz", 2),
        ("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; UPDATE t SET a = 'x;'; END;\nq", 2),
        ("SELECT $1, a$b$c FROM t; SELECT 2", 2),
    ])
    func knownSplits(source: String, count: Int) throws {
        #expect(try Parser.parse(source).count == count)
    }

    /// SQLite and libpq stop reading SQL at a NUL byte, so one inside SQL is refused where it is.
    @Test func nulByteInSQL() throws {
        let error = try #require(throws: ParseError.self) { try Parser.parse("x = 1\nDELETE FROM t WHERE a > 0\0 AND b;") }
        #expect(error.message == "a NUL byte in SQL")
        #expect(error.range.start.line == 2 && error.range.start.column == 26)
        #expect(try Parser.parse("x = 'a\0b'").count == 1)
    }
}

/// A statement as the splitter should see it: the SQL text, or just "soup".
enum Piece: Equatable, CustomStringConvertible {
    case sql(String)
    case soup

    init(_ statement: Statement) {
        if case .sql(let text) = statement.kind { self = .sql(text) } else { self = .soup }
    }

    var description: String {
        switch self {
        case .sql(let text): return "sql(\(text.debugDescription))"
        case .soup: return "soup"
        }
    }
}

/// A script and the statements it was made of.
struct GeneratedScript {
    var text: String
    var pieces: [Piece]
}

/// Scripts of raw SQL and soup statements, and mutations of them.
struct ScriptGenerator {
    /// SQL fragments, each of which hides a `;` (or other trouble) from a naive splitter.
    static let fragments = [
        "1", "'a;b'", "'it''s;'", "E'\\';x'", "e'\\\\'", "\"col;x\"", "\"q\"\"x;\"", "$$a;b$$",
        "$fn$ x; $$ ; $fn$", "$1", "a$b", "[br;x]", "`bt;x`", "x -- c;\n", "/* a; /* b; */ c; */",
        "'名;😀'", "'\\'", "'--;'", "'/*;'", "\"\"\"\"", "$_$;$_$", "'\n;\n'", "u&'\\0041;'",
    ]

    static let soup = [
        "x = 1", "users.filter(users.name == 'a;b').all()", "db.commit()", "print('SELECT 1;')",
        "values = [1, 2]", "q = users.filter_by(name=\"x;y\")", "commit", "rollback",
        "s = '''SELECT 1;\nSELECT 2;'''",
    ]

    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func next() -> GeneratedScript {
        var text = ""
        var pieces: [Piece] = []
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            if Int.random(in: 0..<3, using: &random) == 0 {
                text += Self.soup.randomElement(using: &random)! + "\n"
                pieces.append(.soup)
            } else {
                let sql = statement()
                text += sql + [";\n", ";", " ;\n", ";\n\n", "\n;\n"].randomElement(using: &random)!
                pieces.append(.sql(sql.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
        return GeneratedScript(text: text, pieces: pieces)
    }

    private mutating func statement() -> String {
        let list = (0..<Int.random(in: 1...4, using: &random)).map { _ in
            Self.fragments.randomElement(using: &random)!
        }
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            return "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT " + list.joined(separator: ", ")
                + "; UPDATE t SET a = CASE WHEN 1 THEN 'x;' END; END"
        case 1: return "INSERT INTO t VALUES (" + list.joined(separator: ", ") + ")"
        case 2: return "update t SET a = " + list.joined(separator: " || ")
        case 3: return "WITH w AS (SELECT " + list.joined(separator: ", ") + ") SELECT * FROM w"
        default: return ["SELECT ", "select\t", "Select\n"].randomElement(using: &random)! + list.joined(separator: ", ")
        }
    }

    /// `text` with a few quote characters, semicolons or bytes inserted, deleted or replaced.
    mutating func mutated(_ text: String) -> String {
        var bytes = Array(text.utf8)
        let interesting = Array("';\"$`[]/*-\\\nEe_".utf8)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes.insert(interesting.randomElement(using: &random)!, at: position)
            case 1: if position < bytes.count { bytes.remove(at: position) }
            case 2: if position < bytes.count { bytes[position] = interesting.randomElement(using: &random)! }
            default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

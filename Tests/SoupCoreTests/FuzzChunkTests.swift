import SoupCore
import SoupLanguage
import SoupTestSupport
import Testing

/// `Script.readPieces`, which cuts a long script into pieces of a few lines at statement ends
/// and parses each once: over generated multi-line scripts (SQL over several lines, strings and
/// brackets across lines, continuation backslashes) and tiny piece sizes, the pieces put back
/// together are the script, each starts on the right line, and their statements are those of
/// the whole, at the same file positions; a script that does not parse whole fails in pieces
/// too.
///
/// `SOUP_FUZZ_ITERATIONS` (default 100,000, here divided by 10: each script is parsed many
/// times) and `SOUP_FUZZ_SEED` set the run.
@Suite struct FuzzChunkTests {
    static let lines = [
        "x = 1", "SELECT 1;", "SELECT 'a", "b;';", "SELECT $$", "; $$ FROM t", ";", "f(1,", "  2)",
        "s = '''a", "b'''", "y = 1 + \\", "  2", "# comment;", "-- sql comment", "/* a", "b; */ SELECT 2;",
        "INSERT INTO t", "VALUES (1);", "users.filter(", "users.name == 'x;'", ").all()", "", "commit",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN", "SELECT 1;", "END;", "[1,", "2]", "d = {", "'k': 1}",
    ]

    @Test func generatedScripts() {
        var random = SeededRandom(seed: FuzzSettings.seed &+ 0xC4)
        var scripts = 0
        var parsed = 0
        var pieces = 0
        var multiPiece = 0
        let planned = max(1, FuzzSettings.iterations / 10)
        for _ in 0..<planned {
            let text = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                Self.lines.randomElement(using: &random)!
            }.joined(separator: "\n")
            let script = Script(name: "fuzz.soup", text: text)
            var chunks: [Script] = []
            var found: [(Statement, SourceRange)] = []
            let whole = try? Parser.parse(text)
            scripts += 1
            do {
                try script.readPieces(ofAbout: Int.random(in: 1...4, using: &random)) { piece, statements in
                    chunks.append(piece)
                    found += statements.map { ($0, piece.fileRange($0.range)) }
                }
            } catch is ScriptSyntaxError {
                // Reading stops at the piece with the error; the pieces before it were cut off.
                pieces += chunks.count
                if !chunks.isEmpty { multiPiece += 1 }
                if whole != nil { Issue.record("\(text.debugDescription) reads whole but not in pieces") }
                continue
            } catch {
                Issue.record("\(text.debugDescription): \(error)")
                continue
            }
            pieces += chunks.count
            if chunks.count > 1 { multiPiece += 1 }
            if chunks.map(\.text).joined(separator: "\n") != text {
                Issue.record("pieces of \(text.debugDescription) do not join back: \(chunks.map(\.text))")
            }
            var line = 1
            for chunk in chunks {
                if chunk.firstLine != line { Issue.record("\(text.debugDescription): a piece starts at \(chunk.firstLine), not \(line)") }
                line += chunk.text.count { $0 == "\n" } + 1
            }
            guard let whole else {
                Issue.record("\(text.debugDescription) reads in pieces but not whole")
                continue
            }
            parsed += 1
            check(whole, of: script, found: found, in: chunks)
        }
        print("chunk fuzz: \(scripts) scripts, \(parsed) valid, cut into \(pieces) pieces, \(multiPiece) cut at least once")
        // With the default seed 9% of the scripts are valid and 22% are cut at least once: reading
        // stops at an invalid script's error, so those are cut only before it.
        let problems = FuzzSettings.reachProblems(
            "chunk fuzz", inputs: scripts, planned: planned,
            shares: [("valid scripts", parsed, 0.04), ("more than one piece", multiPiece, 0.15)])
        for problem in problems { Issue.record("\(problem)") }
    }

    /// The statements of the pieces are those of the whole, at the same file lines.
    func check(_ whole: [Statement], of script: Script, found: [(Statement, SourceRange)], in chunks: [Script]) {
        let same =
            found.map(\.0.description) == whole.map(\.description)
            && found.map { [$0.1.start.line, $0.1.start.column] } == whole.map { [$0.range.start.line, $0.range.start.column] }
        if !same {
            Issue.record("\(script.text.debugDescription) reads differently in pieces \(chunks.map(\.text))")
        }
    }
}

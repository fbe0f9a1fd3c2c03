import ArgumentParser
import Foundation
import Testing

@testable import SoupCLI
@testable import SoupTestSupport

/// The fast path reads a command line exactly as ArgumentParser does, or not at all.
///
/// ArgumentParser is the oracle: every command line the fast path accepts must parse with
/// ArgumentParser into the same invocation. The lines are generated (well-formed ones in every
/// order, and mutants of them) from the options ArgumentParser itself declares, so an option
/// added to a command is covered without touching this file.
@Suite struct FastCommandLineTests {
    /// What ArgumentParser makes of `arguments`: an invocation, or nil for help, version,
    /// completion requests and errors.
    static func oracle(_ arguments: [String]) -> Invocation? {
        switch try? SoupCommand.parseAsRoot(arguments) {
        case let command as OpenCommand: .open(command.request)
        case let command as QueryCommand: .query(command.request)
        case let command as RunCommand: .run(command.request)
        case let command as TablesCommand: .tables(command.request)
        case let command as SchemaCommand: .schema(command.request)
        case let command as StatusCommand: .status(command.request)
        default: nil
        }
    }

    /// An option or flag as `soup COMMAND --experimental-dump-help` describes it.
    struct Declared {
        var spellings: [String]
        var takesValue: Bool
        var choices: [String]
    }

    /// The commands the fast path reads, with positionals that make a valid line.
    static let commands: [(word: String?, positionals: [String])] = [
        ("query", ["db.sqlite", "SELECT 1"]), ("run", ["db.sqlite", "script.soup"]), ("tables", ["db.sqlite"]),
        ("status", []), ("schema", ["db.sqlite"]), ("open", ["db.sqlite"]), (nil, ["db.sqlite"]),
    ]

    /// Options whose value is a number.
    static let numeric: Set<String> = ["--limit", "--watch"]

    /// The options ArgumentParser declares for `command` (the default command for nil),
    /// without its built-in --help and --version.
    static func declaredOptions(of command: String?) throws -> [Declared] {
        let error = try #require(throws: (any Error).self) {
            try SoupCommand.parseAsRoot([command ?? "open", "--experimental-dump-help"].compactMap { $0 })
        }
        let json = SoupCommand.fullMessage(for: error)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let info = try #require(document["command"] as? [String: Any])
        let arguments = try #require(info["arguments"] as? [[String: Any]])
        return arguments.compactMap { argument -> Declared? in
            guard let kind = argument["kind"] as? String, kind != "positional",
                let names = argument["names"] as? [[String: String]]
            else { return nil }
            let spellings = names.compactMap { name -> String? in
                guard let text = name["name"], let kind = name["kind"] else { return nil }
                return kind == "short" ? "-" + text : "--" + text
            }
            guard !spellings.contains("--help"), !spellings.contains("--version") else { return nil }
            return Declared(spellings: spellings, takesValue: kind == "option", choices: argument["allValues"] as? [String] ?? [])
        }
    }

    @Test("every option ArgumentParser declares, in every spelling, is read by the fast path the same way")
    func everyDeclaredOption() throws {
        for command in Self.commands {
            let options = try Self.declaredOptions(of: command.word)
            #expect(options.count >= 5, "\(command.word ?? "open")")
            for option in options {
                for spelling in option.spellings {
                    let values: [[String]] = option.takesValue ? (option.choices.isEmpty ? [Self.numeric.contains(spelling) ? "3" : "x"] : option.choices).map { [$0] } : [[]]
                    for value in values {
                        let line = [command.word].compactMap { $0 } + command.positionals + [spelling] + value
                        let fast = FastCommandLine.invocation(for: line)
                        #expect(fast != nil, "not read by the fast path: \(line)")
                        #expect(fast == Self.oracle(line), "\(line)")
                    }
                }
            }
        }
    }

    @Test("help, version, completion requests, demo and mistakes are left to ArgumentParser")
    func leavesTheRestToArgumentParser() {
        let lines: [[String]] = [
            ["--help"], ["-h"], ["help"], ["help", "query"], ["query", "--help"], ["query", "db", "SELECT 1", "-h"],
            ["--version"], ["query", "db", "x", "--version"], ["--generate-completion-script", "bash"],
            ["---completion", "query", "--", "positional@0", "0", "0"], ["--experimental-dump-help"],
            ["demo"], ["demo", "--path", "x.db"], ["query"], ["run"],
            ["query", "db", "x", "-f", "yaml"], ["query", "db", "x", "--tx", "some"], ["schema", "db", "-f", "csv"],
            ["query", "db", "x", "--format=csv"], ["query", "db", "x", "-vf", "csv"], ["query", "db", "--", "-1"],
            ["query", "db", "x", "-f"], ["query", "db", "x", "-f", "-v"], ["query", "db", "x", "--echo", "--echo"],
            ["query", "db", "x", "--pager", "--no-pager"], ["query", "db", "-1"], ["db", "extra"],
            ["tables", "db", "extra"], ["status", "a", "b"], ["query", "db", "x", "--counts"],
        ]
        for line in lines {
            #expect(FastCommandLine.invocation(for: line) == nil, "\(line)")
        }
    }

    @Test("the command lines of the README and the benchmarks take the fast path")
    func commonLinesAreFast() {
        let lines: [[String]] = [
            [], ["demo.db"], ["sqlite::memory:"], ["postgresql://app@localhost/app", "--read-only"],
            ["query", "demo.db", "users.filter(users.name.like('A%')).count()"],
            ["query", "bench.db", "events.all()", "-f", "csv"], ["query", "bench.db", "SELECT 1"],
            ["query", "db.sqlite", "a", "b", "-f", "json", "--tx", "statement", "--continue"],
            ["run", "app.db", "migrate.soup", "--dry-run"], ["run", "app.db", "-"], ["tables", "db1000.db"],
            ["tables", "app.db", "--counts", "--schema", "main"], ["schema", "app.db", "users", "-f", "mermaid"],
            ["status"], ["status", "app", "--json"], ["app.db", "--no-pager", "--null", "∅"],
            // The default database: the first argument may be a statement, a file or a table.
            ["query", "SELECT 1"], ["run", "setup.soup"], ["tables"], ["schema"], ["schema", "users"],
        ]
        for line in lines {
            let fast = FastCommandLine.invocation(for: line)
            #expect(fast != nil, "\(line)")
            #expect(fast == Self.oracle(line), "\(line)")
        }
    }

    @Test("generated command lines: whatever the fast path reads, ArgumentParser reads the same")
    func generatedLines() throws {
        var random = SeededRandom(seed: FuzzSettings.seed)
        let declared = try Self.commands.map { try Self.declaredOptions(of: $0.word) }
        // Sorted: a Set's order changes from process to process, and the seed must replay.
        let spellings = Set(declared.joined().flatMap(\.spellings)).sorted()
        let oddWords = [
            "", "-", "--", "-x", "-1", "--help", "-h", "--version", "--format=csv", "-vf", "--no-such", "help", "query",
            "demo", "csv", "statement", "db.sqlite", "SELECT 1", "∅", "-f-", "--pager=no",
        ]
        var read = 0
        var agreedWithOracle = 0
        var oracleRead = 0
        // ArgumentParser, the oracle, parses a line in ~40 ms in a debug build: 250 lines by default.
        let iterations = max(FuzzSettings.iterations / 400, 100)
        for _ in 0..<iterations {
            let which = Int.random(in: 0..<Self.commands.count, using: &random)
            let command = Self.commands[which]
            var words: [[String]] = command.positionals.map { [$0] }
            if command.word == "query" || command.word == "run" || command.word == "schema" {
                words += (0..<Int.random(in: 0...2, using: &random)).map { ["extra\($0)"] }
            }
            for option in declared[which] where Int.random(in: 0..<4, using: &random) == 0 {
                let spelling = option.spellings.randomElement(using: &random)!
                let value = option.choices.randomElement(using: &random) ?? ["v", "", "-", "with space"].randomElement(using: &random)!
                words.append(option.takesValue ? [spelling, value] : [spelling])
            }
            words.shuffle(using: &random)
            var line = [command.word].compactMap { $0 } + words.joined()
            for _ in 0..<Int.random(in: 0...2, using: &random) where Int.random(in: 0..<3, using: &random) == 0 {
                let word = Bool.random(using: &random) ? oddWords.randomElement(using: &random)! : spellings.randomElement(using: &random)!
                let position = Int.random(in: 0...line.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: line.insert(word, at: position)
                case 1 where position < line.count: line[position] = word
                default: if position < line.count { line.remove(at: position) }
                }
            }
            let oracle = Self.oracle(line)
            if oracle != nil { oracleRead += 1 }
            guard let fast = FastCommandLine.invocation(for: line) else { continue }
            read += 1
            #expect(fast == oracle, "\(line)")
            if fast == oracle { agreedWithOracle += 1 }
        }
        #expect(read == agreedWithOracle)
        // Most generated lines are well formed, so the comparison is not vacuous.
        #expect(oracleRead * 2 >= iterations, "ArgumentParser read only \(oracleRead) of \(iterations) lines")
        // The fast path is meant for these shapes: most lines ArgumentParser reads, it reads too.
        #expect(read * 10 >= oracleRead * 8, "fast path read \(read) of the \(oracleRead) lines ArgumentParser read")
    }
}

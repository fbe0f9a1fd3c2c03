import Foundation
import SoupTestSupport
import Testing

@Suite("Shell completions: generated from the binary, and working in bash, zsh and fish")
struct DocsCompletionTests {
    /// What bash offers for the command line `words` (the last word is the one being completed),
    /// by sourcing completions/soup.bash and calling `_soup` as bash's `complete -F` would.
    private func bashCompletions(_ words: [String]) throws -> [String] {
        let script = """
            source completions/soup.bash
            COMP_WORDS=("$@")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="${COMP_WORDS[*]}"
            COMP_POINT=${#COMP_LINE}
            _soup "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        // The first word is the program, which the script calls back for table names.
        let result = try Docs.run("bash", ["-c", script, "bash", try SoupBinary.path()] + words.dropFirst())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test(
        "completions/* are what the binary generates now",
        arguments: zip(["bash", "zsh", "fish"], ["completions/soup.bash", "completions/_soup", "completions/soup.fish"]))
    func current(shell: String, file: String) throws {
        let generated = try SoupBinary.run(["--generate-completion-script", shell])
        #expect(generated.status == 0, "\(generated.stderr)")
        let committed = try String(contentsOfFile: Docs.file(file), encoding: .utf8)
        #expect(committed == generated.stdout, "\(file) is stale; run scripts/generate-docs")
    }

    @Test("bash completes subcommands, options and their values")
    func bashWords() throws {
        #expect(try bashCompletions(["soup", ""]).sorted() == [
            "--help", "--version", "-h", "copy", "demo", "help", "import", "query", "run", "schema", "status", "tables",
        ])
        #expect(try bashCompletions(["soup", "import", "--input-format", ""]) == ["csv", "tsv", "json", "jsonl"])
        #expect(try bashCompletions(["soup", "import", "--encoding", ""]) == ["utf8", "latin1"])
        #expect(try bashCompletions(["soup", "sch"]) == ["schema"])
        #expect(try bashCompletions(["soup", "query", "--t"]).sorted() == ["--timing", "--tx"])
        #expect(try bashCompletions(["soup", "query", "-f", ""]) == [
            "table", "wrapped", "expanded", "csv", "tsv", "json", "jsonl", "markdown", "sql",
        ])
        #expect(try bashCompletions(["soup", "run", "--tx", ""]) == ["file", "statement", "none"])
        #expect(try bashCompletions(["soup", "schema", "x.db", "--format", ""]) == ["text", "json", "dot", "mermaid"])
    }

    @Test("bash completes table names from the database named on the line")
    func bashTables() throws {
        let (directory, path) = try Docs.library()
        defer { directory.remove() }
        #expect(try bashCompletions(["soup", "schema", path, ""]).sorted() == ["loans", "user_emails", "users"])
        #expect(try bashCompletions(["soup", "schema", path, "users", "l"]) == ["loans"])
        #expect(try bashCompletions(["soup", "query", path, "us"]).sorted() == ["user_emails", "users"])
        #expect(try bashCompletions(["soup", "query", "-f", "csv", "--echo", path, "lo"]) == ["loans"])
        #expect(try bashCompletions(["soup", "query", "'\(path)'", "lo"]) == ["loans"])
    }

    @Test("bash completes table names of a PostgreSQL database, schema-qualified off the search path")
    func bashPostgresTables() throws {
        let url = try PostgresServer.shared().makeDatabase()
        _ = try PostgresServer.shared().run(sql: """
            CREATE TABLE books (id integer PRIMARY KEY);
            CREATE SCHEMA audit;
            CREATE TABLE audit.events (id integer);
            """, url: url)
        #expect(try bashCompletions(["soup", "schema", url, ""]).sorted() == ["audit.events", "books"])
        #expect(try bashCompletions(["soup", "query", url, "bo"]) == ["books"])
    }

    @Test("table completion says nothing and creates nothing when the database is not there")
    func bashMissingDatabase() throws {
        let directory = try TemporaryDirectory(prefix: "soup-docs")
        defer { directory.remove() }
        let missing = directory.file(named: "missing.db")
        #expect(try bashCompletions(["soup", "schema", missing, ""]).isEmpty)
        #expect(try bashCompletions(["soup", "query", "postgresql://nobody@127.0.0.1:1/none", ""]).isEmpty)
        #expect(try bashCompletions(["soup", "query", "no such profile", ""]).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("bash completes DB as SQLite files by their endings, and directories")
    func bashDatabaseFiles() throws {
        let (directory, path) = try Docs.library()
        defer { directory.remove() }
        #expect(FileManager.default.createFile(atPath: directory.file(named: "notes.txt"), contents: Data()))
        try FileManager.default.createDirectory(
            atPath: directory.file(named: "sub"), withIntermediateDirectories: false)
        #expect(try bashCompletions(["soup", "tables", directory.path + "/"]).sorted() == [
            path, directory.file(named: "sub"),
        ])
    }

    @Test("zsh and fish parse their scripts")
    func otherShellsParse() throws {
        let zsh = try Docs.run("zsh", ["-n", "completions/_soup"])
        #expect(zsh.status == 0 && zsh.stderr.isEmpty, "\(zsh.stderr)")
        let fish = try Docs.run("fish", ["--no-execute", "completions/soup.fish"])
        #expect(fish.status == 0 && fish.stderr.isEmpty, "\(fish.stderr)")
    }

    @Test("fish offers the subcommands and the format names")
    func fishWords() throws {
        let script = "source completions/soup.fish; complete -C 'soup '; complete -C 'soup query -f '"
        let result = try Docs.run("fish", ["--no-config", "-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let words = Set(result.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) })
        #expect(words.isSuperset(of: ["query", "run", "schema", "tables", "demo", "csv", "jsonl", "markdown"]))
    }
}

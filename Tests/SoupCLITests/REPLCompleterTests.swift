import Testing

@testable import SoupCLI

/// What TAB offers in each context, and the history file's encoding of multi-line entries.
@Suite("REPL completion and history encoding")
struct REPLCompleterTests {
    private let completer = Completer(
        tableNames: { ["users", "loans", "audit.events"] },
        columns: { name in
            switch name {
            case "users": ["id", "name", "email"]
            case "loans": ["id", "user_id", "due"]
            default: nil
            }
        },
        variables: { ["ann", "usual"] })

    private func words(_ before: String, _ word: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let result = completer.complete(CompletionRequest(before: before, word: word))
        guard case .words(let words, _) = result else {
            Issue.record("\(before)\(word) completes as \(result), not words", sourceLocation: sourceLocation)
            return []
        }
        return words
    }

    @Test("a bare word: variables, builtins, db, tables, and SQL's first words")
    func bareWords() {
        #expect(words("", "us") == ["users", "usual"])
        #expect(words("", "lo") == ["loans", "lock"])
        #expect(words("", "sel") == ["select"])
        #expect(words("", "SEL") == ["SELECT"])
        #expect(words("x = ", "an") == ["and_", "ann"])
    }

    @Test("after entity.: its columns, c, and methods with an opening bracket")
    func members() {
        #expect(words("users.", "na") == ["name"])
        #expect(words("users.", "fil") == ["filter("])
        #expect(words("users.", "filter_") == ["filter_by("])
        #expect(words("users.", "get_") == ["get_by_lower(", "get_range("])
        #expect(words("users.c.", "em") == ["email"])
        #expect(words("users.filter(users.id == 1).", "cou") == ["count("])
        #expect(words("db.", "lo") == ["loans"])
        #expect(words("db.", "com") == ["commit("])
        #expect(words("nosuch.", "x").isEmpty)
    }

    @Test("SQL: keywords in the case typed, and tables")
    func sql() {
        #expect(words("SELECT * ", "FR") == ["FROM"])
        #expect(words("select * from ", "us") == ["users", "using"])
    }

    @Test("meta commands and their arguments")
    func metaCommands() {
        #expect(words("", "\\d") == ["\\d", "\\di", "\\dn", "\\dt", "\\dv"])
        #expect(words(".", "tab") == ["tables"])
        #expect(words("\\d ", "lo") == ["loans"])
        #expect(words("\\format ", "js") == ["json", "jsonl"])
        #expect(words("\\pager ", "o") == ["off", "on"])
        #expect(completer.complete(CompletionRequest(before: "\\i ", word: "scr")) == .fileNames)
        #expect(completer.complete(CompletionRequest(before: ".read ", word: "scr")) == .fileNames)
    }

    @Test("a multi-line history entry is one line in the file and comes back whole")
    func historyEncoding() {
        let entry = "users.filter(\n  users.name == 'a\\\\b')"
        let encoded = HistoryFile.encode(entry)
        #expect(!encoded.contains("\n"))
        #expect(HistoryFile.decode(encoded) == entry)
    }
}

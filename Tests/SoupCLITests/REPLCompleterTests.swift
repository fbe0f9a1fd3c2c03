import SoupCore
import SoupDriver
import SoupSQLite
import Testing

@testable import SoupCLI

/// What TAB offers for meta commands and their arguments (soup and SQL completion is SoupCore's,
/// see InputAssistantTests), the list a second TAB shows, and the history file's encoding of multi-line entries.
@Suite("REPL completion, its list, and history encoding")
struct REPLCompleterTests {
    private let completer: Completer

    init() throws {
        let connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        try connection.executeScript(
            """
            CREATE TABLE users (id integer PRIMARY KEY, name text, email text);
            CREATE TABLE loans (id integer PRIMARY KEY, user_id integer REFERENCES users(id), due text);
            CREATE TABLE Track (TrackId integer PRIMARY KEY, Name text);
            """)
        completer = Completer(assistant: InputAssistant(soup: Soup(connection: connection)))
    }

    private func completion(_ text: String) -> Completion? {
        guard case .completion(let completion) = completer.complete(text, cursor: text.utf8.count) else { return nil }
        return completion
    }

    private func words(_ text: String) -> [String] {
        completion(text)?.candidates.map(\.text) ?? []
    }

    @Test("meta commands and their arguments")
    func metaCommands() {
        #expect(words("\\d") == ["\\d", "\\di", "\\dn", "\\dt", "\\dv"])
        #expect(words(".tab") == ["tables"])
        #expect(words("\\d lo") == ["loans"])
        #expect(words("\\d main.lo") == ["loans"])
        #expect(words("\\format js") == ["json", "jsonl"])
        #expect(words("\\pager o") == ["off", "on"])
        #expect(words("\\color o") == ["off", "on"])
        #expect(words("\\suggest of") == ["off"])
        #expect(completer.complete("\\i scr", cursor: 6) == .fileNames)
        #expect(completer.complete(".read scr", cursor: 9) == .fileNames)
    }

    @Test("Tr never becomes T: the typed word stays under several candidates of mixed case")
    func neverShorter() throws {
        let tr = try #require(completion("Tr"))
        #expect(tr.candidates.map(\.text).starts(with: ["Track", "True"]))
        #expect(tr.candidates.map(\.text).contains("TRUNCATE"))
        #expect(tr.replacement == "Tr")
        #expect(completion("tra")?.replacement == "Track")
        #expect(completion("trk")?.replacement == "Track")
        #expect(completion("users.fil")?.replacement == "filter(")
        #expect(completion("SELECT * FROM us")?.replacement == "users")
        #expect(completion("SELECT * FROM us")?.appendsSpace == true)
    }

    @Test("the second TAB's list marks each candidate and fits the screen")
    func listing() {
        let candidates = [
            CompletionCandidate("name", kind: .column), CompletionCandidate("loans", kind: .relation, detail: "→ [loans]"),
            CompletionCandidate("filter(", kind: .method),
        ]
        #expect(
            CompletionListing.render(candidates, width: 60, height: 24, colors: false)
                == "name column" + String(repeating: " ", count: 15) + "filter( method\r\nloans relation → [loans]\r\n")
        #expect(CompletionListing.render(candidates, width: 20, height: 24, colors: true).contains("\u{1B}[90mmethod\u{1B}[0m"))
        let many = (0..<100).map { CompletionCandidate("t\($0)", kind: .table) }
        let short = CompletionListing.render(many, width: 20, height: 6, colors: false)
        #expect(short.components(separatedBy: "\r\n").count == 6)
        #expect(short.contains("… and 92 more"))
    }

    @Test("a multi-line history entry is one line in the file and comes back whole")
    func historyEncoding() {
        let entry = "users.filter(\n  users.name == 'a\\\\b')"
        let encoded = HistoryFile.encode(entry)
        #expect(!encoded.contains("\n"))
        #expect(HistoryFile.decode(encoded) == entry)
    }
}

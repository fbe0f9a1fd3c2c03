import Foundation
import SoupTestSupport
import Testing

/// The REPL on PostgreSQL through a pseudo-terminal: server-side cancel and the elapsed indicator.
@Suite("the REPL on PostgreSQL")
struct REPLPostgresTests {
    private func database() throws -> (PostgresServer, String) {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        _ = try server.run(sql: "CREATE TABLE items (id serial PRIMARY KEY, label text);", url: url)
        return (server, url)
    }

    @Test("Ctrl-C while the server runs SELECT pg_sleep(600) cancels it there; the transaction survives")
    func cancel() throws {
        let (server, url) = try database()
        let terminal = try PseudoTerminal.soup([url])
        try terminal.expect("> ", within: 15)
        terminal.send("items.insert(label='kept')\r")
        try terminal.expect("*> ")
        terminal.send("SELECT pg_sleep(600);\r")
        // Ctrl-C once the server shows the statement running; the prompt must come back long
        // before the sleep ends (how fast is bench/run's `cancel.*` concern). Inside the open
        // transaction the read runs as a cursor under the row limit: the server runs its FETCH.
        let watch = try StatementWatch(url: url)
        defer { watch.close() }
        try watch.waitUntilRunning("FETCH FORWARD 1001 FROM soup_limited_")
        terminal.send("\u{03}")
        let shown = try terminal.expect("*> ", within: 30)
        #expect(shown.contains("canceling statement due to user request"))
        #expect(shown.contains("transaction are intact"))
        terminal.send("db.commit()\r")
        // The clean prompt shows once the COMMIT has returned.
        let committed = try terminal.expect("> ")
        #expect(!committed.contains("*> "), "\(committed)")
        #expect(try server.run(sql: "SELECT count(*) FROM items WHERE label = 'kept'", url: url).contains("1"))
    }

    /// The indicator shows from the first second on, so a three-second query leaves two seconds
    /// to see it even on a busy machine.
    @Test("a three-second query shows the elapsed indicator on a terminal, and nothing of it in a redirected stdout or a non-terminal stderr")
    func elapsedIndicator() throws {
        let (_, url) = try database()
        let terminal = try PseudoTerminal.soup([url])
        try terminal.expect("> ", within: 15)
        terminal.send("SELECT pg_sleep(3) AS slept;\r")
        try terminal.expect("running… ")
        let figure = try terminal.expect(" s\r")
        #expect(figure.wholeMatch(of: /[1-9][0-9]*\.[0-9] s\r/) != nil, "\(figure.debugDescription)")
        let rest = try terminal.expect("(1 row)", within: 30)
        #expect(rest.contains("\r\u{1B}[K"))

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let errors = directory.file(named: "stderr")
        let quiet = try PseudoTerminal.soup([url], stderrPath: errors)
        try quiet.expect("> ", within: 15)
        quiet.send("SELECT pg_sleep(3) AS slept;\r")
        try quiet.expect("(1 row)", within: 30)
        quiet.send("\\q\r")
        _ = try quiet.waitForExit()
        #expect(!quiet.transcript.contains("running"))
        #expect(!(try String(contentsOfFile: errors, encoding: .utf8)).contains("running"))

        // Standard output to a file, standard error on the terminal: the indicator stays on the
        // terminal and the file gets the result alone.
        let results = directory.file(named: "stdout")
        let redirected = try PseudoTerminal.soup([url], stdoutPath: results)
        try redirected.expect("Type help()", within: 15)
        redirected.send("SELECT pg_sleep(3) AS slept;\r")
        try redirected.expect("running… ")
        redirected.send("\\q\r")
        #expect(try redirected.waitForExit(within: 10) == 0)
        let stdout = try String(contentsOfFile: results, encoding: .utf8)
        #expect(stdout.contains("(1 row)"))
        #expect(!stdout.contains("running"))
    }

    @Test("\\status shows the database with its password masked, the server version and the transaction")
    func status() throws {
        let (server, url) = try database()
        let name = String(url.split(separator: "/").last!)
        let withPassword = server.url(database: name, password: "s3cret")
        let terminal = try PseudoTerminal.soup([withPassword])
        try terminal.expect("soup:\(name)> ", within: 15)
        terminal.send("items.insert(label='x')\r")
        try terminal.expect("soup:\(name)*> ")
        terminal.send("\\status\r")
        let shown = try terminal.expect("soup:\(name)*> ")
        #expect(shown.contains("writer   primary  START  in transaction"), "\(shown)")
        #expect(shown.contains("postgresql://postgres:***@"), "\(shown)")
        #expect(!terminal.transcript.contains("s3cret"))
    }
}

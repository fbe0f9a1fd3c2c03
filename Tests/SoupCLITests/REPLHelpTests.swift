import Foundation
import SoupDriver
import SoupTestSupport
import Testing

/// help() at the REPL speaks of the database in front of you, not of the demo's `users`.
@Suite("the REPL's help() on the connected database")
struct REPLHelpTests {
    @Test("help() builds its examples from the first tables, a text column, a key and a relation", arguments: [
        (Dialect.Engine.sqlite, 100), (.sqlite, 60), (.postgres, 100), (.postgres, 60),
    ])
    func examples(engine: Dialect.Engine, columns: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try RealSchema.makeDatabase(engine, in: directory)
        let terminal = try PseudoTerminal.soup([db], columns: columns)
        try terminal.expect("> ", within: 15)
        terminal.send("help()\r")
        let shown = try terminal.expect("SQL works too")
        #expect(shown.contains("soup: tables are entities (employees, film, "), "\(shown)")
        #expect(shown.contains("employees.filter(employees.last_name.like('A%')).order_by(employees.last_name).limit(5).all()"))
        #expect(shown.contains("employees.get(1)"))
        #expect(shown.contains("film.first().language_by_language_id"))
        #expect(shown.contains("SELECT * FROM employees LIMIT 5;"))
        #expect(!shown.contains("users"))
        // The examples run as shown.
        terminal.send("film.first().language_by_language_id.name\r")
        try terminal.expect("English")
        terminal.send("employees.get(1).last_name\r")
        try terminal.expect("Adams")
        terminal.send("\\q\r")
        #expect(try terminal.waitForExit() == 0)
    }

    @Test("on an empty database help() says how to start")
    func emptyDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "empty.db")
        let terminal = try PseudoTerminal.soup([path, "--create"])
        try terminal.expect("> ", within: 15)
        terminal.send("help()\r")
        let shown = try terminal.expect("commit()")
        #expect(shown.contains("this database has none yet"))
        #expect(shown.contains("CREATE TABLE notes"))
    }
}

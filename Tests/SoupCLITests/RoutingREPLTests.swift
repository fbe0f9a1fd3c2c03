import Foundation
import SoupTestSupport
import Testing

extension RoutingReplicaTests {
    @Test("the REPL on a profile: \\status lists both bindings, \\use forces one, \\use auto routes again, \\reconnect drops the open transaction")
    func repl() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let terminal = try PseudoTerminal.soup(
            ["plain", "-f", "csv", "--config", fixture.config], environment: ["XDG_STATE_HOME": fixture.stateHome])
        try terminal.expect("soup:plain> ", within: 15)

        terminal.send("\\status\r")
        var shown = try terminal.expect("soup:plain> ")
        #expect(shown.contains("writer") && shown.contains("reader"), "\(shown)")
        #expect(shown.contains("postgresql://postgres:***@127.0.0.1"), "\(shown)")

        terminal.send("\\use reader\r")
        try terminal.expect("statements go to reader until \\use auto")
        try terminal.expect("soup:plain> ")
        terminal.send("SELECT pg_is_in_recovery() AS standby;\r")
        shown = try terminal.expect("soup:plain> ")
        #expect(shown.contains("standby\r\nt\r\n"), "\(shown)")

        terminal.send("\\use auto\r")
        try terminal.expect("statements are routed automatically")
        try terminal.expect("soup:plain> ")
        terminal.send("INSERT INTO items(name) VALUES ('from the repl');\r")
        try terminal.expect("soup:plain*> ")
        // Inside the writer's transaction, a read stays on the writer.
        terminal.send("SELECT pg_is_in_recovery() AS standby;\r")
        shown = try terminal.expect("soup:plain*> ")
        #expect(shown.contains("standby\r\nf\r\n"), "\(shown)")

        terminal.send("\\reconnect\r")
        try terminal.expect("lost: the open transaction")
        try terminal.expect("soup:plain> ")
        #expect(try fixture.psql("SELECT count(*) FROM items WHERE name = 'from the repl'") == "0")
        #expect(!terminal.transcript.contains("hunter2"))
    }
}

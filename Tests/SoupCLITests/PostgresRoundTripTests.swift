import Foundation
import SoupTestSupport
import Testing

/// What `soup query` sends to PostgreSQL, flight by flight (the bytes sent before the server
/// answers: each is a round trip), recorded by a relay in front of the test server.
@Suite("Round trips of soup query on PostgreSQL")
struct PostgresRoundTripTests {
    /// The flights after the start-up exchange that carry statements or their runs (not the
    /// closing Terminate message).
    static func statementFlights(_ flights: [[UInt8]]) -> [[UInt8]] {
        let terminate: [UInt8] = [UInt8(ascii: "X"), 0, 0, 0, 4]
        // Start-up messages begin with their length (a zero byte), typed messages with a letter.
        return flights.filter { ($0.first ?? 0) >= UInt8(ascii: "A") && $0 != terminate }
    }

    @Test("a first entity access opens its read-only transaction in the round trip of its catalog lookup")
    func firstEntityAccess() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        let database = String(url.split(separator: "/").last!)
        try server.run(
            sql: "CREATE TABLE loans (id integer PRIMARY KEY, book text NOT NULL, due date DEFAULT current_date); "
                + "INSERT INTO loans VALUES (1, 'Dune', '2024-05-01'), (2, 'Emma', NULL)",
            database: database)
        let recorder = try WireRecorder(to: server)
        defer { recorder.stop() }

        let result = try SoupBinary.run(["query", recorder.url(database: database), "loans.first().book"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Dune"))

        let flights = Self.statementFlights(recorder.flights)
        let statements = flights.map(WireRecorder.statements(in:))
        // BEGIN READ ONLY with the name's lookup; `SELECT *` described; the SELECT described;
        // run; COMMIT. No query of the primary key: nothing needed the row's identity.
        #expect(flights.count == 5, "\(statements)")
        let first = statements.first ?? []
        #expect(first.first == "BEGIN READ ONLY", "\(statements)")
        #expect(first.count == 2 && first[1].contains("to_regclass"), "\(statements)")
        #expect(!statements.contains(["BEGIN READ ONLY"]), "\(statements)")
        #expect(statements.dropFirst().first == ["SELECT * FROM public.loans"], "\(statements)")
        #expect(statements.dropFirst(2).first?.first?.contains("LIMIT") == true, "\(statements)")
        #expect(!statements.joined().contains { $0.contains("pg_index") || $0.contains("pg_constraint") }, "\(statements)")
        #expect(statements.last == ["COMMIT"], "\(statements)")
    }

    @Test("a script that writes still begins before its first statement and commits after its last")
    func writingScript() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        let database = String(url.split(separator: "/").last!)
        try server.run(sql: "CREATE TABLE notes (id integer PRIMARY KEY, body text)", database: database)
        let recorder = try WireRecorder(to: server)
        defer { recorder.stop() }

        let result = try SoupBinary.run([
            "query", recorder.url(database: database), "INSERT INTO notes VALUES (1, 'a')", "INSERT INTO notes VALUES (2, 'b')",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let statements = Self.statementFlights(recorder.flights).map(WireRecorder.statements(in:)).joined()
        #expect(statements.first == "BEGIN", "\(Array(statements))")
        #expect(statements.last == "COMMIT", "\(Array(statements))")
        #expect(try server.run(sql: "SELECT count(*) FROM notes", database: database) == "2")
    }
}

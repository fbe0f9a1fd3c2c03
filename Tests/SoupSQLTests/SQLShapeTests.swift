import SoupSQL
import Testing

@Suite("SQL shapes")
struct SQLShapeTests {
    @Test("a read that can be a cursor's query: cut before its ; and a comment after it", arguments: [
        ("SELECT * FROM tracks;", "SELECT * FROM tracks"),
        ("  select n from generate_series(1, 10) n ; -- all of them", "  select n from generate_series(1, 10) n"),
        ("VALUES (1), (2)", "VALUES (1), (2)"),
        ("TABLE tracks", "TABLE tracks"),
        ("/* first */ WITH a AS (SELECT 1) SELECT * FROM a WHERE name = 'x;y'", "/* first */ WITH a AS (SELECT 1) SELECT * FROM a WHERE name = 'x;y'"),
        ("(SELECT 1) UNION (SELECT 2);", "(SELECT 1) UNION (SELECT 2)"),
        ("SELECT $q$a;b$q$ AS s", "SELECT $q$a;b$q$ AS s"),
        ("SELECT id FROM tracks WHERE id = $1", "SELECT id FROM tracks WHERE id = $1"),
    ])
    func cursorQuery(sql: String, query: String) {
        #expect(SQLShape.cursorQuery(in: sql) == query)
    }

    @Test("writes, other statements, scripts and hinted reads are not cursors' queries", arguments: [
        "SELECT * FROM tracks FOR UPDATE",
        "WITH gone AS (DELETE FROM tracks RETURNING id) SELECT * FROM gone",
        "SELECT * INTO copy FROM tracks",
        "SELECT nextval('s')",
        "SELECT 1; SELECT 2",
        "SHOW work_mem",
        "EXPLAIN SELECT 1",
        "DECLARE c CURSOR FOR SELECT 1",
        "UPDATE tracks SET ms = 1 WHERE id = 1",
        "/* soup:bind=reader */ SELECT 1",
        "",
    ])
    func notCursorQuery(sql: String) {
        #expect(SQLShape.cursorQuery(in: sql) == nil)
    }
}

@Suite("Filtered names")
struct FilteredNamesTests {
    @Test("names after WHERE, ON and HAVING; qualified ones stay qualified, quoted ones lowercased")
    func filteredNames() {
        let names = SQLShape.filteredNames(
            in: "SELECT t.name FROM tracks t JOIN albums a ON a.id = t.album_id WHERE a.\"Title\" LIKE 'x%' AND ms > 5 ORDER BY name")
        #expect(names.isSuperset(of: ["a.id", "t.album_id", "a.title", "ms"]), "\(names)")
        #expect(names.isDisjoint(with: ["id", "album_id", "title", "name", "t.name"]), "\(names)")
        let nested = SQLShape.filteredNames(in: "SELECT * FROM albums WHERE id IN (SELECT album_id FROM tracks WHERE ms > 1)")
        #expect(nested.isSuperset(of: ["id", "ms"]) && !nested.contains("album_id"), "\(nested)")
    }
}

import SoupDriver
import SoupReflection
import SoupSQLite
import Testing

@Suite("SQLite-only reflection")
struct SQLiteSpecificTests {
    private func catalog(_ ddl: String) throws -> (SQLiteConnection, SchemaCatalog) {
        let connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        try connection.executeScript(ddl)
        return (connection, SchemaCatalog(connection: connection))
    }

    @Test("WITHOUT ROWID tables have no rowid; their key columns are NOT NULL")
    func withoutRowID() throws {
        let (_, catalog) = try catalog("CREATE TABLE kv (k text PRIMARY KEY, v text) WITHOUT ROWID;")
        let kv = try catalog.table(TableName("kv"))
        #expect(!kv.hasRowID)
        #expect(kv.rowIdentity == .primaryKey(["k"]))
        #expect(kv.column(named: "k")?.isNullable == false)
        #expect(kv.column(named: "k")?.identity == nil)
    }

    @Test("a view over a dropped table is kept with its error; the others reflect in full")
    func viewOverDroppedTable() throws {
        let (_, catalog) = try catalog("""
            CREATE TABLE kept (id integer PRIMARY KEY, gone_id integer);
            CREATE TABLE gone (id integer PRIMARY KEY);
            CREATE VIEW ghost AS SELECT id FROM gone;
            CREATE VIEW alive AS SELECT id FROM kept;
            DROP TABLE gone;
            """)
        let tables = try catalog.allTables()
        #expect(tables.map(\.name.name) == ["alive", "ghost", "kept"])
        let ghost = try #require(tables.first { $0.name.name == "ghost" })
        #expect(ghost.kind == .view && ghost.columns.isEmpty && ghost.reflectionError == "no such table: main.gone")
        #expect(tables.filter { $0.reflectionError == nil }.map(\.columnNames) == [["id"], ["id", "gone_id"]])
        #expect(throws: SchemaError.unreadable(ghost.name, kind: .view, reason: "no such table: main.gone")) {
            try catalog.tableForQuerying(TableName("ghost"))
        }
    }

    @Test("only INTEGER PRIMARY KEY is the rowid alias")
    func rowidAlias() throws {
        let (_, catalog) = try catalog("""
            CREATE TABLE a (id INTEGER PRIMARY KEY, x);
            CREATE TABLE b (id INT PRIMARY KEY, x);
            CREATE TABLE c (id INTEGER PRIMARY KEY DESC, x);
            CREATE TABLE d (x, y, PRIMARY KEY (x, y));
            """)
        #expect(try catalog.table(TableName("a")).columns[0].identity == .rowid)
        #expect(try catalog.table(TableName("b")).columns[0].identity == nil)
        #expect(try catalog.table(TableName("c")).columns[0].identity == nil)
        let d = try catalog.table(TableName("d"))
        #expect(d.hasRowID && d.rowIdentity == .primaryKey(["x", "y"]))
        #expect(d.columns[0].type == .any)
    }

    @Test("virtual and stored generated columns, with their expressions")
    func generatedColumns() throws {
        let (_, catalog) = try catalog("""
            CREATE TABLE g (a integer, "b c" integer GENERATED ALWAYS AS (a * 2) VIRTUAL,
                d text AS (upper(CAST(a AS text))) STORED, e integer DEFAULT (1 + 2));
            """)
        let g = try catalog.table(TableName("g"))
        #expect(g.columnNames == ["a", "b c", "d", "e"])
        #expect(g.columns[1].generation == Column.Generation(storage: .virtual, expression: "a * 2"))
        #expect(g.columns[2].generation == Column.Generation(storage: .stored, expression: "upper(CAST(a AS text))"))
        #expect(g.columns[3].generation == nil && g.columns[3].defaultExpression == "1 + 2")
        #expect(g.columns.map(\.position) == [1, 2, 3, 4])
    }

    @Test("a changed schema_version drops the cache; a refresh is not needed")
    func schemaVersion() throws {
        let (connection, catalog) = try catalog("CREATE TABLE t (a integer);")
        #expect(try catalog.table(TableName("t")).columnNames == ["a"])
        try connection.execute("ALTER TABLE t ADD COLUMN b text")
        #expect(try catalog.table(TableName("t")).columnNames == ["a", "b"])
        try connection.execute("CREATE TABLE u (x integer)")
        #expect(try catalog.listTables().map(\.name.name) == ["t", "u"])
        try connection.executeScript("ATTACH ':memory:' AS extra; CREATE TABLE extra.w (q integer);")
        #expect(try catalog.table(TableName("w")).name == TableName("w", schema: "extra"))
        try connection.execute("ALTER TABLE extra.w ADD COLUMN r integer")
        #expect(try catalog.table(TableName("w")).columnNames == ["q", "r"])
    }

    @Test("temp tables shadow main ones, as in SQLite")
    func tempFirst() throws {
        let (_, catalog) = try catalog("CREATE TABLE t (a integer); CREATE TEMP TABLE t (b integer);")
        #expect(try catalog.table(TableName("t")).name == TableName("t", schema: "temp"))
        #expect(try catalog.table(TableName("t", schema: "main")).columnNames == ["a"])
    }

    @Test("foreign keys that name no columns reference the parent's primary key")
    func implicitReferences() throws {
        let (_, catalog) = try catalog("""
            CREATE TABLE parent (a text, b text, PRIMARY KEY (a, b));
            CREATE TABLE kid (x text, y text, FOREIGN KEY (x, y) REFERENCES PARENT);
            """)
        let kid = try catalog.table(TableName("kid"))
        #expect(kid.foreignKeys.first?.referencedTable == TableName("parent", schema: "main"))
        #expect(kid.foreignKeys.first?.referencedColumns == ["a", "b"])
        let parent = try catalog.table(TableName("parent"))
        #expect(parent.referencedBy.first?.foreignKey.referencedColumns == ["a", "b"])
    }

    @Test("row estimates come from sqlite_stat1 once the database is analysed")
    func estimates() throws {
        let (connection, catalog) = try catalog("""
            CREATE TABLE t (a integer); CREATE INDEX t_a ON t (a);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO t SELECT i FROM n;
            """)
        #expect(try catalog.table(TableName("t")).estimatedRowCount == nil)
        try connection.execute("ANALYZE")
        #expect(try catalog.table(TableName("t")).estimatedRowCount == 50)
    }

    @Test("foreign keys are listed in declaration order")
    func declarationOrder() throws {
        let (_, catalog) = try catalog("""
            CREATE TABLE p (id integer PRIMARY KEY);
            CREATE TABLE q (id integer PRIMARY KEY);
            CREATE TABLE r (p_id integer REFERENCES p, q_id integer REFERENCES q, p2 integer REFERENCES p (id));
            """)
        #expect(try catalog.table(TableName("r")).foreignKeys.map(\.columns) == [["p_id"], ["q_id"], ["p2"]])
    }
}

import SoupDriver
import SoupReflection
import Testing

/// ``SchemaCatalog/tableForQuerying(_:)``: a first use reads a table's name, kind, columns,
/// primary key and rowid in fewer queries than the whole table, and ``SchemaCatalog/table(_:)``
/// reads the rest when something needs it.
@Suite("Tables read for querying")
struct QueryingReflectionTests {
    /// The features of ``FeatureTests`` plus what the columns of each engine carry: defaults,
    /// identity, serials, a rowid alias, a descending integer key, comments.
    static func database(_ engine: Engine) throws -> any Connection {
        let (connection, _) = try FeatureTests.database(engine)
        switch engine {
        case .sqlite:
            try connection.executeScript("""
                CREATE TABLE counters (id INTEGER PRIMARY KEY, n integer DEFAULT 0 NOT NULL);
                CREATE TABLE backwards (id INTEGER PRIMARY KEY DESC, v text);
                """)
        case .postgres:
            try connection.executeScript("""
                CREATE TABLE counters (id serial PRIMARY KEY, n integer DEFAULT 0 NOT NULL,
                    tag integer GENERATED ALWAYS AS IDENTITY);
                COMMENT ON TABLE counters IS 'counts';
                COMMENT ON COLUMN counters.n IS 'the count';
                """)
        }
        return connection
    }

    /// What querying needs of a table, as the whole table has it: the columns without their
    /// comments and SQLite's generation expressions.
    static func queryable(_ table: Table) -> [String] {
        let columns = table.columns.map { column in
            var column = column
            column.comment = nil
            column.generation?.expression = nil
            return "\(column)"
        }
        return ["\(table.name) \(table.kind) pk \(table.primaryKey?.columns ?? []) rowid \(table.hasRowID)"] + columns
    }

    @Test("the columns, key and rowid of the whole table, and nothing else", arguments: Engine.allCases)
    func sameColumnsAndKeys(engine: Engine) throws {
        let connection = try Self.database(engine)
        defer { connection.close() }
        let names = try SchemaCatalog(connection: connection).listTables().map(\.name)
        #expect(names.count >= 7)
        for name in names {
            let quick = try SchemaCatalog(connection: connection).tableForQuerying(name)
            let whole = try SchemaCatalog(connection: connection).table(name)
            #expect(!quick.isComplete)
            #expect(whole.isComplete)
            #expect(Self.queryable(quick) == Self.queryable(whole), "\(name)")
            #expect(quick.foreignKeys.isEmpty && quick.referencedBy.isEmpty && quick.uniqueConstraints.isEmpty)
            #expect(quick.indexes.isEmpty && quick.comment == nil && quick.viewDefinition == nil)
            #expect(quick.estimatedRowCount == nil)
        }
    }

    @Test("fewer queries first; the whole table when asked, then from the cache", arguments: Engine.allCases)
    func queriesAndCache(engine: Engine) throws {
        let counting = CountingConnection(try QueryCountTests.generatedDatabase(engine))
        let catalog = SchemaCatalog(connection: counting)
        counting.reset()
        let quick = try catalog.tableForQuerying(TableName("t0500"))
        #expect(quick.columnNames == ["id", "parent_id", "name", "created"])
        #expect(quick.primaryKey?.columns == ["id"])
        // SQLite: schema_version (2), the listing of that name, columns, indexes.
        // PostgreSQL: the listing (which stands for the relations query), columns, defaults
        // and primary keys, in one round trip.
        #expect(counting.count == (engine == .sqlite ? 5 : 4))
        if engine == .postgres { #expect(counting.sends == 1) }
        #expect(!counting.statements.contains { $0.sql.contains("foreign_key_list") || $0.sql.contains("confrelid") })

        counting.reset()
        #expect(try catalog.tableForQuerying(TableName("t0500")) == quick)
        #expect(counting.count == (engine == .sqlite ? 2 : 0))  // schema_version only

        counting.reset()
        let whole = try catalog.table(TableName("t0500"))
        #expect(whole.isComplete)
        #expect(whole.referencedBy.map(\.table.name) == ["t0501"])
        #expect(counting.count > (engine == .sqlite ? 2 : 0))

        counting.reset()
        #expect(try catalog.tableForQuerying(TableName("t0500")) == whole)
        #expect(try catalog.table(TableName("t0500")) == whole)
        #expect(counting.count == (engine == .sqlite ? 4 : 0))
    }

    @Test("PostgreSQL: a first use read by name resolves as the server does: search_path, schema, case")
    func firstUseByName() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try connection.executeScript("""
            CREATE SCHEMA a; CREATE SCHEMA b;
            CREATE TABLE a.dup (id integer PRIMARY KEY, in_a text);
            CREATE TABLE b.dup (key text PRIMARY KEY, in_b text, more integer);
            CREATE TABLE public."Mixed" (n integer);
            CREATE TABLE public.lower (n integer PRIMARY KEY);
            CREATE VIEW public.seen AS SELECT 1 AS one;
            SET search_path = b, a, public;
            """)
        func first(_ name: TableName) throws -> Table {
            let counting = CountingConnection(connection)
            let table = try SchemaCatalog(connection: counting).tableForQuerying(name)
            #expect(counting.sends == 1, "\(name)")
            #expect(Self.queryable(table) == Self.queryable(try SchemaCatalog(connection: connection).table(name)))
            return table
        }
        #expect(try first(TableName("dup")).columnNames == ["key", "in_b", "more"])
        #expect(try first(TableName("dup")).primaryKey?.columns == ["key"])
        #expect(try first(TableName("dup", schema: "a")).columnNames == ["id", "in_a"])
        #expect(try first(TableName("Mixed")).name == TableName("Mixed", schema: "public"))
        #expect(try first(TableName("LOWER")).name == TableName("lower", schema: "public"))
        #expect(try first(TableName("seen")).kind == .view)
        let error = try #require(throws: SchemaError.self) {
            try SchemaCatalog(connection: connection).tableForQuerying(TableName("dupp"))
        }
        #expect(error == .unknownTable(TableName("dupp"), suggestions: ["dup"]))
    }
}

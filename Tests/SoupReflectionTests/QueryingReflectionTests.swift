import SoupDriver
import SoupReflection
import Testing

/// ``SchemaCatalog/tableForQuerying(_:)``: a first use reads a table's name, kind, columns,
/// primary key and rowid in fewer queries than the whole table (on PostgreSQL the primary key
/// when it is asked for, ``SchemaCatalog/primaryKey(of:)``), and ``SchemaCatalog/table(_:)``
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
                CREATE TABLE measures (at date NOT NULL, place text, value numeric(8,2),
                    PRIMARY KEY (place, at)) PARTITION BY RANGE (at);
                CREATE TABLE measures_2024 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE MATERIALIZED VIEW measure_places AS SELECT DISTINCT place FROM measures;
                CREATE FOREIGN DATA WRAPPER nowhere;
                CREATE SERVER far FOREIGN DATA WRAPPER nowhere;
                CREATE FOREIGN TABLE remote (id integer, label varchar(10)) SERVER far;
                CREATE SCHEMA elsewhere;
                CREATE TYPE mood AS ENUM ('sad', 'fine');
                CREATE TYPE elsewhere.pair AS (a integer, b text);
                CREATE DOMAIN email AS varchar(200) CHECK (VALUE LIKE '%@%');
                CREATE TABLE typed (
                    id bigint PRIMARY KEY, small smallint, flag boolean, letter "char", code char(3), padded bpchar,
                    short varchar(32), long varchar, money numeric(10,2), plain numeric, rounded numeric(5,-2),
                    bits bit(4), flags bit varying(8), r real, d double precision, clock time(3), zoned timetz,
                    stamp timestamp(0), stamped timestamptz, span interval, seconds interval day to second(2),
                    years interval year, doc jsonb, id2 uuid, counts integer[], tags varchar(5)[], grid int[][],
                    feeling mood, feelings mood[], pair elsewhere.pair, contact email, label name, x xml,
                    spot point, address inet, price money, words tsvector, letters "char"[]);
                """)
        }
        return connection
    }

    /// What a table read for querying has, as the whole table has it: each column's name,
    /// position and types; on SQLite also nullability, default, identity and generation (but
    /// not the expressions of generated columns), which PostgreSQL reads with the whole table.
    /// PostgreSQL describes a domain's column by its base type: `domains` names the base
    /// type's spelling for each domain.
    static func queryable(_ table: Table, _ engine: Engine, domains: [String: String] = [:]) -> [String] {
        let columns = table.columns.map { column in
            var column = column
            column.comment = nil
            column.generation?.expression = nil
            if engine == .postgres {
                column.isNullable = true
                column.defaultExpression = nil
                column.identity = nil
                column.generation = nil
                column.declaredType = domains[column.declaredType] ?? column.declaredType
            }
            return "\(column)"
        }
        return ["\(table.name) \(table.kind) pk \(table.primaryKey?.columns ?? []) rowid \(table.hasRowID)"] + columns
    }

    @Test("the columns, key and rowid of the whole table, and nothing else", arguments: Engine.allCases)
    func sameColumnsAndKeys(engine: Engine) throws {
        let connection = try Self.database(engine)
        defer { connection.close() }
        let listed = try SchemaCatalog(connection: connection).listTables()
        #expect(listed.count >= (engine == .sqlite ? 7 : 13))
        // Each as a first use spells it: bare when the search path reaches it.
        for name in listed.map({ $0.searchRank == nil ? $0.name : TableName($0.name.name) }) {
            let catalog = SchemaCatalog(connection: connection)
            var quick = try catalog.tableForQuerying(name)
            // PostgreSQL leaves the key of a table first used by a bare name for later.
            let keyLeft = engine == .postgres && quick.kind.storesRows && name.schema == nil
            #expect(quick.primaryKeyIsUnread == keyLeft, "\(name)")
            quick.primaryKey = try catalog.primaryKey(of: name)
            quick.primaryKeyIsUnread = false
            let whole = try SchemaCatalog(connection: connection).table(name)
            #expect(!quick.isComplete)
            #expect(whole.isComplete)
            let domains = ["email": "character varying(200)"]
            #expect(Self.queryable(quick, engine, domains: domains) == Self.queryable(whole, engine, domains: domains), "\(name)")
            #expect(quick.foreignKeys.isEmpty && quick.referencedBy.isEmpty && quick.uniqueConstraints.isEmpty)
            #expect(quick.indexes.isEmpty && quick.comment == nil && quick.viewDefinition == nil)
            #expect(quick.estimatedRowCount == nil)
        }
    }

    @Test("PostgreSQL: a first use spells each column's type as format_type does")
    func typesAsTheServerSpellsThem() throws {
        let connection = try Self.database(.postgres)
        defer { connection.close() }
        let quick = try SchemaCatalog(connection: connection).tableForQuerying(TableName("typed"))
        let whole = try SchemaCatalog(connection: connection).table(TableName("typed"))
        #expect(quick.columns.count == 38)
        for (described, read) in zip(quick.columns, whole.columns) {
            #expect(described.name == read.name)
            #expect(described.type == read.type, "\(read.name)")
            if read.name == "contact" {
                #expect(read.declaredType == "email")
                #expect(described.declaredType == "character varying(200)")
            } else {
                #expect(described.declaredType == read.declaredType, "\(read.name)")
            }
        }
        let spelled = Dictionary(uniqueKeysWithValues: quick.columns.map { ($0.name, $0.declaredType) })
        #expect(spelled["rounded"] == "numeric(5,-2)")
        #expect(spelled["seconds"] == "interval day to second(2)")
        #expect(spelled["pair"] == "elsewhere.pair")
        #expect(spelled["feelings"] == "mood[]")
        #expect(spelled["letters"] == "\"char\"[]")
    }

    @Test("PostgreSQL: a first use finds no system catalog, index or sequence, and a temp table first")
    func firstUseFindsWhatTheListingLists() throws {
        let connection = try Self.database(.postgres)
        defer { connection.close() }
        try connection.executeScript("""
            CREATE SEQUENCE tally;
            CREATE TABLE lower2 (n integer PRIMARY KEY);
            CREATE INDEX "LOWER2" ON counters (n);
            CREATE TEMP TABLE counters (id integer PRIMARY KEY, temporary boolean);
            """)
        let unlisted = [TableName("pg_class"), TableName("tally"), TableName("counters_pkey"), TableName("tables", schema: "information_schema")]
        for name in unlisted {
            #expect(throws: SchemaError.self, "\(name)") { try SchemaCatalog(connection: connection).tableForQuerying(name) }
        }
        // An exact spelling that names an index gives way to the lowercased table, as the listing has it.
        #expect(try SchemaCatalog(connection: connection).tableForQuerying(TableName("LOWER2")).name.name == "lower2")
        let catalog = SchemaCatalog(connection: connection)
        let shadowing = try catalog.tableForQuerying(TableName("counters"))
        #expect(shadowing.name.schema?.hasPrefix("pg_temp_") == true)
        #expect(shadowing.columnNames == ["id", "temporary"])
        #expect(try catalog.primaryKey(of: TableName("counters"))?.columns == ["id"])
        let permanent = try SchemaCatalog(connection: connection).tableForQuerying(TableName("counters", schema: "public"))
        #expect(permanent.columnNames == ["id", "n", "tag"])
        #expect(try SchemaCatalog(connection: connection).tableForQuerying(TableName("measures")).kind == .partitionedTable)
        #expect(try SchemaCatalog(connection: connection).tableForQuerying(TableName("remote")).kind == .foreignTable)
    }

    @Test("PostgreSQL: a first use through schemas whose names are quoted, and of a schema the user may not use")
    func quotedAndForbiddenSchemas() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        let role = "soup_nobody_" + String(UInt32.random(in: 0...UInt32.max))
        try connection.executeScript("""
            CREATE SCHEMA "Sales"; CREATE TABLE "Sales".orders (id integer PRIMARY KEY, total numeric);
            CREATE SCHEMA "select"; CREATE TABLE "select"."Order Lines" (id integer PRIMARY KEY, note text);
            CREATE SCHEMA secret; CREATE TABLE secret.t (id integer PRIMARY KEY);
            CREATE ROLE \(role);
            GRANT USAGE ON SCHEMA "Sales", "select" TO \(role);
            SET search_path = "Sales", "select", public;
            """)
        defer { try? connection.executeScript("RESET ROLE; DROP OWNED BY \(role); DROP ROLE \(role)") }
        let catalog = SchemaCatalog(connection: connection)
        let orders = try catalog.tableForQuerying(TableName("orders"))
        #expect(orders.name == TableName("orders", schema: "Sales"))
        #expect(orders.columnNames == ["id", "total"])
        #expect(try catalog.primaryKey(of: TableName("orders"))?.columns == ["id"])
        let lines = try catalog.tableForQuerying(TableName("Order Lines"))
        #expect(lines.name == TableName("Order Lines", schema: "select"))
        #expect(lines.columnNames == ["id", "note"])

        // In a transaction, as the role without USAGE on `secret`: the table is still found
        // (a catalog query only reads), and the transaction is not failed by the lookup.
        try connection.executeScript("BEGIN; SET LOCAL ROLE \(role)")
        let hidden = try SchemaCatalog(connection: connection).tableForQuerying(TableName("t", schema: "secret"))
        #expect(hidden.columnNames == ["id"])
        #expect(try connection.scalar("SELECT 1") == .integer(1))
        try connection.executeScript("ROLLBACK")
    }

    @Test("fewer queries first; the whole table when asked, then from the cache", arguments: Engine.allCases)
    func queriesAndCache(engine: Engine) throws {
        let counting = CountingConnection(try QueryCountTests.generatedDatabase(engine))
        let catalog = SchemaCatalog(connection: counting)
        counting.reset()
        var quick = try catalog.tableForQuerying(TableName("t0500"))
        #expect(quick.columnNames == ["id", "parent_id", "name", "created"])
        #expect(quick.primaryKey?.columns == (engine == .sqlite ? ["id"] : nil))
        // SQLite: schema_version (2), the listing of that name, columns, indexes.
        // PostgreSQL: the name resolved, `SELECT *` described; the primary key when asked.
        #expect(counting.count == (engine == .sqlite ? 5 : 2))
        if engine == .postgres { #expect(counting.sends == 2) }
        #expect(!counting.statements.contains { $0.sql.contains("foreign_key_list") || $0.sql.contains("confrelid") })

        counting.reset()
        #expect(try catalog.primaryKey(of: TableName("t0500"))?.columns == ["id"])
        #expect(counting.count == (engine == .sqlite ? 2 : 1))  // schema_version; the key
        quick.primaryKey = try catalog.primaryKey(of: TableName("t0500"))
        quick.primaryKeyIsUnread = false

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
            let catalog = SchemaCatalog(connection: counting)
            var table = try catalog.tableForQuerying(name)
            #expect(counting.sends == 2, "\(name)")
            table.primaryKey = try catalog.primaryKey(of: name)
            let whole = try SchemaCatalog(connection: connection).table(name)
            #expect(Self.queryable(table, .postgres) == Self.queryable(whole, .postgres))
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

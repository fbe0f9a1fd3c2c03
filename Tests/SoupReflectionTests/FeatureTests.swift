import SoupDriver
import SoupReflection
import Testing

/// Views, keyless tables, composite and self-referencing keys, quoted names, indexes, generated
/// columns and non-default schemas, on both engines.
@Suite("Reflection features on both engines")
struct FeatureTests {
    static let commonDDL = """
        CREATE TABLE "Odd Table" ("Key Part" integer NOT NULL, "Other" text NOT NULL, note text,
            PRIMARY KEY ("Key Part", "Other"));
        CREATE TABLE child (
            id integer PRIMARY KEY,
            part integer,
            other text,
            parent_id integer REFERENCES child (id) ON DELETE CASCADE,
            FOREIGN KEY (part, other) REFERENCES "Odd Table" ("Key Part", "Other") ON UPDATE CASCADE
        );
        CREATE UNIQUE INDEX child_other ON child (other) WHERE other IS NOT NULL;
        CREATE INDEX child_lower ON child (lower(other), id DESC);
        CREATE TABLE loose (a integer, b text);
        CREATE VIEW child_names AS SELECT id, other FROM child;
        CREATE TABLE people (
            id integer PRIMARY KEY,
            email text UNIQUE,
            first text,
            last text,
            full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED
        );
        """

    /// A fresh database holding ``commonDDL`` plus an `audit` schema (an attached database on
    /// SQLite) with `events` (self-referencing) and its own `loose`.
    static func database(_ engine: Engine) throws -> (any Connection, SchemaCatalog) {
        let connection = try engine.connect()
        try connection.executeScript(commonDDL)
        switch engine {
        case .sqlite:
            try connection.executeScript("""
                ATTACH DATABASE ':memory:' AS audit;
                CREATE TABLE audit.events (id integer PRIMARY KEY, kind text, parent integer REFERENCES events (id));
                CREATE TABLE audit.loose (z integer);
                """)
        case .postgres:
            try connection.executeScript("""
                CREATE SCHEMA audit;
                CREATE TABLE audit.events (id integer PRIMARY KEY, kind text, parent integer REFERENCES audit.events (id));
                CREATE TABLE audit.loose (z integer);
                """)
        }
        return (connection, SchemaCatalog(connection: connection))
    }

    @Test("listing names every table and view with its kind, and reflects nothing", arguments: Engine.allCases)
    func listing(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        let listed = try catalog.listTables()
        let names = listed.map(\.name.description)
        let main = engine.defaultSchema
        for name in ["Odd Table", "child", "child_names", "loose", "people"] {
            #expect(names.contains("\(main).\(name)"))
        }
        #expect(names.contains("audit.events") && names.contains("audit.loose"))
        #expect(listed.first { $0.name.name == "child_names" }?.kind == .view)
        #expect(try catalog.listTables(schema: "audit").map(\.name.name) == ["events", "loose"])
        #expect(catalog.cachedTables.isEmpty)
    }

    @Test("a view: columns, no key, its definition", arguments: Engine.allCases)
    func view(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        let view = try catalog.table(TableName("child_names"))
        #expect(view.kind == .view)
        #expect(view.columnNames == ["id", "other"])
        #expect(view.primaryKey == nil && view.rowIdentity == .none && !view.hasRowID)
        #expect(view.viewDefinition?.lowercased().contains("from child") == true)
    }

    @Test("a table without a primary key: rowid on SQLite, no identity on PostgreSQL", arguments: Engine.allCases)
    func noPrimaryKey(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        let loose = try catalog.table(TableName("loose"))
        #expect(loose.name == TableName("loose", schema: engine.defaultSchema))
        #expect(loose.primaryKey == nil)
        #expect(loose.rowIdentity == (engine == .sqlite ? .rowid : .none))
    }

    @Test("composite primary and foreign keys, self-references, quoted names", arguments: Engine.allCases)
    func keys(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        let odd = try catalog.table(TableName(parsing: "\"Odd Table\""))
        #expect(odd.name.name == "Odd Table")
        #expect(odd.columnNames == ["Key Part", "Other", "note"])
        #expect(odd.primaryKey?.columns == ["Key Part", "Other"])
        let child = try catalog.table(TableName("child"))
        let composite = try #require(child.foreignKeys.first { $0.columns == ["part", "other"] })
        #expect(composite.referencedTable == TableName("Odd Table", schema: engine.defaultSchema))
        #expect(composite.referencedColumns == ["Key Part", "Other"])
        #expect(composite.onUpdate == .cascade && composite.onDelete == .noAction)
        let selfReference = try #require(child.foreignKeys.first { $0.columns == ["parent_id"] })
        #expect(selfReference.referencedTable == child.name && selfReference.referencedColumns == ["id"])
        #expect(selfReference.onDelete == .cascade)
        #expect(child.referencedBy.map(\.table) == [child.name])
        #expect(odd.referencedBy.map(\.table) == [child.name])
        #expect(odd.referencedBy.first?.foreignKey == composite)
    }

    @Test("unique, partial and expression indexes; unique constraints", arguments: Engine.allCases)
    func indexes(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        let child = try catalog.table(TableName("child"))
        let partial = try #require(child.indexes.first { $0.name == "child_other" })
        #expect(partial.isUnique && partial.origin == .index && partial.keys == [.column("other")])
        #expect(partial.predicate?.contains("other IS NOT NULL") == true)
        let expression = try #require(child.indexes.first { $0.name == "child_lower" })
        #expect(!expression.isUnique && expression.predicate == nil && expression.keys.count == 2)
        #expect(expression.keys.last == .column("id"))
        guard case .expression(let sql) = expression.keys.first else {
            Issue.record("the first key of child_lower is not an expression: \(expression.keys)")
            return
        }
        #expect(sql.hasPrefix("lower(other"))
        let people = try catalog.table(TableName("people"))
        #expect(people.uniqueConstraints.map(\.columns) == [["email"]])
        #expect(people.indexes.contains { $0.origin == .uniqueConstraint && $0.keys == [.column("email")] })
    }

    @Test("generated columns", arguments: Engine.allCases)
    func generated(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        let column = try #require(try catalog.table(TableName("people")).column(named: "full_name"))
        #expect(column.generation?.storage == .stored)
        #expect(column.generation?.expression?.contains("first") == true)
        #expect(column.defaultExpression == nil && column.hasDatabaseValue)
    }

    @Test("a non-default schema: qualified names, and unqualified ones as the server resolves them", arguments: Engine.allCases)
    func otherSchema(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        let events = try catalog.table(TableName("events", schema: "audit"))
        #expect(events.name == TableName("events", schema: "audit"))
        #expect(events.foreignKeys.first?.referencedTable == events.name)
        #expect(events.referencedBy.map(\.table) == [events.name])
        // `loose` exists in both schemas: the default one wins.
        #expect(try catalog.table(TableName("loose")).columnNames == ["a", "b"])
        #expect(try catalog.table(TableName(parsing: "audit.loose")).columnNames == ["z"])
        switch engine {
        case .sqlite:
            // SQLite searches attached databases for unqualified names.
            #expect(try catalog.table(TableName("events")).name.schema == "audit")
        case .postgres:
            // audit is not on search_path.
            #expect(throws: SchemaError.unknownTable(TableName("events"), suggestions: ["audit.events"])) {
                try catalog.table(TableName("events"))
            }
        }
    }

    @Test("names: case rules of each engine, and did-you-mean for unknown ones", arguments: Engine.allCases)
    func names(engine: Engine) throws {
        let (_, catalog) = try Self.database(engine)
        // SQLite ignores case; PostgreSQL folds an unquoted name to lower case.
        #expect(try catalog.table(TableName("CHILD")).name.name == "child")
        let error = #expect(throws: SchemaError.self) { try catalog.table(TableName("chlid")) }
        #expect(error?.description == "no table 'chlid'; did you mean 'child'?")
        let hidden = #expect(throws: SchemaError.self) { try catalog.table(TableName("evnts", schema: "audit")) }
        #expect(hidden?.description == "no table 'audit.evnts'; did you mean 'audit.events'?")
        if engine == .postgres {
            // Not on search_path: suggested with its schema.
            let unreachable = #expect(throws: SchemaError.self) { try catalog.table(TableName("evnts")) }
            #expect(unreachable?.description == "no table 'evnts'; did you mean 'audit.events'?")
        }
        let far = #expect(throws: SchemaError.self) { try catalog.table(TableName("zzzzzz")) }
        #expect(far?.description == "no table 'zzzzzz'")
    }

    @Test("tables are reflected once, then served from the cache", arguments: Engine.allCases)
    func caching(engine: Engine) throws {
        let (connection, _) = try Self.database(engine)
        let counting = CountingConnection(connection)
        let catalog = SchemaCatalog(connection: counting)
        let first = try catalog.table(TableName("child"))
        let afterFirst = counting.statements.count
        let second = try catalog.table(TableName("CHILD"))
        #expect(first == second)
        // SQLite checks schema_version on every call (the database list, then main and audit);
        // nothing else is sent. PostgreSQL looks the new spelling up by name (a table "CHILD"
        // would win over child), one indexed catalog query; the table is not reflected again.
        #expect(counting.statements.count - afterFirst == (engine == .sqlite ? 3 : 1))
        #expect(catalog.cachedTables == [first.name])
    }
}

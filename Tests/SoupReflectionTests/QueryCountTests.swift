import Foundation
import SoupDriver
import SoupReflection
import Testing

/// Catalog queries counted through a decorating connection, on a generated 1,000-table database.
@Suite("Catalog query counts on 1,000 tables", .serialized)
struct QueryCountTests {
    static let tableCount = 1000

    /// `t0000` … `t0999`, each with four columns, a foreign key to the previous table and an index.
    static func generatedDatabase(_ engine: Engine) throws -> any Connection {
        let connection = try engine.connect()
        var script = "CREATE TABLE t0000 (id integer PRIMARY KEY, parent_id integer, name text NOT NULL, created timestamp);\n"
        for index in 1..<tableCount {
            let name = table(index)
            script += """
                CREATE TABLE \(name) (id integer PRIMARY KEY, parent_id integer REFERENCES \(table(index - 1)) (id), \
                name text NOT NULL, created timestamp DEFAULT CURRENT_TIMESTAMP);
                CREATE INDEX \(name)_name ON \(name) (name);

                """
        }
        try connection.executeScript(script)
        return connection
    }

    static func table(_ index: Int) -> String {
        "t" + String(repeating: "0", count: 4 - String(index).count) + String(index)
    }

    /// Laziness shown by counting queries, which no machine's load changes; the times are
    /// printed for a human only (bench/run's `tables.*` and `first.*` cases are the speed claims).
    @Test("listing sends under 5% of the queries of reflecting every table on first use", arguments: Engine.allCases)
    func listingVersusReflectingAll(engine: Engine) throws {
        let counting = CountingConnection(try Self.generatedDatabase(engine))
        let clock = ContinuousClock()

        counting.reset()
        let listingStarted = clock.now
        let listed = try SchemaCatalog(connection: counting).listTables()
        let listingTime = clock.now - listingStarted
        let listingQueries = counting.count
        #expect(listed.count == Self.tableCount)

        counting.reset()
        let catalog = SchemaCatalog(connection: counting)
        let reflectingStarted = clock.now
        for summary in try catalog.listTables() {
            _ = try catalog.table(summary.name)
        }
        let reflectingTime = clock.now - reflectingStarted
        let reflectingQueries = counting.count
        #expect(catalog.cachedTables.count == Self.tableCount)

        counting.reset()
        let batched = try SchemaCatalog(connection: counting).allTables()
        #expect(batched.count == Self.tableCount)
        let batchQueries = counting.count

        print("""
            [\(engine)] list: \(listingQueries) queries, \(listingTime); \
            reflect all on first use: \(reflectingQueries) queries, \(reflectingTime); \
            reflect all in one batch: \(batchQueries) queries
            """)
        #expect(listingQueries >= 1)
        #expect(Double(listingQueries) < 0.05 * Double(reflectingQueries))
        // A batch costs a constant number of queries, whatever its size.
        #expect(batchQueries <= (engine == .sqlite ? 3 + 5 * 3 : 8))
    }

    @Test("reflecting one table sends a fixed number of queries, all about that table", arguments: Engine.allCases)
    func reflectOne(engine: Engine) throws {
        let counting = CountingConnection(try Self.generatedDatabase(engine))
        counting.reset()
        let catalog = SchemaCatalog(connection: counting)
        let table = try catalog.table(TableName("t0500"))
        #expect(table.columnNames == ["id", "parent_id", "name", "created"])
        #expect(table.foreignKeys.first?.referencedTable.name == "t0499")
        #expect(table.referencedBy.map(\.table.name) == ["t0501"])
        #expect(table.indexes.map(\.name).contains("t0500_name"))
        #expect(catalog.cachedTables == [table.name])

        // SQLite: schema_version (2), the listing, columns, indexes, foreign keys both ways, stored SQL.
        // PostgreSQL: the listing, then relations, columns, defaults, comments, constraints,
        // indexes and access methods in one round trip.
        #expect(counting.count == 8)
        // The listing asks for that name only, not for all 1,000 tables.
        let listings = counting.statements.filter { $0.sql.contains("SELECT l.schema, l.name, l.type") || $0.sql.contains("pg_table_is_visible") }
        #expect(listings.count == 1)
        #expect(listings.allSatisfy { !$0.parameters.isEmpty })
        let reflecting = counting.statements.filter { !$0.parameters.isEmpty }
        #expect(!reflecting.isEmpty)
        // The table's name and schema, or on PostgreSQL the OID the listing read for it.
        let about = ["t0500", engine.defaultSchema] + (try catalog.resolve(TableName("t0500")).oid.map { [String($0)] } ?? [])
        for statement in reflecting {
            let mentioned = statement.parameters.flatMap { value -> [String] in
                if case .array(let items) = value { return items.compactMap(\.text) }
                return value.text.map { [$0] } ?? []
            }
            #expect(mentioned.allSatisfy(about.contains), "\(statement.sql) \(mentioned)")
        }
    }
}

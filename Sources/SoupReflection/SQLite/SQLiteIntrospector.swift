import SoupDriver

/// Reflects SQLite schemas through the table-valued pragma functions (`pragma_table_list`,
/// `pragma_table_xinfo`, `pragma_foreign_key_list`, `pragma_index_list`, `pragma_index_xinfo`),
/// so one query covers a whole batch of tables: a `VALUES` list of (schema, table) pairs is
/// joined with each pragma.
///
/// Every attached database is covered; schema names are `main`, `temp` and the names given to
/// `ATTACH`. A batch costs three queries (columns, indexes, foreign keys) plus two per schema
/// involved (the stored `CREATE` statements, and the foreign keys of other tables that
/// reference the batch), plus one for `sqlite_stat1` row estimates when the schema has been
/// analysed and one for the primary keys that foreign keys reference implicitly
/// (`REFERENCES parent` without columns). Read for querying (``reflectForQuerying(_:)``), a
/// batch costs two: columns and indexes.
///
/// Related SQLite documentation: <https://www.sqlite.org/pragma.html#pragfunc>
public struct SQLiteIntrospector: SchemaIntrospector {
    public let connection: any Connection

    /// Tables per batch query: two bound parameters each, far below SQLite's limit.
    static let batchSize = 400

    /// Creates an introspector that reads through `connection`.
    public init(connection: any Connection) {
        self.connection = connection
    }

    /// SQLite matches table names without regard to case.
    public var namesIgnoreCase: Bool { true }

    public func listTables() throws -> [TableSummary] {
        try listTables(source: "pragma_table_list", [])
    }

    /// The tables named `name` ignoring ASCII case, as SQLite itself finds them (through the
    /// pragma's argument, without walking every table); all tables when `name` is not ASCII,
    /// so that Swift's case folding still decides between them.
    public func listTables(named name: String) throws -> [TableSummary] {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else { return try listTables() }
        return try listTables(source: "pragma_table_list(?)", [.text(name)])
    }

    private func listTables(source: String, _ parameters: [Value]) throws -> [TableSummary] {
        let rows = try connection.catalogRows(
            """
            SELECT l.schema, l.name, l.type, d.seq
            FROM pragma_database_list AS d CROSS JOIN \(source) AS l ON l.schema = d.name
            WHERE l.type IN ('table', 'view', 'virtual') AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            ORDER BY d.seq, l.name
            """, parameters)
        return try rows.map { row in
            let schema = try row.string(0)
            let kind: TableKind
            switch try row.string(2) {
            case "view": kind = .view
            case "virtual": kind = .virtualTable
            default: kind = .table
            }
            // Unqualified names search temp first, then main, then attached databases in order.
            let rank = schema == "temp" ? 0 : (schema == "main" ? 1 : try row.int(3))
            return TableSummary(name: TableName(try row.string(1), schema: schema), kind: kind, searchRank: rank)
        }
    }

    /// The `schema_version` of every attached database, with the list of databases itself (an
    /// ATTACH or DETACH changes no schema_version): one query for the list, one per database
    /// (the `pragma_schema_version` function cannot name a schema).
    public func schemaVersion() throws -> String? {
        var parts: [String] = []
        for database in try connection.catalogRows("SELECT name, file FROM pragma_database_list ORDER BY seq") {
            let name = try database.string(0)
            let version = try connection.scalar("PRAGMA \(Dialect.sqlite.forceQuoteIdentifier(name)).schema_version")
            parts.append(name + "=" + (database.optionalString(1) ?? "") + "@" + (version?.text ?? ""))
        }
        return parts.joined(separator: ";")
    }

    /// Reflects `tables` in batches. A view over a dropped table fails every query that reads
    /// its columns, and with it the whole batch: then each table is read on its own, and one
    /// that still fails is kept with its error (``Table/reflectionError``).
    public func reflect(_ tables: [TableSummary]) throws -> [Table] {
        do {
            return try inBatches(tables) { try $0.reflect() }
        } catch let error as DatabaseError where error.kind == .statement {
            return try tables.map { summary in
                do {
                    guard let table = try SQLiteBatch(connection: connection, tables: [summary]).reflect().first else {
                        throw error
                    }
                    return table
                } catch let error as DatabaseError where error.kind == .statement {
                    var table = Table(name: summary.name, kind: summary.kind, columns: [])
                    table.reflectionError = error.message
                    return table
                }
            }
        }
    }

    /// Columns, primary keys and rowids: two queries a batch.
    public func reflectForQuerying(_ tables: [TableSummary]) throws -> [Table] {
        try inBatches(tables) { try $0.reflectForQuerying() }
    }

    private func inBatches(_ tables: [TableSummary], _ reflect: (SQLiteBatch) throws -> [Table]) throws -> [Table] {
        var result: [Table] = []
        var start = 0
        while start < tables.count {
            let chunk = Array(tables[start..<min(tables.count, start + Self.batchSize)])
            result += try reflect(SQLiteBatch(connection: connection, tables: chunk))
            start += Self.batchSize
        }
        return result
    }
}

import SoupDriver

/// One batch of SQLite tables reflected together, in a fixed number of queries.
///
/// Each query joins `WITH wanted(s, n) AS (VALUES (?, ?), …)` with a pragma function. The joins
/// are written `CROSS JOIN`, which SQLite never reorders: a pragma whose arguments come from
/// an earlier table must be evaluated after it (an implicit join may be planned the other way
/// round and return nothing).
struct SQLiteBatch {
    let connection: any Connection
    let tables: [TableSummary]

    /// A foreign key as `pragma_foreign_key_list` reports it, grouped by its id.
    private struct RawForeignKey {
        var owner: TableName
        var id: Int
        var parent: TableName
        var columns: [String] = []
        /// `nil` entries: the key references the parent's primary key implicitly.
        var referencedColumns: [String?] = []
        var onUpdate: ReferentialAction
        var onDelete: ReferentialAction
    }

    func reflect() throws -> [Table] {
        var reflected = try readColumns()
        let indexes = try readIndexes()
        let outgoing = try readForeignKeys()
        let schemas = Set(reflected.keys.compactMap(\.schema))
        let incoming = try readIncomingForeignKeys(schemas: schemas)
        let definitions = try readDefinitions(schemas: schemas)
        let implied = Set((outgoing + incoming).filter { $0.referencedColumns.contains(nil) }.map(\.parent))
        var primaryKeys = reflected.compactMapValues { $0.primaryKey?.columns }
        try readPrimaryKeys(of: implied.subtracting(primaryKeys.keys)).forEach { primaryKeys[$0] = $1 }
        let outgoingByOwner = Dictionary(grouping: outgoing, by: \.owner)
        let incomingByParent = Dictionary(grouping: incoming, by: \.parent)

        for (name, var table) in reflected {
            let source = definitions.sql[SQLObjectKey(name.schema, name.name)]
            table.indexes = indexes[name, default: []].map { raw in
                var index = raw
                let sql = definitions.sql[SQLObjectKey(name.schema, index.name)]
                let parsed = sql.map { SQLiteDefinition($0).indexKeysAndPredicate() }
                index.keys = index.keys.enumerated().map { position, key in
                    guard case .expression = key else { return key }
                    let text = parsed.flatMap { position < $0.keys.count ? $0.keys[position] : nil }
                    return .expression(text ?? "?")
                }
                index.predicate = raw.predicate == nil ? nil : (parsed?.predicate ?? "?")
                return index
            }
            table.uniqueConstraints = table.indexes.filter { $0.origin == .uniqueConstraint }.map { index in
                UniqueConstraint(name: index.name, columns: index.keys.map(\.text))
            }
            markRowIDAlias(&table)
            if let source, table.columns.contains(where: { $0.generation != nil }) {
                let expressions = SQLiteDefinition(source).generatedColumnExpressions()
                for position in table.columns.indices where table.columns[position].generation != nil {
                    let name = table.columns[position].name.lowercased()
                    table.columns[position].generation?.expression = expressions[name]
                }
            }
            if table.kind == .view, let source { table.viewDefinition = SQLiteDefinition(source).viewQuery() }
            table.estimatedRowCount = definitions.estimates[name]
            table.foreignKeys = outgoingByOwner[name, default: []].map { resolve($0, primaryKeys: primaryKeys) }
            table.referencedBy = incomingByParent[name, default: []].map { raw in
                IncomingForeignKey(table: raw.owner, foreignKey: resolve(raw, primaryKeys: primaryKeys))
            }
            reflected[name] = table
        }
        return tables.compactMap { reflected[$0.name] }
    }

    /// Columns, primary keys and rowids only: two queries (the indexes tell whether an
    /// `INTEGER PRIMARY KEY` is the rowid); no foreign keys either way, no stored SQL.
    func reflectForQuerying() throws -> [Table] {
        var reflected = try readColumns()
        let indexes = try readIndexes()
        for (name, var table) in reflected {
            table.indexes = indexes[name, default: []]
            markRowIDAlias(&table)
            table.indexes = []
            table.isComplete = false
            reflected[name] = table
        }
        return tables.compactMap { reflected[$0.name] }
    }

    // MARK: - Queries

    /// Columns, the primary key and whether each table has a rowid.
    private func readColumns() throws -> [TableName: Table] {
        let kinds = Dictionary(tables.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        var reflected: [TableName: Table] = [:]
        var keyOrder: [TableName: [(position: Int, column: String)]] = [:]
        let rows = try query(
            """
            SELECT w.s, w.n, (SELECT l.wr FROM pragma_table_list(w.n) AS l WHERE l.schema = w.s),
                x.name, x.type, x."notnull", x.dflt_value, x.pk, x.hidden
            FROM wanted AS w CROSS JOIN pragma_table_xinfo(w.n, w.s) AS x
            """, for: tables.map(\.name))
        for row in rows {
            let name = try tableName(row)
            let kind = kinds[name] ?? .table
            var table = reflected[name]
                ?? Table(name: name, kind: kind, columns: [], hasRowID: kind == .table && row.optionalInt(2) == 0)
            let hidden = try row.int(8)
            guard hidden != 1 else { continue }  // a virtual table's hidden column
            let column = try row.string(3)
            let declared = row.optionalString(4) ?? ""
            table.columns.append(
                Column(
                    name: column, position: table.columns.count + 1, declaredType: declared,
                    type: NormalizedType(declared: declared, engine: .sqlite), isNullable: try !row.bool(5),
                    defaultExpression: row.optionalString(6),
                    generation: hidden >= 2 ? Column.Generation(storage: hidden == 3 ? .stored : .virtual, expression: nil) : nil))
            if try row.int(7) > 0 { keyOrder[name, default: []].append((try row.int(7), column)) }
            reflected[name] = table
        }
        for (name, key) in keyOrder {
            reflected[name]?.primaryKey = PrimaryKey(columns: key.sorted { $0.position < $1.position }.map(\.column))
        }
        return reflected
    }

    /// Every index with its key columns. Expressions and predicates are read from the stored
    /// SQL later: until then an expression key has empty text and a partial index has an empty
    /// predicate.
    private func readIndexes() throws -> [TableName: [Index]] {
        let rows = try query(
            """
            SELECT w.s, w.n, il.name, il."unique", il.origin, il.partial, ix.cid, ix.name
            FROM wanted AS w CROSS JOIN pragma_index_list(w.n, w.s) AS il
                CROSS JOIN pragma_index_xinfo(il.name, w.s) AS ix
            WHERE ix.key
            """, for: tables.map(\.name))
        var indexes: [TableName: [Index]] = [:]
        for row in rows {
            let name = try tableName(row)
            let indexName = try row.string(2)
            let key: Index.Key = try row.int(6) >= 0 ? .column(try row.string(7)) : .expression("")
            if let last = indexes[name]?.indices.last, indexes[name]?[last].name == indexName {
                indexes[name]?[last].keys.append(key)
                continue
            }
            let origin: Index.Origin
            switch try row.string(4) {
            case "pk": origin = .primaryKey
            case "u": origin = .uniqueConstraint
            default: origin = .index
            }
            indexes[name, default: []].append(
                Index(
                    name: indexName, keys: [key], isUnique: try row.bool(3), origin: origin,
                    predicate: try row.bool(5) ? "" : nil))
        }
        return indexes.mapValues { $0.sorted { $0.name < $1.name } }
    }

    /// The batch's own foreign keys, in declaration order.
    private func readForeignKeys() throws -> [RawForeignKey] {
        let rows = try query(
            """
            SELECT w.s, w.n, f.id,
                COALESCE((SELECT l.name FROM pragma_table_list(f."table") AS l WHERE l.schema = w.s), f."table"),
                f."from", f."to", f.on_update, f.on_delete
            FROM wanted AS w CROSS JOIN pragma_foreign_key_list(w.n, w.s) AS f
            """, for: tables.map(\.name))
        return try group(rows) { row in (try tableName(row), TableName(try row.string(3), schema: try row.string(0))) }
    }

    /// Foreign keys of every table in the same database that reference a table of the batch.
    ///
    /// Only tables whose stored `CREATE TABLE` mentions the name (a LIKE pattern, with a `"`
    /// in the name matching its doubled spelling) are asked for their foreign keys: a table
    /// cannot reference another without naming it, and this keeps the query from calling
    /// `pragma_foreign_key_list` on every table of a large schema.
    private func readIncomingForeignKeys(schemas: Set<String>) throws -> [RawForeignKey] {
        var keys: [RawForeignKey] = []
        for schema in schemas.sorted() {
            let rows = try query(
                """
                SELECT w.s, w.n, f.id, m.name, f."from", f."to", f.on_update, f.on_delete
                FROM wanted AS w CROSS JOIN \(Dialect.sqlite.forceQuoteIdentifier(schema)).sqlite_schema AS m
                    CROSS JOIN pragma_foreign_key_list(m.name, w.s) AS f
                WHERE m.type = 'table' AND m.sql LIKE '%' || replace(w.n, '"', '%') || '%'
                    AND f."table" = w.n COLLATE NOCASE
                """, for: tables.map(\.name).filter { $0.schema == schema })
            keys += try group(rows) { row in (TableName(try row.string(3), schema: try row.string(0)), try tableName(row)) }
        }
        return keys
    }

    /// Groups foreign-key rows (`s, n, id, other, from, to, on_update, on_delete`) by key;
    /// `names` gives each row's (owner, parent). SQLite numbers keys from the last declared.
    private func group(_ rows: [CatalogRow], names: (CatalogRow) throws -> (TableName, TableName)) throws -> [RawForeignKey] {
        var keys: [RawForeignKey] = []
        for row in rows {
            let (owner, parent) = try names(row)
            let id = try row.int(2)
            if let last = keys.indices.last, keys[last].owner == owner, keys[last].id == id {
                keys[last].columns.append(try row.string(4))
                keys[last].referencedColumns.append(row.optionalString(5))
                continue
            }
            keys.append(
                RawForeignKey(
                    owner: owner, id: id, parent: parent, columns: [try row.string(4)],
                    referencedColumns: [row.optionalString(5)], onUpdate: try action(row, 6), onDelete: try action(row, 7)))
        }
        return keys.sorted { ($0.owner, -$0.id) < ($1.owner, -$1.id) }
    }

    /// The stored `CREATE` statements of the batch's tables, views and indexes, per schema,
    /// and row estimates from `sqlite_stat1` where the schema has been analysed.
    private func readDefinitions(schemas: Set<String>) throws -> (sql: [SQLObjectKey: String], estimates: [TableName: Int]) {
        var sql: [SQLObjectKey: String] = [:]
        var estimates: [TableName: Int] = [:]
        for schema in schemas.sorted() {
            let names = tables.filter { $0.name.schema == schema }.map { Value.text($0.name.name) }
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let qualified = Dialect.sqlite.forceQuoteIdentifier(schema)
            let rows = try connection.catalogRows(
                "SELECT name, sql FROM \(qualified).sqlite_schema WHERE tbl_name IN (\(marks)) OR name = 'sqlite_stat1'",
                names)
            var analysed = false
            for row in rows {
                let name = try row.string(0)
                if name == "sqlite_stat1" { analysed = true }
                if let text = row.optionalString(1) { sql[SQLObjectKey(schema, name)] = text }
            }
            guard analysed else { continue }
            for row in try connection.catalogRows(
                "SELECT tbl, stat FROM \(qualified).sqlite_stat1 WHERE tbl IN (\(marks))", names)
            {
                let rowsInIndex = (row.optionalString(1) ?? "").split(separator: " ").first.flatMap { Int($0) }
                if let rowsInIndex {
                    let name = TableName(try row.string(0), schema: schema)
                    estimates[name] = max(estimates[name] ?? 0, rowsInIndex)
                }
            }
        }
        return (sql, estimates)
    }

    /// Primary-key columns of tables outside the batch that foreign keys reference implicitly.
    private func readPrimaryKeys(of parents: Set<TableName>) throws -> [TableName: [String]] {
        guard !parents.isEmpty else { return [:] }
        let rows = try query(
            "SELECT w.s, w.n, x.name FROM wanted AS w CROSS JOIN pragma_table_info(w.n, w.s) AS x WHERE x.pk > 0 ORDER BY w.s, w.n, x.pk",
            for: parents.sorted())
        var keys: [TableName: [String]] = [:]
        for row in rows { keys[try tableName(row), default: []].append(try row.string(2)) }
        return keys
    }

    // MARK: - Helpers

    /// `INTEGER PRIMARY KEY` makes the column an alias of the rowid: never NULL, filled in by
    /// SQLite. Only then does SQLite create no index for the key (`INTEGER PRIMARY KEY DESC` and
    /// `WITHOUT ROWID` tables get one).
    private func markRowIDAlias(_ table: inout Table) {
        guard table.hasRowID, let key = table.primaryKey, key.columns.count == 1,
            !table.indexes.contains(where: { $0.origin == .primaryKey }),
            let position = table.columns.firstIndex(where: { $0.name == key.columns[0] }),
            table.columns[position].declaredType.uppercased() == "INTEGER"
        else { return }
        table.columns[position].identity = .rowid
        table.columns[position].isNullable = false
    }

    private func resolve(_ raw: RawForeignKey, primaryKeys: [TableName: [String]]) -> ForeignKey {
        let parentKey = primaryKeys[raw.parent] ?? []
        let referenced = raw.referencedColumns.enumerated().map { position, column in
            column ?? (position < parentKey.count ? parentKey[position] : "rowid")
        }
        return ForeignKey(
            columns: raw.columns, referencedTable: raw.parent, referencedColumns: referenced,
            onUpdate: raw.onUpdate, onDelete: raw.onDelete)
    }

    private func action(_ row: CatalogRow, _ index: Int) throws -> ReferentialAction {
        let text = try row.string(index)
        guard let action = ReferentialAction(rawValue: text.lowercased()) else {
            throw SchemaError.unexpectedCatalogRow("unknown foreign key action \(text)")
        }
        return action
    }

    /// Runs `body` after `WITH wanted(s, n) AS (VALUES …)` listing `names`.
    private func query(_ body: String, for names: [TableName]) throws -> [CatalogRow] {
        let rows = Array(repeating: "(?, ?)", count: names.count).joined(separator: ", ")
        let parameters = names.flatMap { [Value.text($0.schema ?? "main"), .text($0.name)] }
        return try connection.catalogRows("WITH wanted(s, n) AS (VALUES \(rows))\n" + body, parameters)
    }

    private func tableName(_ row: CatalogRow) throws -> TableName {
        TableName(try row.string(1), schema: try row.string(0))
    }
}

/// A schema object (table, view or index) by schema and name, ignoring the name's case as
/// SQLite does.
private struct SQLObjectKey: Hashable {
    var schema: String
    var name: String

    init(_ schema: String?, _ name: String) {
        self.schema = schema ?? "main"
        self.name = name.lowercased()
    }
}

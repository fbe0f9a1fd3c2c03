import SoupDriver

/// Reflects PostgreSQL schemas from `pg_catalog`.
///
/// A batch of tables, however many and however wide, costs four queries: relations (kind,
/// comment, row estimate, view definition), columns, constraints (primary keys, UNIQUE, foreign
/// keys in both directions) and indexes. Each selects the batch with
/// `unnest($1::text[], $2::text[])` over (schema, name) pairs, never one query per column.
/// The listing marks the relations that `search_path` makes visible (`pg_table_is_visible`), so
/// unqualified names resolve as the server resolves them.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/current/catalogs.html>
public struct PostgresIntrospector: SchemaIntrospector {
    public let connection: any Connection

    /// Creates an introspector that reads through `connection`.
    public init(connection: any Connection) {
        self.connection = connection
    }

    public func listTables() throws -> [TableSummary] {
        try listTables(where: "", [])
    }

    /// The relations named exactly `name` or its lowercased spelling, through pg_class's name index.
    public func listTables(named name: String) throws -> [TableSummary] {
        try listTables(where: "AND c.relname IN ($1::name, $2::name)", [.text(name), .text(name.lowercased())])
    }

    private func listTables(where condition: String, _ parameters: [Value]) throws -> [TableSummary] {
        let rows = try connection.catalogRows(
            """
            SELECT n.nspname::text, c.relname::text, c.relkind::text, pg_table_is_visible(c.oid)
            FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
                AND n.nspname <> 'information_schema'
                AND (n.nspname NOT LIKE 'pg\\_%' OR n.oid = pg_my_temp_schema())
                \(condition)
            ORDER BY 1, 2
            """, parameters)
        return try rows.map { row in
            TableSummary(
                name: TableName(try row.string(1), schema: try row.string(0)), kind: try Self.kind(try row.string(2)),
                searchRank: try row.bool(3) ? 0 : nil)
        }
    }

    public func reflect(_ tables: [TableSummary]) throws -> [Table] {
        guard !tables.isEmpty else { return [] }
        let parameters: [Value] = [
            .array(tables.map { .text($0.name.schema ?? "public") }), .array(tables.map { .text($0.name.name) }),
        ]
        func query(_ body: String) throws -> [CatalogRow] {
            try connection.catalogRows(Self.wanted + body, parameters)
        }
        var reflected: [Int: Table] = [:]
        for row in try query(Self.relationsQuery) {
            let oid = try row.int(0)
            let name = TableName(try row.string(2), schema: try row.string(1))
            reflected[oid] = Table(
                name: name, kind: try Self.kind(try row.string(3)), columns: [], comment: row.optionalString(5),
                estimatedRowCount: row.optionalInt(4), viewDefinition: row.optionalString(6)?.trimmingSpaces())
        }
        for row in try query(Self.columnsQuery) {
            let oid = try row.int(0)
            let position = (reflected[oid]?.columns.count ?? 0) + 1
            reflected[oid]?.columns.append(try Self.column(row, position: position))
        }
        for row in try query(Self.constraintsQuery) {
            try Self.addConstraint(row, to: &reflected)
        }
        for row in try query(Self.indexesQuery) {
            reflected[try row.int(0)]?.indexes.append(try Self.index(row))
        }
        let byName = Dictionary(reflected.values.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return tables.compactMap { byName[$0.name] }
    }

    // MARK: - Rows to model

    private static func kind(_ relkind: String) throws -> TableKind {
        switch relkind {
        case "r": return .table
        case "v": return .view
        case "m": return .materializedView
        case "p": return .partitionedTable
        case "f": return .foreignTable
        default: throw SchemaError.unexpectedCatalogRow("relkind \(relkind)")
        }
    }

    private static func column(_ row: CatalogRow, position: Int) throws -> Column {
        let declared = try row.string(2)
        let expression = row.optionalString(5)
        let generated = row.optionalString(7) == "s"
        var identity: Column.Identity?
        switch row.optionalString(6) {
        case "a": identity = .always
        case "d": identity = .byDefault
        default: identity = expression?.hasPrefix("nextval(") == true && !generated ? .sequence : nil
        }
        return Column(
            name: try row.string(1), position: position, declaredType: declared,
            type: NormalizedType(declared: row.optionalString(3) ?? declared, engine: .postgres),
            isNullable: try !row.bool(4), defaultExpression: generated ? nil : expression,
            generation: generated ? Column.Generation(storage: .stored, expression: expression) : nil,
            identity: identity, comment: row.optionalString(8))
    }

    private static func addConstraint(_ row: CatalogRow, to reflected: inout [Int: Table]) throws {
        let owner = try row.int(0)
        let name = try row.string(2)
        let columns = try row.strings(4)
        switch try row.string(3) {
        case "p":
            reflected[owner]?.primaryKey = PrimaryKey(name: name, columns: columns)
        case "u":
            reflected[owner]?.uniqueConstraints.append(UniqueConstraint(name: name, columns: columns))
        default:
            let key = ForeignKey(
                name: name, columns: columns,
                referencedTable: TableName(try row.string(11), schema: try row.string(10)),
                referencedColumns: try row.strings(5), onUpdate: try action(try row.string(6)),
                onDelete: try action(try row.string(7)))
            if try row.bool(12) { reflected[owner]?.foreignKeys.append(key) }
            let parent = try row.int(1)
            let incoming = IncomingForeignKey(table: TableName(try row.string(9), schema: try row.string(8)), foreignKey: key)
            if try row.bool(13) { reflected[parent]?.referencedBy.append(incoming) }
        }
    }

    private static func action(_ code: String) throws -> ReferentialAction {
        switch code {
        case "a": return .noAction
        case "r": return .restrict
        case "c": return .cascade
        case "n": return .setNull
        case "d": return .setDefault
        default: throw SchemaError.unexpectedCatalogRow("foreign key action \(code)")
        }
    }

    private static func index(_ row: CatalogRow) throws -> Index {
        let kinds = try row.strings(6)
        let texts = try row.strings(7)
        let keys = zip(kinds, texts).map { kind, text in kind == "c" ? Index.Key.column(text) : .expression(text) }
        let origin: Index.Origin = try row.bool(3) ? .primaryKey : (try row.bool(8) ? .uniqueConstraint : .index)
        return Index(
            name: try row.string(1), keys: keys, isUnique: try row.bool(2), origin: origin,
            predicate: row.optionalString(5), method: row.optionalString(4))
    }

    // MARK: - Queries

    /// The batch's relation OIDs, from arrays of schema names ($1) and table names ($2).
    private static let wanted = """
        WITH wanted AS (
            SELECT c.oid FROM unnest($1::text[], $2::text[]) AS w(nsp, rel)
            JOIN pg_namespace AS n ON n.nspname = w.nsp
            JOIN pg_class AS c ON c.relnamespace = n.oid AND c.relname = w.rel
        )

        """

    private static let relationsQuery = """
        SELECT c.oid::bigint, n.nspname::text, c.relname::text, c.relkind::text,
            CASE WHEN c.relkind IN ('r', 'm', 'p', 'f') AND c.reltuples >= 0 THEN c.reltuples::bigint END,
            obj_description(c.oid, 'pg_class'),
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE c.oid IN (SELECT oid FROM wanted)
        """

    private static let columnsQuery = """
        SELECT a.attrelid::bigint, a.attname::text, format_type(a.atttypid, a.atttypmod),
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
            a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
            col_description(a.attrelid, a.attnum)
        FROM pg_attribute AS a
            JOIN pg_type AS t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid IN (SELECT oid FROM wanted) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum
        """

    /// Primary keys and UNIQUE constraints of the batch; foreign keys of the batch (owned) and
    /// foreign keys that reference it (incoming; on partitions only the parent's key counts).
    private static let constraintsQuery = """
        SELECT con.conrelid::bigint, con.confrelid::bigint, con.conname::text, con.contype::text,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
                JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
                JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
            con.confupdtype::text, con.confdeltype::text,
            rn.nspname::text, rc.relname::text, fn.nspname::text, fc.relname::text,
            con.conrelid IN (SELECT oid FROM wanted),
            con.contype = 'f' AND con.conparentid = 0 AND con.confrelid IN (SELECT oid FROM wanted)
        FROM pg_constraint AS con
            JOIN pg_class AS rc ON rc.oid = con.conrelid
            JOIN pg_namespace AS rn ON rn.oid = rc.relnamespace
            LEFT JOIN pg_class AS fc ON fc.oid = con.confrelid
            LEFT JOIN pg_namespace AS fn ON fn.oid = fc.relnamespace
        WHERE con.contype IN ('p', 'u', 'f')
            AND (con.conrelid IN (SELECT oid FROM wanted)
                OR (con.contype = 'f' AND con.conparentid = 0 AND con.confrelid IN (SELECT oid FROM wanted)))
        ORDER BY rn.nspname, rc.relname, con.conname
        """

    /// Key kinds are `c` (a column, given by name) or `e` (an expression, as SQL).
    private static let indexesQuery = """
        SELECT i.indrelid::bigint, ic.relname::text, i.indisunique, i.indisprimary, am.amname::text,
            pg_get_expr(i.indpred, i.indrelid, true),
            ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN 'e' ELSE 'c' END
                FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k),
            ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true)
                    ELSE (SELECT a.attname::text FROM pg_attribute AS a
                        WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) END
                FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k),
            EXISTS (SELECT 1 FROM pg_constraint AS con
                WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype = 'u')
        FROM pg_index AS i
            JOIN pg_class AS ic ON ic.oid = i.indexrelid
            JOIN pg_am AS am ON am.oid = ic.relam
        WHERE i.indrelid IN (SELECT oid FROM wanted)
        ORDER BY i.indrelid, ic.relname
        """
}

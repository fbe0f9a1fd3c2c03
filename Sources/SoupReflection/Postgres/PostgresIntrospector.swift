import SoupDriver

/// Reflects PostgreSQL schemas from `pg_catalog`.
///
/// A batch of tables, however many and however wide, costs four queries, sent together in one
/// round trip (``Connection/fetchBatch(_:)``): relations (kind, comment, row estimate, view
/// definition), columns, constraints (primary keys, UNIQUE, foreign keys in both directions) and
/// indexes. Each selects the batch by the OIDs the listing read (`= ANY($1::oid[])`), never one
/// query per table or column. The listing marks the relations that `search_path` makes visible
/// (`pg_table_is_visible`), so unqualified names resolve as the server resolves them.
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
            SELECT n.nspname::text, c.relname::text, c.relkind::text, pg_table_is_visible(c.oid), c.oid::int8
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
                searchRank: try row.bool(3) ? 0 : nil, oid: try row.int(4))
        }
    }

    /// Tables listed without an OID (not by this introspector) are left out, as vanished ones are.
    public func reflect(_ tables: [TableSummary]) throws -> [Table] {
        let oids = tables.compactMap(\.oid)
        guard !oids.isEmpty else { return [] }
        let parameters: [Value] = [.array(oids.map { .integer(Int64($0)) })]
        let results = try connection.fetchBatch(
            [Self.relationsQuery, Self.columnsQuery, Self.constraintsQuery, Self.indexesQuery].map {
                BoundStatement($0, parameters)
            }
        ).map { $0.map(CatalogRow.init) }
        var reflected: [Int: Table] = [:]
        for row in results[0] {
            reflected[try row.int(0)] = Table(
                name: TableName(try row.string(2), schema: try row.string(1)), kind: try Self.kind(try row.string(3)),
                columns: [], comment: row.optionalString(5), estimatedRowCount: row.optionalInt(4),
                viewDefinition: row.optionalString(6)?.trimmingSpaces())
        }
        for row in results[1] {
            let oid = try row.int(0)
            let position = (reflected[oid]?.columns.count ?? 0) + 1
            reflected[oid]?.columns.append(try Self.column(row, position: position))
        }
        var uniqueConstraintIndexes: Set<Int> = []
        for row in results[2] {
            try Self.addConstraint(row, to: &reflected)
            if try row.string(3) == "u" { uniqueConstraintIndexes.insert(try row.int(8)) }
        }
        for oid in reflected.keys {
            reflected[oid]?.referencedBy.sort { Self.precedes($0, $1) }
        }
        for row in results[3] {
            reflected[try row.int(0)]?.indexes.append(
                try Self.index(row, backsUniqueConstraint: uniqueConstraintIndexes.contains(try row.int(1))))
        }
        return oids.compactMap { reflected[$0] }
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
            // Column 12 names the table at the end of the key outside the batch; the batch's own
            // tables are known already.
            let parent = try row.int(1)
            let outside = try row.strings(11)
            func tableName(_ oid: Int) throws -> TableName {
                if let known = reflected[oid]?.name { return known }
                guard outside.count == 2 else { throw SchemaError.unexpectedCatalogRow("no name for table \(oid)") }
                return TableName(outside[1], schema: outside[0])
            }
            let key = ForeignKey(
                name: name, columns: columns, referencedTable: try tableName(parent),
                referencedColumns: try row.strings(5), onUpdate: try action(try row.string(6)),
                onDelete: try action(try row.string(7)))
            if try row.bool(9) { reflected[owner]?.foreignKeys.append(key) }
            if try row.bool(10) {
                let incoming = IncomingForeignKey(table: try tableName(owner), foreignKey: key)
                reflected[parent]?.referencedBy.append(incoming)
            }
        }
    }

    /// Orders incoming foreign keys by the referencing table's schema and name, then the key's
    /// name, byte by byte as PostgreSQL orders names.
    private static func precedes(_ lhs: IncomingForeignKey, _ rhs: IncomingForeignKey) -> Bool {
        let left = [lhs.table.schema ?? "", lhs.table.name, lhs.foreignKey.name ?? ""]
        let right = [rhs.table.schema ?? "", rhs.table.name, rhs.foreignKey.name ?? ""]
        return left.lexicographicallyPrecedes(right) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
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

    private static func index(_ row: CatalogRow, backsUniqueConstraint: Bool) throws -> Index {
        let kinds = try row.strings(7)
        let texts = try row.strings(8)
        let keys = zip(kinds, texts).map { kind, text in kind == "c" ? Index.Key.column(text) : .expression(text) }
        let origin: Index.Origin = try row.bool(4) ? .primaryKey : (backsUniqueConstraint ? .uniqueConstraint : .index)
        return Index(
            name: try row.string(2), keys: keys, isUnique: try row.bool(3), origin: origin,
            predicate: row.optionalString(6), method: row.optionalString(5))
    }

    // MARK: - Queries

    // Each query takes the batch's OIDs as $1. Comments are joined from pg_description rather
    // than read with obj_description(), whose SQL body would be planned at run time.

    private static let relationsQuery = """
        SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text,
            CASE WHEN c.relkind IN ('r', 'm', 'p', 'f') AND c.reltuples >= 0 THEN c.reltuples::int8 END,
            d.description,
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END
        FROM pg_class AS c
            JOIN pg_namespace AS n ON n.oid = c.relnamespace
            LEFT JOIN pg_description AS d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
        WHERE c.oid = ANY($1::oid[])
        """

    private static let columnsQuery = """
        SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod),
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
            a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
            ds.description
        FROM pg_attribute AS a
            JOIN pg_type AS t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_description AS ds
                ON ds.objoid = a.attrelid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
        WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum
        """

    /// Primary keys and UNIQUE constraints of the batch; foreign keys of the batch (owned) and
    /// foreign keys that reference it (incoming; on partitions only the parent's key counts).
    /// Only the table at the far end, when it is outside the batch, is looked up by name: a
    /// join of pg_class and pg_namespace for every constraint costs more to plan.
    private static let constraintsQuery = """
        SELECT con.conrelid::int8, con.confrelid::int8, con.conname::text, con.contype::text,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
                JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
                JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
            con.confupdtype::text, con.confdeltype::text, con.conindid::int8,
            con.conrelid = ANY($1::oid[]),
            con.contype = 'f' AND con.conparentid = 0 AND con.confrelid = ANY($1::oid[]),
            (SELECT ARRAY[n.nspname::text, c.relname::text]
                FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
                WHERE c.oid = CASE WHEN con.conrelid = ANY($1::oid[]) THEN con.confrelid ELSE con.conrelid END)
        FROM pg_constraint AS con
        WHERE (con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f'))
            OR (con.contype = 'f' AND con.conparentid = 0 AND con.confrelid = ANY($1::oid[]))
        ORDER BY con.conname
        """

    /// Key kinds are `c` (a column, given by name) or `e` (an expression, as SQL). Whether an
    /// index backs a UNIQUE constraint comes from the constraints query.
    private static let indexesQuery = """
        SELECT i.indrelid::int8, i.indexrelid::int8, ic.relname::text, i.indisunique, i.indisprimary,
            am.amname::text, pg_get_expr(i.indpred, i.indrelid, true),
            ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN 'e' ELSE 'c' END
                FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k),
            ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true)
                    ELSE (SELECT a.attname::text FROM pg_attribute AS a
                        WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) END
                FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k)
        FROM pg_index AS i
            JOIN pg_class AS ic ON ic.oid = i.indexrelid
            JOIN pg_am AS am ON am.oid = ic.relam
        WHERE i.indrelid = ANY($1::oid[])
        ORDER BY i.indrelid, ic.relname
        """
}

import SoupDriver

/// A first use of a table by name, read with as little of the catalog as the server allows.
///
/// On a fresh server session every catalog query is planned against catalogs whose statistics
/// and caches are still cold, and costs some 0.5 ms however small; a `SELECT` of the table itself
/// pays for loading the table's description anyway. So a first use asks the catalog once, with
/// lookup functions rather than queries of catalog tables, and reads the columns from the
/// table's own `SELECT *`, described but not run:
///
/// 1. the name, resolved as the server resolves it (`to_regclass` through `search_path`, the
///    exact spelling first, then lowercased), with its schema, name and kind
///    (`pg_identify_object`; `pg_get_partkeydef` tells a partitioned table);
/// 2. `SELECT * FROM schema.table`, parsed and described, not run (``Connection/describe(_:)``):
///    the columns in table order, with their types. Like any parse of the table it takes the
///    table's ACCESS SHARE lock, to the end of the transaction around it.
///
/// A qualified name (`schema.table`) is listed (``listTables(named:)``) and read with the
/// catalog queries of ``reflectForQuerying(_:)``: `to_regclass` raises an error for a schema the
/// user may not use, where a catalog query only reads.
///
/// The primary key is left unread (``Table/primaryKeyIsUnread``) until a row's identity is
/// needed (``primaryKey(of:)``): a catalog query of `pg_index` or `pg_constraint` costs a
/// fresh session as much as the read itself, and a one-off read never needs it.
///
/// Types are spelled as `format_type` spells them, here for built-in types; the server spells
/// the others in one more query. A column of a domain is described by its base type, as its
/// values come. Nullability, defaults, identity and generation are read with the whole table
/// (``SchemaCatalog/table(_:)``). A name this does not resolve to a table, view, materialized
/// view, partitioned or foreign table outside the system schemas lists nothing, and the caller
/// falls back to ``listTables(named:)``, which says why.
extension PostgresIntrospector {
    public func listAndReflectForQuerying(named name: TableName) throws -> (listed: [TableSummary], tables: [Table]) {
        // A qualified name is listed instead: `to_regclass` raises an error (and so fails the
        // transaction around it) for a schema the user may not use.
        guard name.schema == nil else { return (try listTables(named: name.name), []) }
        // Each candidate spelling quoted, as `to_regclass` reads a name: the exact one first.
        let quoted = Dialect.postgres.forceQuoteIdentifier
        let candidates: [Value] = [.text(quoted(name.name)), .text(quoted(name.name.lowercased()))]
        let rows = try connection.catalogRows(Self.resolveQuery, candidates)
        guard let row = rows.first, let summary = try Self.resolved(row) else { return ([], []) }
        let described = try connection.describe("SELECT * FROM " + summary.name.sql(in: .postgres))
        var table = Table(name: summary.name, kind: summary.kind, columns: try columns(described))
        table.isComplete = false
        table.primaryKeyIsUnread = summary.kind.storesRows
        return ([summary], [table])
    }

    /// The primary key, by the table's OID.
    public func primaryKey(of table: TableSummary) throws -> PrimaryKey? {
        guard let oid = table.oid else { return nil }
        let row = try connection.catalogRows(Self.primaryKeysQuery, [.array([.integer(Int64(oid))])]).first
        return try row.map { PrimaryKey(name: try $0.string(2), columns: try $0.strings(4)) }
    }

    /// The relation's OID, schema, name, kind, whether it is partitioned, whether `search_path`
    /// makes it visible, and this session's temp schema, for the first of the two spellings
    /// that names a relation. `pg_identify_object` quotes the schema and the name where they
    /// must be quoted, as `regnamespace` does.
    private static let resolveQuery = """
        SELECT r::oid::int8, o.schema, o.name, o.type, pg_get_partkeydef(r) IS NOT NULL,
            pg_table_is_visible(r), pg_my_temp_schema()::regnamespace::text
        FROM COALESCE(to_regclass($1), to_regclass($2)) AS r, pg_identify_object('pg_class'::regclass, r, 0) AS o
        """

    /// The listing entry of a resolved relation; nil when nothing was found, or something soup
    /// does not list (an index, a sequence, a system catalog).
    private static func resolved(_ row: CatalogRow) throws -> TableSummary? {
        guard let oid = row.optionalInt(0) else { return nil }
        let schema = unquoted(try row.string(1))
        let kind: TableKind
        switch try row.string(3) {
        case "table": kind = try row.bool(4) ? .partitionedTable : .table
        case "view": kind = .view
        case "materialized view": kind = .materializedView
        case "foreign table": kind = .foreignTable
        default: return nil
        }
        let isOwnTempSchema = schema == row.optionalString(6).map(unquoted)
        guard schema != "information_schema", !schema.hasPrefix("pg_") || isOwnTempSchema else { return nil }
        return TableSummary(
            name: TableName(unquoted(try row.string(2)), schema: schema), kind: kind, searchRank: try row.bool(5) ? 0 : nil,
            oid: oid)
    }

    /// The table's columns from its described `SELECT *`.
    private func columns(_ described: [DescribedColumn]) throws -> [Column] {
        var spelled = described.map { Self.formatType($0) }
        let unspelled = spelled.indices.filter { spelled[$0] == nil }
        if !unspelled.isEmpty {
            // Types that are not built in (enums, extensions' types), spelled by the server:
            // qualified when their schema is not on the search path, quoted when they must be.
            let oids = Value.array(unspelled.map { .integer(Int64(described[$0].typeOID)) })
            let modifiers = Value.array(unspelled.map { .integer(Int64(described[$0].typeModifier)) })
            let rows = try connection.catalogRows(
                "SELECT format_type(t, m) FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS u(t, m, n) ORDER BY n",
                [oids, modifiers])
            for (index, row) in zip(unspelled, rows) { spelled[index] = try row.string(0) }
        }
        return try described.enumerated().map { position, column in
            guard let declared = spelled[position] else {
                throw SchemaError.unexpectedCatalogRow("no type name for column \(column.name)")
            }
            return Column(
                name: column.name, position: position + 1, declaredType: declared,
                type: NormalizedType(declared: declared, engine: .postgres), isNullable: true)
        }
    }

    /// A built-in type as `format_type` spells it with a modifier; nil for a type that is not
    /// built in, and for an interval with a modifier (its fields), which the server spells.
    private static func formatType(_ column: DescribedColumn) -> String? {
        guard column.typeOID < 16384, !column.typeName.hasPrefix("oid ") else { return nil }
        if column.typeName.hasPrefix("_") {
            var element = column
            element.typeName.removeFirst()
            element.typeOID = 0
            return formatType(element).map { $0 + "[]" }
        }
        let modifier = column.typeModifier
        func precision(_ base: String, _ zone: String) -> String {
            (modifier >= 0 ? "\(base)(\(modifier))" : base) + zone
        }
        switch column.typeName {
        case "bool": return "boolean"
        case "char": return "\"char\""
        case "int2": return "smallint"
        case "int4": return "integer"
        case "int8": return "bigint"
        case "float4": return "real"
        case "float8": return "double precision"
        case "bpchar": return modifier >= 4 ? "character(\(modifier - 4))" : "bpchar"
        case "varchar": return modifier >= 4 ? "character varying(\(modifier - 4))" : "character varying"
        // Without a modifier `bit` would read as bit(1): format_type quotes it.
        case "bit": return modifier >= 0 ? "bit(\(modifier))" : "\"bit\""
        case "varbit": return modifier >= 0 ? "bit varying(\(modifier))" : "bit varying"
        case "numeric":
            guard modifier >= 4 else { return "numeric" }
            let packed = modifier - 4
            // The scale is 11 bits, signed since PostgreSQL 15.
            return "numeric(\((packed >> 16) & 0xFFFF),\(((packed & 0x7FF) ^ 1024) - 1024))"
        case "time": return precision("time", " without time zone")
        case "timetz": return precision("time", " with time zone")
        case "timestamp": return precision("timestamp", " without time zone")
        case "timestamptz": return precision("timestamp", " with time zone")
        case "interval": return modifier >= 0 ? nil : "interval"
        default: return column.typeName
        }
    }
}

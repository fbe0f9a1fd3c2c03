import SoupDriver

/// Reflects PostgreSQL schemas from `pg_catalog`.
///
/// A batch of tables, however many and however wide, costs seven small queries, sent together in
/// one round trip (``Connection/fetchBatch(_:)``): relations (kind, row estimate, view
/// definition), columns, defaults, comments, constraints (primary keys, UNIQUE, foreign keys in
/// both directions), indexes and the names of index access methods. They select the batch by
/// the OIDs the listing read (`= ANY($1::oid[])`), never one query per table or column. Read
/// for querying (``reflectForQuerying(_:)``), a batch costs four: relations, columns, defaults
/// and primary keys. A first use by name reads less still (``listAndReflectForQuerying(named:)``,
/// in PostgresIntrospector+FirstUse.swift). The listing marks the relations that `search_path`
/// makes visible (`pg_table_is_visible`), so unqualified names resolve as the server resolves them.
///
/// On a fresh backend, planning a join of catalogs costs more than another small query in the
/// same round trip, so each query reads one or two catalogs, and schema names are read with
/// `regnamespace` (a cache lookup) rather than by joining `pg_namespace`.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/current/catalogs.html>
public struct PostgresIntrospector: SchemaIntrospector {
    public let connection: any Connection

    /// Creates an introspector that reads through `connection`.
    public init(connection: any Connection) {
        self.connection = connection
    }

    public func listTables() throws -> [TableSummary] {
        let rows = try connection.catalogRows(
            """
            SELECT n.nspname::text, c.relname::text, c.relkind::text, pg_table_is_visible(c.oid), c.oid::int8
            FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
                AND n.nspname <> 'information_schema'
                AND (n.nspname NOT LIKE 'pg\\_%' OR n.oid = pg_my_temp_schema())
            ORDER BY 1, 2
            """)
        return try rows.map { try Self.summary($0, schema: try $0.string(0)) }
    }

    /// The relations named exactly `name` or its lowercased spelling, through pg_class's name index.
    public func listTables(named name: String) throws -> [TableSummary] {
        try Self.listed(try connection.catalogRows(Self.namedQuery, [.text(name), .text(name.lowercased())]))
    }

    private static let namedQuery = """
        SELECT c.relnamespace::regnamespace::text, c.relname::text, c.relkind::text, pg_table_is_visible(c.oid),
            c.oid::int8, c.relnamespace = pg_my_temp_schema()
        FROM pg_class AS c
        WHERE c.relname IN ($1::name, $2::name) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
        """

    /// Listing rows of ``namedQuery``, in the schemas the full listing covers.
    private static func listed(_ rows: [CatalogRow]) throws -> [TableSummary] {
        var listed: [TableSummary] = []
        for row in rows {
            // The same schemas as the full listing: no system catalogs, but this session's temp schema.
            let schema = Self.unquoted(try row.string(0))
            let isOwnTempSchema = try row.bool(5)
            guard schema != "information_schema", !schema.hasPrefix("pg_") || isOwnTempSchema else { continue }
            listed.append(try Self.summary(row, schema: schema))
        }
        return listed
    }

    /// A listing row: (schema, name, relkind, visible, OID).
    private static func summary(_ row: CatalogRow, schema: String) throws -> TableSummary {
        TableSummary(
            name: TableName(try row.string(1), schema: schema), kind: try kind(try row.string(2)),
            searchRank: try row.bool(3) ? 0 : nil, oid: try row.int(4))
    }

    /// A name as `regnamespace` prints it (quoted when it must be, as `quote_ident` does), unquoted.
    /// Read by Unicode scalars: a quote followed by a combining mark is one `Character`.
    static func unquoted(_ identifier: String) -> String {
        let scalars = Array(identifier.unicodeScalars)
        guard scalars.count >= 2, scalars[0] == "\"", scalars[scalars.count - 1] == "\"" else { return identifier }
        var name = String.UnicodeScalarView()
        var index = 1
        while index < scalars.count - 1 {
            name.append(scalars[index])
            index += scalars[index] == "\"" ? 2 : 1  // a doubled quote stands for one
        }
        return String(name)
    }

    /// Tables listed without an OID (not by this introspector) are left out, as vanished ones are.
    public func reflect(_ tables: [TableSummary]) throws -> [Table] {
        try reflect(tables, complete: true)
    }

    /// Relations, columns, defaults and primary keys: four of the seven queries, and the
    /// cheapest (no scan of pg_constraint for incoming foreign keys, no indexes).
    public func reflectForQuerying(_ tables: [TableSummary]) throws -> [Table] {
        try reflect(tables, complete: false)
    }

    /// Relations, columns, defaults and primary keys: what querying needs.
    private static let queryingQueries = [relationsQuery, columnsQuery, defaultsQuery, primaryKeysQuery]

    private func reflect(_ tables: [TableSummary], complete: Bool) throws -> [Table] {
        let oids = tables.compactMap(\.oid)
        guard !oids.isEmpty else { return [] }
        let batch: [Value] = [.array(oids.map { .integer(Int64($0)) })]
        let queries = complete
            ? [Self.relationsQuery, Self.columnsQuery, Self.defaultsQuery, Self.commentsQuery, Self.constraintsQuery, Self.indexesQuery]
            : Self.queryingQueries
        let results = try connection.fetchBatch(
            queries.map { BoundStatement($0, batch) } + (complete ? [BoundStatement(Self.accessMethodsQuery)] : [])
        ).map { $0.map(CatalogRow.init) }
        let reflected = try Self.tables(from: results, complete: complete)
        return oids.compactMap { oid in reflected.first { $0.oid == oid }?.table }
    }

    /// The tables the results of the reflection queries describe (those of
    /// ``queryingQueries``, or of all seven when `complete`), with their OIDs.
    private static func tables(from results: [[CatalogRow]], complete: Bool) throws -> [(oid: Int, table: Table)] {
        var defaults: [Int: String] = [:]
        for row in results[2] { defaults[columnKey(try row.int(0), try row.int(1))] = row.optionalString(2) }
        var comments: [Int: String] = [:]
        if complete {
            for row in results[3] { comments[columnKey(try row.int(0), try row.int(1))] = row.optionalString(2) }
        }
        var reflected: [Int: Table] = [:]
        for row in results[0] {
            let oid = try row.int(0)
            var table = Table(
                name: TableName(try row.string(2), schema: Self.unquoted(try row.string(1))),
                kind: try Self.kind(try row.string(3)), columns: [], comment: comments[columnKey(oid, 0)])
            if complete {
                table.estimatedRowCount = row.optionalInt(4)
                table.viewDefinition = row.optionalString(5)?.trimmingSpaces()
            }
            table.isComplete = complete
            reflected[oid] = table
        }
        var columnNames: [Int: String] = [:]
        for row in results[1] {
            let table = try row.int(0)
            let key = columnKey(table, try row.int(5))
            let position = (reflected[table]?.columns.count ?? 0) + 1
            reflected[table]?.columns.append(
                try Self.column(row, position: position, expression: defaults[key], comment: comments[key]))
            columnNames[key] = try row.string(1)
        }
        guard complete else {
            for row in results[3] { try Self.addConstraint(row, to: &reflected) }
            return reflected.map { ($0.key, $0.value) }
        }
        var uniqueConstraintIndexes: Set<Int> = []
        for row in results[4] {
            try Self.addConstraint(row, to: &reflected)
            if try row.string(3) == "u" { uniqueConstraintIndexes.insert(try row.int(8)) }
        }
        var methods: [Int: String] = [:]
        for row in results[6] { methods[try row.int(0)] = try row.string(1) }
        for row in results[5] {
            reflected[try row.int(0)]?.indexes.append(
                try Self.index(
                    row, columnNames: columnNames, methods: methods,
                    backsUniqueConstraint: uniqueConstraintIndexes.contains(try row.int(1))))
        }
        for oid in reflected.keys {
            reflected[oid]?.referencedBy.sort(by: Self.precedes)
            reflected[oid]?.indexes.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        return reflected.map { ($0.key, $0.value) }
    }

    /// A column of a table by number, or the table itself (number 0), as pg_description keys
    /// them. An `Int` (column numbers stay below 2^16): the first dictionary keyed by a type of its
    /// own costs a scan of every protocol conformance in the binary, at every first use.
    private static func columnKey(_ table: Int, _ number: Int) -> Int {
        table << 16 | number
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

    private static func column(_ row: CatalogRow, position: Int, expression: String?, comment: String?) throws -> Column {
        let declared = try row.string(2)
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
            identity: identity, comment: comment)
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
                return TableName(outside[1], schema: unquoted(outside[0]))
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

    private static func index(
        _ row: CatalogRow, columnNames: [Int: String], methods: [Int: String], backsUniqueConstraint: Bool
    ) throws -> Index {
        let table = try row.int(0)
        // indkey holds each key's column number (0 for an expression), then the INCLUDE columns.
        let numbers = try row.string(7).split(separator: " ").prefix(try row.int(8))
        var expressions = try row.strings(9).makeIterator()
        let keys = try numbers.map { text -> Index.Key in
            guard let number = Int(text) else { throw SchemaError.unexpectedCatalogRow("index key \(text)") }
            if number == 0, let expression = expressions.next() { return .expression(expression) }
            guard let name = columnNames[columnKey(table, number)] else {
                throw SchemaError.unexpectedCatalogRow("no column \(number) in table \(table)")
            }
            return .column(name)
        }
        let origin: Index.Origin = try row.bool(4) ? .primaryKey : (backsUniqueConstraint ? .uniqueConstraint : .index)
        return Index(
            name: try row.string(2), keys: keys, isUnique: try row.bool(3), origin: origin,
            predicate: row.optionalString(6), method: methods[try row.int(5)])
    }

    // MARK: - Queries

    // Each query but the last takes the batch's OIDs as $1.

    private static let relationsQuery = """
        SELECT c.oid::int8, c.relnamespace::regnamespace::text, c.relname::text, c.relkind::text,
            CASE WHEN c.relkind IN ('r', 'm', 'p', 'f') AND c.reltuples >= 0 THEN c.reltuples::int8 END,
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END
        FROM pg_class AS c
        WHERE c.oid = ANY($1::oid[])
        """

    private static let columnsQuery = """
        SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod),
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
            a.attnotnull, a.attnum::int8, a.attidentity::text, a.attgenerated::text
        FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
        WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum
        """

    /// Column defaults, and the expressions of generated columns.
    private static let defaultsQuery =
        "SELECT adrelid::int8, adnum::int8, pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = ANY($1::oid[])"

    /// Comments on the tables (column 0) and their columns.
    private static let commentsQuery = """
        SELECT objoid::int8, objsubid::int8, description FROM pg_description
        WHERE objoid = ANY($1::oid[]) AND classoid = 'pg_class'::regclass
        """

    /// Primary keys and UNIQUE constraints of the batch; foreign keys of the batch (owned) and
    /// foreign keys that reference it (incoming; on partitions only the parent's key counts).
    /// Only the table at the far end, when it is outside the batch, is looked up by name: a
    /// join of pg_class for every constraint costs more to plan.
    private static let constraintsQuery = """
        SELECT con.conrelid::int8, con.confrelid::int8, con.conname::text, con.contype::text,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
                JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
                JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
            con.confupdtype::text, con.confdeltype::text, con.conindid::int8,
            con.conrelid = ANY($1::oid[]),
            con.contype = 'f' AND con.conparentid = 0 AND con.confrelid = ANY($1::oid[]),
            (SELECT ARRAY[c.relnamespace::regnamespace::text, c.relname::text] FROM pg_class AS c
                WHERE c.oid = CASE WHEN con.conrelid = ANY($1::oid[]) THEN con.confrelid ELSE con.conrelid END)
        FROM pg_constraint AS con
        WHERE (con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f'))
            OR (con.contype = 'f' AND con.conparentid = 0 AND con.confrelid = ANY($1::oid[]))
        ORDER BY con.conname
        """

    /// Primary keys only, for querying: rows laid out as ``constraintsQuery``'s first five
    /// columns (with no referenced table), through pg_constraint's index on `conrelid`.
    static let primaryKeysQuery = """
        SELECT con.conrelid::int8, 0::int8, con.conname::text, con.contype::text,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
                JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord)
        FROM pg_constraint AS con
        WHERE con.conrelid = ANY($1::oid[]) AND con.contype = 'p'
        """

    /// Keys come as column numbers; expressions, in key order, as SQL. Whether an index backs a
    /// UNIQUE constraint comes from the constraints query, its method's name from the next one.
    private static let indexesQuery = """
        SELECT i.indrelid::int8, i.indexrelid::int8, ic.relname::text, i.indisunique, i.indisprimary,
            ic.relam::int8, pg_get_expr(i.indpred, i.indrelid, true), i.indkey::text, i.indnkeyatts::int8,
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k
                WHERE i.indkey[k - 1] = 0 ORDER BY k)
        FROM pg_index AS i JOIN pg_class AS ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = ANY($1::oid[])
        """

    private static let accessMethodsQuery = "SELECT oid::int8, amname::text FROM pg_am"
}

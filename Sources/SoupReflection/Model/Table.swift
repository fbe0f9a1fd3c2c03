/// What kind of relation a table-like object is.
public enum TableKind: String, Hashable, Sendable, CaseIterable {
    case table
    case view
    /// A PostgreSQL materialized view.
    case materializedView = "materialized_view"
    /// A PostgreSQL partitioned table (its partitions are tables of their own).
    case partitionedTable = "partitioned_table"
    /// A PostgreSQL foreign table.
    case foreignTable = "foreign_table"
    /// A SQLite virtual table (FTS5, R*Tree, …).
    case virtualTable = "virtual_table"

    /// How psql names the kind: `table`, `materialized view`.
    public var displayName: String { rawValue.replacing("_", with: " ") }

    /// Whether rows live in the object itself, so it can be written to through a key.
    public var storesRows: Bool {
        switch self {
        case .table, .partitionedTable, .foreignTable, .virtualTable: return true
        case .view, .materializedView: return false
        }
    }
}

/// A table or view as listed, before it is reflected: one row of `soup tables`.
public struct TableSummary: Hashable, Sendable {
    /// The schema-qualified name.
    public var name: TableName
    /// Table, view, materialized view, …
    public var kind: TableKind
    /// Where an unqualified name finds this table, lowest first: SQLite searches `temp`, then
    /// `main`, then attached databases in the order attached; on PostgreSQL only the table that
    /// `search_path` makes visible has a rank (0). `nil`: reachable only by its qualified name.
    public var searchRank: Int?
    /// The relation's OID on PostgreSQL, which reflection selects it by; `nil` on SQLite.
    public var oid: Int?

    /// Creates a listing entry.
    public init(name: TableName, kind: TableKind, searchRank: Int?, oid: Int? = nil) {
        self.name = name
        self.kind = kind
        self.searchRank = searchRank
        self.oid = oid
    }
}

/// A reflected table, view or materialized view: everything soup knows about its shape.
///
/// Reflection is read from the live catalog (SQLite pragmas, PostgreSQL `pg_catalog`) through a
/// ``SchemaIntrospector``; ``SchemaCatalog`` caches tables per schema-qualified name.
public struct Table: Hashable, Sendable {
    /// How a row of the table is identified, for reading back and editing single rows.
    public enum RowIdentity: Hashable, Sendable {
        /// By the primary key's columns.
        case primaryKey([String])
        /// By SQLite's hidden `rowid` (a rowid table without a primary key).
        case rowid
        /// Not at all: a view, or a table without a primary key and without a rowid.
        case none
    }

    /// The schema-qualified name, spelled as the database stores it.
    public var name: TableName
    /// Table, view, materialized view, …
    public var kind: TableKind
    /// The columns in table order.
    public var columns: [Column]
    /// The primary key, or `nil` (views, and tables declared without one).
    public var primaryKey: PrimaryKey?
    /// Whether the table has SQLite's hidden rowid (every SQLite table not declared
    /// `WITHOUT ROWID`, with or without a primary key); always `false` on PostgreSQL.
    public var hasRowID: Bool
    /// This table's own foreign keys.
    public var foreignKeys: [ForeignKey]
    /// Foreign keys of other tables (and self-references) that point at this table.
    public var referencedBy: [IncomingForeignKey]
    /// UNIQUE constraints (unique indexes created on their own are in ``indexes`` only).
    public var uniqueConstraints: [UniqueConstraint]
    /// Every index, including those that back the primary key and UNIQUE constraints.
    public var indexes: [Index]
    /// `COMMENT ON TABLE` text (PostgreSQL).
    public var comment: String?
    /// The planner's estimate of the row count (PostgreSQL `reltuples`, SQLite `sqlite_stat1`);
    /// `nil` when the database has none (never analysed, or a view).
    public var estimatedRowCount: Int?
    /// The defining query of a view or materialized view.
    public var viewDefinition: String?
    /// Whether every part above was read. `false` for a table reflected for querying only
    /// (``SchemaCatalog/tableForQuerying(_:)``): its name, kind, columns, primary key and rowid
    /// are read, but not comments, the expressions of SQLite's generated columns, foreign keys
    /// (either way), unique constraints, indexes, row estimates or view definitions, which stay
    /// empty until ``SchemaCatalog/table(_:)`` reads the table whole. On PostgreSQL a table
    /// first used by name is read from the description of its `SELECT *`
    /// (PostgresIntrospector+FirstUse.swift): its columns have their names, positions and types
    /// (a domain's column its base type), every column reads as nullable with no default,
    /// identity or generation, and the primary key is left unread (``primaryKeyIsUnread``).
    public var isComplete = true
    /// Whether ``primaryKey`` is still to be read (``SchemaCatalog/primaryKey(of:)``): a table
    /// first used by name on PostgreSQL leaves it for when a row's identity is needed, which a
    /// one-off read never does; planning the catalog query for it costs as much as the read.
    public var primaryKeyIsUnread = false
    /// Why the table could not be read, as the database said it; nil when it was read. A
    /// SQLite view whose query names a table dropped since (SQLite allows that) fails to
    /// reflect: it is kept, by name and kind with this message and nothing else, so the other
    /// tables can still be described.
    public var reflectionError: String?

    /// Creates a table description.
    public init(
        name: TableName, kind: TableKind, columns: [Column], primaryKey: PrimaryKey? = nil,
        hasRowID: Bool = false, foreignKeys: [ForeignKey] = [], referencedBy: [IncomingForeignKey] = [],
        uniqueConstraints: [UniqueConstraint] = [], indexes: [Index] = [], comment: String? = nil,
        estimatedRowCount: Int? = nil, viewDefinition: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.columns = columns
        self.primaryKey = primaryKey
        self.hasRowID = hasRowID
        self.foreignKeys = foreignKeys
        self.referencedBy = referencedBy
        self.uniqueConstraints = uniqueConstraints
        self.indexes = indexes
        self.comment = comment
        self.estimatedRowCount = estimatedRowCount
        self.viewDefinition = viewDefinition
    }

    /// The column named `name` (exact spelling first, then ignoring case).
    public func column(named name: String) -> Column? {
        columns.first { $0.name == name } ?? columns.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The column names in table order.
    public var columnNames: [String] { columns.map(\.name) }

    /// How rows are identified: the primary key, else SQLite's rowid, else not at all.
    public var rowIdentity: RowIdentity {
        if let primaryKey, !primaryKey.columns.isEmpty { return .primaryKey(primaryKey.columns) }
        return hasRowID ? .rowid : .none
    }

    /// The columns that take part in the primary key or a foreign key, in table order: what the
    /// diagrams draw.
    public var keyColumns: [Column] {
        let keyed = Set((primaryKey?.columns ?? []) + foreignKeys.flatMap(\.columns))
        return columns.filter { keyed.contains($0.name) }
    }
}

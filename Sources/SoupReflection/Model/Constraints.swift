/// A table's primary key.
public struct PrimaryKey: Hashable, Sendable {
    /// The constraint's name (PostgreSQL); `nil` on SQLite, which does not report one.
    public var name: String?
    /// The key's columns, in key order.
    public var columns: [String]

    /// Creates a primary key over `columns`.
    public init(name: String? = nil, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// A UNIQUE constraint (not a unique index created on its own).
public struct UniqueConstraint: Hashable, Sendable {
    /// The constraint's name (PostgreSQL) or its backing index (SQLite, `sqlite_autoindex_…`).
    public var name: String?
    /// The constrained columns, in constraint order.
    public var columns: [String]

    /// Creates a UNIQUE constraint over `columns`.
    public init(name: String? = nil, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// What happens to referencing rows when a referenced key is deleted or updated.
public enum ReferentialAction: String, Hashable, Sendable, CaseIterable {
    case noAction = "no action"
    case restrict
    case cascade
    case setNull = "set null"
    case setDefault = "set default"

    /// The SQL spelling: `NO ACTION`, `SET NULL`.
    public var sql: String { rawValue.uppercased() }
}

/// A foreign key of a table (possibly composite, possibly referencing its own table).
public struct ForeignKey: Hashable, Sendable {
    /// The constraint's name (PostgreSQL); `nil` on SQLite.
    public var name: String?
    /// The referencing columns of this table, in key order.
    public var columns: [String]
    /// The referenced table, schema-qualified.
    public var referencedTable: TableName
    /// The referenced columns, paired with ``columns``.
    public var referencedColumns: [String]
    /// What an update of the referenced key does to referencing rows.
    public var onUpdate: ReferentialAction
    /// What a delete of the referenced row does to referencing rows.
    public var onDelete: ReferentialAction

    /// Creates a foreign key.
    public init(
        name: String? = nil, columns: [String], referencedTable: TableName, referencedColumns: [String],
        onUpdate: ReferentialAction = .noAction, onDelete: ReferentialAction = .noAction
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }
}

/// A foreign key of another table (or of the same one) that references a table: an entry of
/// psql's "Referenced by".
public struct IncomingForeignKey: Hashable, Sendable {
    /// The referencing table.
    public var table: TableName
    /// The foreign key, as that table declares it.
    public var foreignKey: ForeignKey

    /// Pairs a foreign key with the table that declares it.
    public init(table: TableName, foreignKey: ForeignKey) {
        self.table = table
        self.foreignKey = foreignKey
    }
}

/// An index of a table: one created by CREATE INDEX, or one backing a constraint.
public struct Index: Hashable, Sendable {
    /// One key of an index.
    public enum Key: Hashable, Sendable {
        /// A plain column.
        case column(String)
        /// An expression, as SQL text (`lower(email)`).
        case expression(String)
    }

    /// Why the index exists.
    public enum Origin: String, Hashable, Sendable {
        /// CREATE INDEX.
        case index
        /// A UNIQUE constraint.
        case uniqueConstraint = "unique_constraint"
        /// The PRIMARY KEY.
        case primaryKey = "primary_key"
    }

    /// The index name.
    public var name: String
    /// The indexed columns and expressions, in index order.
    public var keys: [Key]
    /// Whether the index enforces uniqueness.
    public var isUnique: Bool
    /// Why the index exists.
    public var origin: Origin
    /// The WHERE clause of a partial index, as SQL text.
    public var predicate: String?
    /// The access method (`btree`, `gin`) on PostgreSQL; `nil` on SQLite.
    public var method: String?

    /// Creates an index description.
    public init(
        name: String, keys: [Key], isUnique: Bool, origin: Origin = .index, predicate: String? = nil,
        method: String? = nil
    ) {
        self.name = name
        self.keys = keys
        self.isUnique = isUnique
        self.origin = origin
        self.predicate = predicate
        self.method = method
    }
}

extension Index {
    /// The indexed columns, or `nil` when a key is an expression.
    public var columnNames: [String]? {
        var names: [String] = []
        for key in keys {
            guard case .column(let name) = key else { return nil }
            names.append(name)
        }
        return names
    }
}

extension Index.Key {
    /// The key as SQL: a column name (quoted when needed by the caller) or the expression.
    public var text: String {
        switch self {
        case .column(let name), .expression(let name): return name
        }
    }
}

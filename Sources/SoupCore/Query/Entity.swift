import SoupDriver
import SoupReflection

/// A mapped selectable: a reflected table or view, or a join, select or text mapped with
/// `db.map`/`db.join`/`db.with_labels`. SQLSoup's mapped class.
///
/// An entity knows its columns in table order, how to read them in SQL, and its identity (the
/// primary key, or SQLite's rowid). Entities without an identity are read-only.
public final class Entity {
    /// One attribute of the entity, and the SQL that reads it.
    public struct Attribute: Hashable, Sendable {
        /// The attribute name (`users.name`), unique within the entity.
        public var name: String
        /// How a SELECT reads it, qualified by the entity's FROM alias.
        public var expression: SQLExpression
        /// The database column behind it, for tables.
        public var column: Column?
        /// The table and column it reads, when it reads one: lets joins of derived entities
        /// find their ON clause from the tables' foreign keys.
        public var origin: Origin?

        public struct Origin: Hashable, Sendable {
            public var table: TableName
            public var column: String
        }
    }

    /// What the entity reads from.
    public enum Source {
        case table(Table)
        /// A derived selectable (a join, a select, text) under an alias.
        case selectable(FromItem)
    }

    /// The name users type: the table name, or the `attrname` of `map_to`.
    public let name: String
    /// What the entity reads from; a table read for querying is replaced by its complete
    /// reflection the first time something needs more (``Soup/completeTable(of:)``).
    public internal(set) var source: Source
    public let attributes: [Attribute]
    /// Attribute names that identify a row; empty when the entity has no identity. Asked only
    /// once it is read (``isIdentityPending``).
    public var identity: [String] {
        assert(!isIdentityPending, "the identity of '\(name)' was asked before it was read")
        return settledIdentity
    }
    private var settledIdentity: [String]
    /// Whether the identity is SQLite's hidden rowid (not one of ``attributes``).
    public let usesRowID: Bool
    /// The index of each identity attribute in ``attributes``; read for every row a flush writes.
    var identityIndexes: [Int] {
        assert(!isIdentityPending, "the identity of '\(name)' was asked before it was read")
        return settledIdentityIndexes
    }
    private var settledIdentityIndexes: [Int]
    /// Whether the table's primary key is still to be read (``Table/primaryKeyIsUnread``): the
    /// first read of a table used by name on PostgreSQL does not wait for it, and its rows wait
    /// in the session, unmapped, until ``Soup/settled(_:)`` reads it. Whatever else needs the
    /// identity settles it first (in debug builds, asking ``identity`` before traps).
    private(set) var isIdentityPending = false
    /// Whether rows were read while ``isIdentityPending``: the next read reads the identity
    /// first, to find those rows by it.
    var wasReadBeforeIdentity = false
    /// Relations by name: declared with `relate()`, and those derived from foreign keys once
    /// ``Soup/relations(of:)`` has read the table whole (ask it, not this, for every relation).
    public internal(set) var relations: [String: Relation] = [:]
    /// Whether the relations that foreign keys imply were added to ``relations``.
    var derivedRelations = false

    init(name: String, source: Source, attributes: [Attribute], identity: [String], usesRowID: Bool = false) {
        self.name = name
        self.source = source
        self.attributes = attributes
        settledIdentity = identity
        self.usesRowID = usesRowID
        settledIdentityIndexes = identity.compactMap { key in attributes.firstIndex { $0.name == key } }
    }

    /// An entity for a reflected table or view.
    convenience init(table: Table, name: String? = nil, identityOverride: [String]? = nil) {
        let qualifier = table.name.name
        let attributes = table.columns.map { column in
            Attribute(
                name: column.name, expression: .column(qualifier: qualifier, name: column.name), column: column,
                origin: .init(table: table.name, column: column.name))
        }
        var identity: [String] = []
        var usesRowID = false
        if let identityOverride {
            identity = identityOverride
        } else if table.kind.storesRows {
            if let key = table.primaryKey, !key.columns.isEmpty {
                identity = key.columns
            } else if table.hasRowID {
                usesRowID = true
            }
        }
        self.init(
            name: name ?? table.name.name, source: .table(table), attributes: attributes, identity: identity,
            usesRowID: usesRowID)
        isIdentityPending = identityOverride == nil && table.kind.storesRows && table.primaryKeyIsUnread
    }

    /// Takes the primary key read since the entity was made (``isIdentityPending``).
    func settleIdentity(_ key: PrimaryKey?) {
        guard isIdentityPending else { return }
        isIdentityPending = false
        settledIdentity = key?.columns ?? []
        settledIdentityIndexes = settledIdentity.compactMap { key in attributes.firstIndex { $0.name == key } }
        if case .table(var table) = source {
            table.primaryKey = key
            table.primaryKeyIsUnread = false
            source = .table(table)
        }
    }

    /// The reflected table, when the entity maps one.
    public var table: Table? {
        if case .table(let table) = source { return table }
        return nil
    }

    /// SQLSoup's class name: `Mapped` + the name as Python's `capitalize()` spells it
    /// (`users` → `MappedUsers`, `User_Table` → `MappedUser_table`).
    public var className: String {
        "Mapped" + name.prefix(1).uppercased() + name.dropFirst().lowercased()
    }

    /// Whether inserts, updates and deletes are allowed.
    public var isWritable: Bool {
        table != nil && (!identity.isEmpty || usesRowID) && (table?.kind.storesRows ?? false)
    }

    /// The reason edits are refused, naming the way out.
    var readOnlyReason: String {
        guard let table else {
            return "'\(name)' maps a join or select; only tables can be edited"
        }
        if !table.kind.storesRows {
            return "'\(name)' is a \(table.kind.displayName); only tables can be edited"
        }
        return "table '\(table.name.name)' has no primary key; pass pk=[...] to db.entity to edit it"
    }

    /// What a SELECT of this entity reads from.
    var fromItem: FromItem {
        switch source {
        case .table(let table):
            return .table(schema: table.name.schema, name: table.name.name, alias: nil)
        case .selectable(let item):
            return item
        }
    }

    /// The alias that qualifies this entity's columns.
    var qualifier: String {
        switch source {
        case .table(let table): return table.name.name
        case .selectable(let item):
            switch item {
            case .subquery(_, let alias), .verbatim(_, let alias): return alias
            case .table(_, let name, let alias): return alias ?? name
            case .join: return name
            }
        }
    }

    public func attribute(named name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    /// The attribute that reads `column` of `table`, if the entity has one.
    func attribute(readingColumn column: String, of table: TableName) -> Attribute? {
        attributes.first { $0.origin == .init(table: table, column: column) }
    }

    /// The tables whose columns the entity reads, in order.
    var originTables: [TableName] {
        var tables: [TableName] = []
        for attribute in attributes {
            if let table = attribute.origin?.table, !tables.contains(table) { tables.append(table) }
        }
        return tables
    }
}

/// A relation from one entity's rows to another table's rows: SQLSoup's `relate()`, or derived
/// from a foreign key.
public struct Relation {
    public var name: String
    /// The related table.
    public var target: TableName
    /// Columns of this side and the matching columns of the target.
    public var localColumns: [String]
    public var remoteColumns: [String]
    /// A list (parent to children, `loans`, `employees_collection`) or a single row (child to
    /// parent, `users`, `employees`).
    public var isList: Bool
    /// Extra ordering for list relations.
    public var orderBy: [SQLExpression] = []
    /// Whether deleting a row deletes its related rows (`cascade='all'` or `'delete'`).
    public var cascadesDelete = false
}

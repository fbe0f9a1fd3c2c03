import SoupDriver

/// Reads a database's catalog through plain SQL on a ``Connection``.
///
/// Each engine has one: ``SQLiteIntrospector`` (table-valued pragma functions) and
/// ``PostgresIntrospector`` (`pg_catalog`). Both reflect a batch of tables in a fixed number of
/// queries, however many tables and columns there are; ``SchemaCatalog`` adds caching on top.
public protocol SchemaIntrospector {
    /// The connection the introspector reads through.
    var connection: any Connection { get }

    /// Whether unquoted table names match regardless of case (SQLite); on PostgreSQL an exact
    /// match wins and the lowercased spelling is tried next, as the server folds unquoted names.
    var namesIgnoreCase: Bool { get }

    /// Every user table, view, materialized view and partitioned table, in one query, without
    /// reflecting any of them. System catalogs (`pg_catalog`, `information_schema`,
    /// `sqlite_schema`, `sqlite_stat1`, FTS shadow tables) are left out.
    func listTables() throws -> [TableSummary]

    /// The listed tables that a requested `name` may resolve to, in one query that does not
    /// walk the whole catalog: those whose name the engine itself matches with it (SQLite:
    /// ignoring ASCII case; PostgreSQL: exactly, or its lowercased spelling).
    func listTables(named name: String) throws -> [TableSummary]

    /// What a first use of `name` needs, in fewer queries than listing it and reading it for
    /// querying one after the other, where the engine allows: the listed table it resolves to,
    /// read for querying (PostgreSQL: see PostgresIntrospector+FirstUse.swift). Empty lists say
    /// only that this way found nothing; the caller then lists the name (``listTables(named:)``).
    /// The default lists the tables of that name and leaves the reading to the caller.
    func listAndReflectForQuerying(named name: TableName) throws -> (listed: [TableSummary], tables: [Table])

    /// The primary key of `table`, for a table read with ``Table/primaryKeyIsUnread``; the
    /// default reads the table for querying.
    func primaryKey(of table: TableSummary) throws -> PrimaryKey?

    /// Reflects `tables` (as listed by ``listTables()``) in a constant number of queries.
    ///
    /// Tables that vanished since they were listed are left out of the result.
    func reflect(_ tables: [TableSummary]) throws -> [Table]

    /// Reflects what querying `tables` needs (see ``Table/isComplete``), in fewer and cheaper
    /// queries than ``reflect(_:)``; still a constant number of them.
    func reflectForQuerying(_ tables: [TableSummary]) throws -> [Table]

    /// A token that changes whenever the schema may have changed, or `nil` when the engine has
    /// no cheap way to tell (then only an explicit refresh drops cached tables).
    func schemaVersion() throws -> String?
}

extension SchemaIntrospector {
    public var namesIgnoreCase: Bool { false }
    public func schemaVersion() throws -> String? { nil }
    public func listTables(named name: String) throws -> [TableSummary] { try listTables() }
    public func reflectForQuerying(_ tables: [TableSummary]) throws -> [Table] { try reflect(tables) }
    public func primaryKey(of table: TableSummary) throws -> PrimaryKey? { try reflectForQuerying([table]).first?.primaryKey }
    public func listAndReflectForQuerying(named name: TableName) throws -> (listed: [TableSummary], tables: [Table]) {
        (try listTables(named: name.name), [])
    }
}

/// Errors of schema lookups.
public enum SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No table or view of that name; `suggestions` holds the nearest existing names.
    case unknownTable(TableName, suggestions: [String])
    /// The catalog answered with a row soup could not read (a bug, or an unexpected server).
    case unexpectedCatalogRow(String)
    /// The table is listed but cannot be read (see ``Table/reflectionError``).
    case unreadable(TableName, kind: TableKind, reason: String)

    /// `no table 'usres'; did you mean 'users'?`
    public var description: String {
        switch self {
        case .unknownTable(let name, let suggestions):
            return "no table '\(name)'" + NameSuggester.didYouMean(suggestions)
        case .unexpectedCatalogRow(let detail):
            return "unexpected catalog row: \(detail)"
        case .unreadable(let name, let kind, let reason):
            return "\(kind.displayName) '\(name)' cannot be read: \(reason)"
        }
    }
}

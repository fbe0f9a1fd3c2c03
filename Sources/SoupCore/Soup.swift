import SoupDriver
import SoupReflection

/// The soup: SQLSoup's `db` object. It owns the connection, the lazily reflected schema, the
/// entities mapped so far, the session, and the variables of the program that uses it.
public final class Soup {
    public let connection: any Connection
    public let compiler: SQLCompiler
    let catalog: SchemaCatalog
    public internal(set) var session = Session()
    /// Variables assigned by statements (`x = users.first()`).
    public internal(set) var variables: [String: RuntimeValue] = [:]
    /// The default schema for names that are not qualified (`db.schema = 'audit'`).
    public var defaultSchema: String?
    /// INSERT, UPDATE and DELETE statements the session has sent (flushes and bulk writes).
    public internal(set) var writesSent = 0
    /// `--safe-updates`: an UPDATE or DELETE of every row of a table is refused.
    public var refusesUnfilteredWrites = false
    /// Asked before an UPDATE or DELETE of every row of a table runs (the REPL asks the user);
    /// false stops it. Nil: such writes run as written (scripts: there is no one to ask).
    public var confirmUnfilteredWrite: ((UnfilteredWrite) -> Bool)?
    /// Writes sent in the open transaction, for `db.pending()`.
    var sentWrites: [SentWrite] = []
    /// Bulk writes sent in the open transaction and not yet committed (`import: 10,000 rows
    /// into t`), which `db.pending()` lists before the session's statements; a commit or a
    /// rollback clears them (and so does any end of the transaction, a `COMMIT;` in SQL too).
    public var uncommittedBulkWrites: [String] {
        connection.transactionStatus == .idle ? [] : bulkWrites
    }
    private var bulkWrites: [String] = []
    /// In a dry run `commit()` flushes but leaves the transaction open, to be rolled back.
    public var isDryRun = false
    /// The binding the last statement went to, when routing chose among several (a plan says
    /// where it was made).
    public var routeOfLastStatement: () -> String? = { nil }
    /// Server-side cursors declared so far, which numbers the next one's name
    /// (``DeclaredCursorRead``): a name is never used twice on a connection.
    var cursorsDeclared = 0
    /// Where `print(...)` writes.
    public var printLine: (String) -> Void = { print($0) }
    /// Entities by the name they were mapped under.
    var entities: [String: Entity] = [:]
    /// Entities of reflected tables by the table's full name, so every spelling of a table
    /// (`users`, `main.users`) maps to one entity and one identity map.
    private var tableEntities: [TableName: Entity] = [:]

    public init(connection: any Connection) {
        self.connection = connection
        self.compiler = SQLCompiler(dialect: connection.dialect)
        self.catalog = SchemaCatalog(connection: connection)
    }

    public var dialect: Dialect { connection.dialect }

    // MARK: Entities

    /// The entity of table `name`, reflected on first use (SQLSoup's `db.entity`).
    ///
    /// - Parameter identity: attribute names to use as the identity (`pk=[...]`), which makes a
    ///   table without a primary key editable.
    public func entity(named name: String, schema: String? = nil, identity: [String]? = nil) throws -> Entity {
        let key = schema.map { "\($0).\(name)" } ?? name
        if identity == nil, let cached = entities[key] { return cached }
        let table = try catalog.tableForQuerying(TableName(name, schema: schema ?? defaultSchema))
        if let identity {
            for column in identity where table.columns.contains(where: { $0.name == column }) == false {
                throw EvaluationError(
                    "table '\(table.name)' has no column '\(column)'",
                    hint: "its columns are " + table.columns.map(\.name).joined(separator: ", "))
            }
        } else if let known = tableEntities[table.name] {
            // The same table reached under another spelling is the same entity.
            entities[key] = known
            return known
        }
        let entity = Entity(table: table, identityOverride: identity)
        entities[key] = entity
        if identity == nil { tableEntities[table.name] = entity }
        return entity
    }

    /// The entity's table read whole (foreign keys both ways, unique constraints, indexes,
    /// comments), which an entity's first use does not read; nil for an entity mapping no table.
    /// Relations, the flush order and `help` need it.
    func completeTable(of entity: Entity) throws -> Table? {
        guard let table = entity.table else { return nil }
        guard !table.isComplete else { return table }
        let complete = try catalog.table(table.name)
        entity.source = .table(complete)
        if entity.isIdentityPending {
            entity.settleIdentity(complete.primaryKey)
            session.mapUnkeyedRows(of: entity)
        }
        return complete
    }

    /// The entity, with its identity read if its first use left it unread
    /// (``Entity/isIdentityPending``); the rows read since are mapped by it.
    @discardableResult
    func settled(_ entity: Entity) throws -> Entity {
        guard entity.isIdentityPending, let table = entity.table else { return entity }
        entity.settleIdentity(try catalog.primaryKey(of: table.name))
        session.mapUnkeyedRows(of: entity)
        return entity
    }

    /// The entity already mapped under `name`, without asking the catalog.
    func cachedEntity(named name: String) -> Entity? {
        entities[name]
    }

    /// The entity of table or view `name`, or nil when there is none of that name. Mapping it
    /// at once, rather than asking whether it exists first, lets a first use resolve and read
    /// the name together (on PostgreSQL one lookup and one description, not a listing first).
    func entityIfTable(named name: String) throws -> Entity? {
        do {
            return try entity(named: name)
        } catch SchemaError.unknownTable {
            return nil
        }
    }

    /// Whether `name` is a schema (PostgreSQL) or attached database (SQLite) that holds tables.
    func isSchema(_ name: String) throws -> Bool {
        try !catalog.listTables(schema: name).isEmpty
    }

    /// Table and view names as they can be typed (bare when on the search path), without
    /// reflecting any of them.
    public func tableNames() throws -> [String] {
        try catalog.listTables().map { $0.searchRank != nil ? $0.name.name : $0.name.description }
    }

    /// Drops every reflected table and mapped entity, so the next use reflects again.
    public func refreshSchema() {
        catalog.refresh()
        entities.removeAll()
        tableEntities.removeAll()
    }

    /// Drops one table's reflection and the entities mapped on it, so its next use reflects
    /// it again (`\refresh TABLE`).
    public func refreshSchema(table text: String) {
        var name = TableName(parsing: text)
        if name.schema == nil { name.schema = defaultSchema }
        let resolved = try? catalog.resolve(name)
        catalog.refresh(name)
        guard let resolved else { return }
        entities = entities.filter { $0.value.table?.name != resolved.name }
        tableEntities[resolved.name] = nil
    }

    /// Records a bulk write (an import) sent in the open transaction; `db.pending()` shows it
    /// until the transaction ends.
    public func recordBulkWrite(_ summary: String) {
        bulkWrites = uncommittedBulkWrites + [summary]
    }

    func forgetBulkWrites() {
        bulkWrites.removeAll()
    }

    // MARK: Running SQL

    /// Runs a compiled statement after flushing pending changes (autoflush).
    func run(_ compiled: CompiledSQL) throws -> any Cursor {
        try flush()
        return try connection.query(compiled.sql, compiled.parameters)
    }

    /// All rows of an entity query, through the identity map. The first plain read of an entity
    /// whose identity is unread leaves it unread (its rows are mapped once it is read); a join
    /// may repeat a row, and a second read must find the first's rows, so those read it first.
    func rows(of query: Query) throws -> [Row] {
        let entity = query.entity
        if entity.isIdentityPending, !query.joins.isEmpty || entity.wasReadBeforeIdentity { try settled(entity) }
        let cursor = try run(compiler.compile(query.statement))
        var rows: [Row] = []
        while let values = try cursor.next() {
            rows.append(session.load(entity, values: values))
        }
        if entity.isIdentityPending { entity.wasReadBeforeIdentity = true }
        return rows
    }

    /// All records of a `with_entities` query or of raw SQL.
    func records(_ cursor: any Cursor) throws -> [Record] {
        var records: [Record] = []
        while let values = try cursor.next() {
            records.append(Record(columns: cursor.columns, values: values))
        }
        return records
    }

    /// A cursor over what the query returns, streaming, for printing a result set.
    public func cursor(for query: Query) throws -> any RowCursor {
        let cursor = try run(compiler.compile(query.statement))
        guard query.returnsEntities, query.entity.usesRowID else { return cursor }
        return DroppingLastColumnCursor(base: cursor)
    }

    /// Runs raw SQL after flushing pending changes (autoflush); its rows stream.
    public func execute(sql: String, parameters: [Value] = []) throws -> any Cursor {
        try flush()
        let cursor = try connection.query(sql, parameters)
        logSent(sql: sql, parameters: parameters)
        return cursor
    }
}

/// Hides the trailing rowid column that rowid-identity entities select.
private final class DroppingLastColumnCursor: RowCursor {
    let base: any Cursor
    let columns: [ColumnDescription]

    init(base: any Cursor) {
        self.base = base
        self.columns = Array(base.columns.dropLast())
    }

    func next() throws -> [Value]? {
        try base.next().map { Array($0.dropLast()) }
    }
}

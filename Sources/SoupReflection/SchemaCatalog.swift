import SoupDriver

/// The lazy, cached view of a live database's schema.
///
/// Listing tables runs one catalog query and reflects nothing; resolving a name before any
/// listing lists only the tables of that name. A table is reflected the first
/// time it is asked for and then cached per schema-qualified name; asking for several tables at
/// once reflects the uncached ones in one batch. ``tableForQuerying(_:)`` reads only what
/// querying needs, in fewer queries, and ``table(_:)`` reads the rest when it is asked for. ``refresh()`` drops everything. On SQLite the
/// catalog also drops its caches by itself when `PRAGMA schema_version` of any attached
/// database changes (or a database is attached or detached): it checks at every call, which
/// costs two cheap pragma queries. PostgreSQL has no such counter, so there a schema change made
/// elsewhere (or a new `search_path`) shows after ``refresh()``.
///
/// Unqualified names resolve as the server resolves them: on PostgreSQL to the relation that
/// `search_path` makes visible (an exact match first, then the lowercased spelling, which is how
/// the server reads an unquoted name); on SQLite without regard to case, searching `temp`,
/// `main`, then attached databases. An unknown name throws ``SchemaError/unknownTable(_:suggestions:)``
/// with the nearest existing names.
///
/// ```swift
/// let catalog = SchemaCatalog(connection: connection)
/// for summary in try catalog.listTables() { print(summary.name, summary.kind) }
/// let users = try catalog.table(TableName("users"))      // reflected now, cached
/// let again = try catalog.table(TableName("users"))      // no catalog query
/// ```
///
/// A catalog is used from one thread, like its connection.
public final class SchemaCatalog {
    /// The engine-specific reader.
    public let introspector: any SchemaIntrospector
    private var listing: [TableSummary]?
    /// Names resolved without the listing, by the name asked for.
    private var resolutions: [TableName: TableSummary] = [:]
    private var cache: [TableName: Table] = [:]
    private var knownVersion: String?

    /// Creates a catalog over an introspector.
    public init(introspector: any SchemaIntrospector) {
        self.introspector = introspector
    }

    /// Creates a catalog with the introspector for the connection's engine.
    public convenience init(connection: any Connection) {
        switch connection.dialect.engine {
        case .sqlite: self.init(introspector: SQLiteIntrospector(connection: connection))
        case .postgres: self.init(introspector: PostgresIntrospector(connection: connection))
        }
    }

    /// The connection the catalog reads through.
    public var connection: any Connection { introspector.connection }

    /// Whether every table has been listed (and the listing is kept).
    public var isListed: Bool { listing != nil }

    /// The tables that are reflected and cached now.
    public var cachedTables: [TableName] { cache.keys.sorted() }

    /// The exact number of rows of a listed table or view (one `count(*)` query).
    public func rowCount(of name: TableName) throws -> Value? {
        try connection.scalar("SELECT count(*) FROM " + name.sql(in: connection.dialect))
    }

    /// Every table and view (of `schema` only, when given), without reflecting any.
    public func listTables(schema: String? = nil) throws -> [TableSummary] {
        try validate()
        let all = try currentListing()
        guard let schema else { return all }
        return all.filter { $0.name.schema.map { matches($0, schema) != nil } ?? false }
    }

    /// The listed table that `name` resolves to, without reflecting it.
    public func resolve(_ name: TableName) throws -> TableSummary {
        try validate()
        return try resolveListed(name)
    }

    /// The reflected table `name` resolves to; reflected on first use, then cached.
    public func table(_ name: TableName) throws -> Table {
        try tables([name])[0]
    }

    /// The reflected tables, in the order asked; the uncached ones are reflected in one batch.
    public func tables(_ names: [TableName]) throws -> [Table] {
        try validate()
        // Several names are resolved through one listing of everything, so the number of
        // queries stays the same however many are asked for.
        if names.count > 1 { _ = try currentListing() }
        return try reflected(try names.map(resolveListed), complete: true)
    }

    /// The table `name` resolves to, with what querying it needs: the cached table when there
    /// is one (complete or not), else one reflected with fewer and cheaper catalog queries
    /// than ``table(_:)`` runs, and cached as incomplete (see ``Table/isComplete``) until
    /// ``table(_:)`` reads it whole.
    /// A table that cannot be read (``Table/reflectionError``) throws ``SchemaError/unreadable(_:kind:reason:)``.
    public func tableForQuerying(_ name: TableName) throws -> Table {
        try validate()
        if listing == nil, resolutions[resolutionKey(name)] == nil {
            // A first use: list what the name may mean and read it in one go where the engine can.
            let (listed, tables) = try introspector.listAndReflectForQuerying(named: name)
            for table in tables where cache[table.name] == nil { cache[table.name] = table }
            if let found = try bestMatch(for: name, in: listed) { remember(found, as: name) }
        }
        let table = try reflected([try resolveListed(name)], complete: false)[0]
        if let reason = table.reflectionError { throw SchemaError.unreadable(table.name, kind: table.kind, reason: reason) }
        return table
    }

    /// The primary key of table `name`, read now if the table was cached without it
    /// (``Table/primaryKeyIsUnread``), then cached with the table.
    public func primaryKey(of name: TableName) throws -> PrimaryKey? {
        let table = try tableForQuerying(name)
        guard table.primaryKeyIsUnread else { return table.primaryKey }
        let key = try introspector.primaryKey(of: try resolveListed(table.name))
        cache[table.name]?.primaryKey = key
        cache[table.name]?.primaryKeyIsUnread = false
        return key
    }

    /// Every table and view (of `schema` only, when given), reflected in one batch.
    public func allTables(schema: String? = nil) throws -> [Table] {
        try reflected(try listTables(schema: schema), complete: true)
    }

    /// Drops the listing and every cached table.
    public func refresh() {
        listing = nil
        resolutions.removeAll()
        cache.removeAll()
    }

    /// Drops the listing, so that the next one is read again (after DDL), keeping the tables
    /// reflected so far.
    public func forgetListing() {
        listing = nil
        resolutions.removeAll()
    }

    /// Drops one cached table (and the listing, which may have changed with it).
    public func refresh(_ name: TableName) {
        if let resolved = try? resolveListed(name) {
            cache[resolved.name] = nil
        }
        listing = nil
        resolutions.removeAll()
    }

    /// The table `name` resolves to among those reflected already, found without a query; nil
    /// when none is cached. For hints, where a guess is fine: it does not check the schema
    /// version, and an unqualified name takes any cached table of that name.
    public func cachedTable(_ name: TableName) -> Table? {
        if let known = resolutions[resolutionKey(name)], let table = cache[known.name] { return table }
        if let listing, let found = try? bestMatch(for: name, in: listing), let table = cache[found.name] { return table }
        return cache.values.sorted { $0.name < $1.name }.first { table in
            matches(table.name.name, name.name) != nil
                && (name.schema == nil || table.name.schema.flatMap { matches($0, name.schema!) } != nil)
        }
    }

    /// The nearest existing names to `name`, spelled the way they could be typed: bare when
    /// an unqualified name reaches them, else `schema.name`.
    public func suggestions(for name: TableName) throws -> [String] {
        let listed = try currentListing()
        if name.schema != nil {
            return NameSuggester.suggestions(for: name.description, among: listed.map(\.name.description))
        }
        let near = NameSuggester.suggestions(for: name.name, among: listed.map(\.name.name))
        let spelled = near.flatMap { bare in
            let namesakes = listed.filter { $0.name.name == bare }
            return namesakes.contains { $0.searchRank != nil } ? [bare] : namesakes.map(\.name.description)
        }
        return Array(spelled.prefix(3))
    }

    // MARK: - Internals

    /// The tables of `summaries`, complete or at least good for querying.
    private func reflected(_ summaries: [TableSummary], complete: Bool) throws -> [Table] {
        func cached(_ name: TableName) -> Table? {
            guard let table = cache[name], table.isComplete || !complete else { return nil }
            return table
        }
        try reflectUncached(summaries.filter { cached($0.name) == nil }, complete: complete)
        return try summaries.map { summary in
            if let table = cached(summary.name) { return table }
            // Listed, but gone by the time it was reflected, or created again since under a new
            // OID: forget what was listed (and read of it) and look that name up once more.
            cache[summary.name] = nil
            listing = nil
            resolutions.removeAll()
            let fresh = try introspector.listTables(named: summary.name.name).first { $0.name == summary.name }
            if let fresh, fresh != summary { try reflectUncached([fresh], complete: complete) }
            guard let table = cached(summary.name) else { throw SchemaError.unknownTable(summary.name, suggestions: []) }
            return table
        }
    }

    /// Reflects `summaries` (each name once) in one batch, and caches what it reads.
    private func reflectUncached(_ summaries: [TableSummary], complete: Bool) throws {
        var seen: Set<TableName> = []
        let missing = summaries.filter { seen.insert($0.name).inserted }
        guard !missing.isEmpty else { return }
        let tables = complete ? try introspector.reflect(missing) : try introspector.reflectForQuerying(missing)
        for table in tables {
            cache[table.name] = table
        }
    }

    private func currentListing() throws -> [TableSummary] {
        if let listing { return listing }
        let fresh = try introspector.listTables()
        listing = fresh
        return fresh
    }

    /// Drops the caches when the database reports a new schema version.
    private func validate() throws {
        guard let version = try introspector.schemaVersion() else { return }
        if version != knownVersion {
            refresh()
            knownVersion = version
        }
    }

    private func resolveListed(_ name: TableName) throws -> TableSummary {
        let key = resolutionKey(name)
        if let known = resolutions[key] { return known }
        if let listing, let found = try bestMatch(for: name, in: listing) { return found }
        // Without a listing, only the tables of that name are listed: a first use in a large
        // schema does not read the whole catalog.
        if listing == nil, let found = try bestMatch(for: name, in: try introspector.listTables(named: name.name)) {
            remember(found, as: name)
            return found
        }
        // A table created since the listing was read (PostgreSQL has no schema version to
        // tell): list everything again before giving up.
        listing = nil
        if let found = try bestMatch(for: name, in: try currentListing()) { return found }
        throw SchemaError.unknownTable(name, suggestions: try suggestions(for: name))
    }

    /// Remembers what `name`, listed without the whole listing, resolved to.
    private func remember(_ found: TableSummary, as name: TableName) {
        resolutions[resolutionKey(name)] = found
        // Its own qualified name can only mean that table.
        resolutions[resolutionKey(found.name)] = found
    }

    /// Spellings that resolve alike share a key: on SQLite, those differing in ASCII case only.
    private func resolutionKey(_ name: TableName) -> TableName {
        let spelled = name.name + (name.schema ?? "")
        guard introspector.namesIgnoreCase, spelled.utf8.allSatisfy({ $0 < 0x80 }) else { return name }
        return TableName(name.name.lowercased(), schema: name.schema?.lowercased())
    }

    private func bestMatch(for name: TableName, in listed: [TableSummary]) throws -> TableSummary? {
        var best: (summary: TableSummary, score: (Int, Int))?
        for summary in listed {
            guard let nameScore = matches(summary.name.name, name.name) else { continue }
            let rank: Int
            if let schema = name.schema {
                guard let listedSchema = summary.name.schema, let schemaScore = matches(listedSchema, schema)
                else { continue }
                rank = schemaScore
            } else {
                guard let searchRank = summary.searchRank else { continue }
                rank = searchRank
            }
            let score = (nameScore, rank)
            if let current = best, current.score <= score { continue }
            best = (summary, score)
        }
        return best?.summary
    }

    /// How well a listed name matches a requested one: 0 exactly (or ignoring case, where the
    /// engine does), 1 as the lowercased spelling of an unquoted name; `nil` not at all.
    private func matches(_ listed: String, _ requested: String) -> Int? {
        if listed == requested { return 0 }
        if introspector.namesIgnoreCase { return listed.lowercased() == requested.lowercased() ? 0 : nil }
        return listed == requested.lowercased() ? 1 : nil
    }
}

import SoupDriver
import SoupLanguage
import SoupReflection

/// Help while typing at the REPL: completion that knows where the cursor is, and colours for the
/// input, both from what the soup knows about the database.
///
/// It asks the database as little as it can. Table names come from one catalog listing, made by
/// the first completion that needs it and kept until ``forgetCatalog()`` (the REPL calls it on
/// `\refresh` and after an input with DDL, see ``noteInputRan(_:)``); the database's functions
/// likewise. Completing `track.` reflects `track` (and, for its relations, reads its foreign
/// keys), nothing else. Colouring never asks the database: it uses only what is cached, so a
/// keystroke costs no query.
public final class InputAssistant {
    public let soup: Soup
    /// Table and view listing, nil until listed.
    private var listing: [TableSummary]?
    /// Listed names by their lowercased bare name, for colouring.
    private var listedNames: [String: [TableSummary]] = [:]
    private var listedSchemas: Set<String> = []
    private var functions: [String]?
    /// Candidates made from the listing, kept with it: a bare name's tables, SQL's tables.
    var listedCandidates: [String: [CompletionCandidate]] = [:]
    /// How many catalog queries completion has sent (for the bench and tests: a keystroke sends none).
    public private(set) var catalogQueries = 0

    public init(soup: Soup) {
        self.soup = soup
    }

    /// Completion at UTF-8 offset `cursor` of `text` (the whole input so far).
    public func complete(_ text: String, cursor: Int) -> Completion {
        let context = CompletionContext.at(cursor, in: text)
        return complete(context)
    }

    /// Completion in `context`.
    public func complete(_ context: CompletionContext) -> Completion {
        let candidates = self.candidates(for: context)
        let typed = context.prefix
        var spelled = candidates
        // Keywords take the case of what is typed: `sel` gives `select`.
        if !typed.isEmpty, typed == typed.lowercased(), typed != typed.uppercased() {
            spelled = candidates.map { candidate in
                guard candidate.kind == .keyword, candidate.text == candidate.text.uppercased() else { return candidate }
                return CompletionCandidate(candidate.text.lowercased(), kind: .keyword)
            }
        }
        return Completion(word: context.word, typed: typed, candidates: spelled, appendsSpace: context.isSQL)
    }

    /// Forgets the table listing and the functions, so the next completion lists them again.
    public func forgetCatalog() {
        soup.catalog.forgetListing()
        listing = nil
        listedNames = [:]
        listedSchemas = []
        listedCandidates = [:]
        functions = nil
    }

    /// After an input ran: forgets the catalog when it changed the schema (SQL that creates,
    /// drops, alters, attaches or detaches, or sets the search path).
    public func noteInputRan(_ text: String) {
        if Self.changesSchema(text) { forgetCatalog() }
    }

    static func changesSchema(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var statementStart = true
        for token in InputScanner.tokens(of: text) {
            defer {
                statementStart = token.kind == .punctuation && bytes[token.range.lowerBound] == UInt8(ascii: ";")
            }
            guard token.isSQL, token.kind == .sqlKeyword || token.kind == .sqlIdentifier, statementStart else { continue }
            let word = String(decoding: bytes[token.range], as: UTF8.self).uppercased()
            if ["CREATE", "DROP", "ALTER", "ATTACH", "DETACH", "SET"].contains(word) { return true }
        }
        return false
    }

    // MARK: The catalog, cached

    /// Every table and view, listed once.
    func tables() -> [TableSummary] {
        if let listing { return listing }
        catalogQueries += 1
        guard let listed = try? soup.catalog.listTables() else { return [] }
        listing = listed
        listedNames = Dictionary(grouping: listed) { $0.name.name.lowercased() }
        listedSchemas = Set(listed.compactMap(\.name.schema))
        return listed
    }

    /// The listing if it was made, without asking the database.
    var cachedTables: [TableSummary]? { listing }

    /// The listed tables whose bare name is `name` (in any case), without asking the database.
    func cachedTables(named name: String) -> [TableSummary]? {
        guard listing != nil else { return nil }
        return listedNames[name.lowercased()] ?? []
    }

    /// The database's function names: `pg_proc` on PostgreSQL, `pragma_function_list` on SQLite.
    func functionNames() -> [String] {
        if let functions { return functions }
        catalogQueries += 1
        let sql =
            soup.dialect.engine == .postgres
            ? "SELECT DISTINCT p.proname FROM pg_catalog.pg_proc p WHERE pg_catalog.pg_function_is_visible(p.oid) AND p.proname !~ '^_'"
            : "SELECT DISTINCT name FROM pragma_function_list"
        var names: [String] = []
        do {
            let cursor = try soup.connection.query(sql, [])
            while let row = try cursor.next() {
                if case .text(let name)? = row.first { names.append(name) }
            }
        } catch {
            return []
        }
        functions = names.sorted()
        return functions ?? []
    }

    /// The summary `name` (optionally in `schema`) is listed as, as the database resolves it:
    /// exactly first, then in any case (SQLite) or lowercased (PostgreSQL, an unquoted name).
    func listedTable(_ name: String, schema: String?) -> TableSummary? {
        let named = tables().filter { $0.name.name.lowercased() == name.lowercased() }
        let inSchema = named.filter { summary in
            guard let schema else { return summary.searchRank != nil }
            return summary.name.schema?.lowercased() == schema.lowercased()
        }.sorted { ($0.searchRank ?? .max) < ($1.searchRank ?? .max) }
        return inSchema.first { $0.name.name == name && (schema == nil || $0.name.schema == schema) }
            ?? inSchema.first { soup.dialect.engine == .sqlite || $0.name.name == name.lowercased() }
    }

    /// The entity of a listed table, reflected on first use: only its columns and keys, or
    /// `whole` (its foreign keys too, for its relations) in one batch of catalog queries rather
    /// than two.
    ///
    /// Before the tables are listed, the name is looked up alone (as running `track.first()`
    /// would), so that completing `track.` first does not list the whole catalog.
    func entity(forTable name: String, schema: String? = nil, whole: Bool = false) -> Entity? {
        if schema == nil, let cached = soup.cachedEntity(named: name) { return cached }
        if listing == nil, soup.catalog.isListed == false {
            catalogQueries += 1
            if whole { _ = try? soup.catalog.table(TableName(name, schema: schema ?? soup.defaultSchema)) }
            return try? soup.entity(named: name, schema: schema)
        }
        guard let summary = listedTable(name, schema: schema) else { return nil }
        if whole { _ = try? soup.catalog.table(summary.name) }
        return try? soup.entity(named: summary.name.name, schema: summary.searchRank == nil ? summary.name.schema : nil)
    }

    /// The schemas (attached databases on SQLite) that hold listed tables.
    func schemas() -> [String] {
        _ = tables()
        return listedSchemas.sorted()
    }

    /// Whether `name` is a schema of the listing, without asking the database.
    func isListedSchema(_ name: String) -> Bool {
        listedSchemas.contains(name)
    }

    /// How a table is typed in soup: bare when the search path finds it, else `schema.name`.
    func soupSpelling(_ summary: TableSummary) -> String {
        summary.searchRank != nil ? summary.name.name : summary.name.description
    }

    /// A name as SQL needs it written: quoted when it is not a plain name (on SQLite, plain names
    /// may have capitals, which it reads without regard to case).
    func sqlSpelling(_ name: String) -> String {
        if soup.dialect.engine == .sqlite, let first = name.unicodeScalars.first,
            first.isASCII && (first.properties.isAlphabetic || first == "_"),
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0)) }),
            !SQLKeywords.isKeyword(name)
        {
            return name
        }
        let quoted = soup.dialect.quoteIdentifier(name)
        return quoted == name && SQLKeywords.isKeyword(name) ? soup.dialect.forceQuoteIdentifier(name) : quoted
    }
}

extension CompletionContext {
    /// Whether the context is in raw SQL or a meta command (where a single match gets a space).
    var isSQL: Bool {
        switch kind {
        case .sqlTable, .sqlColumn, .sqlKeyword, .metaCommand: true
        default: false
        }
    }
}

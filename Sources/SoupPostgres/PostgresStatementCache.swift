import CLibPQ
import SoupDriver

/// The statements a PostgreSQL connection keeps prepared on the server (see
/// ``StatementCaching``), keyed by SQL text and parameter types.
///
/// A statement's first run goes unnamed, as it always did; the second prepares it under a name
/// of soup's own and later runs only bind and execute it. Kept statements are forgotten when
/// the session may have changed under them: DDL, `SET` and the like (they are deallocated at
/// the next chance outside a transaction), `DISCARD ALL` and `DEALLOCATE ALL` (gone already),
/// a new server session after a reconnect.
struct PostgresStatementCache {
    struct Key: Equatable {
        var sql: String
        var types: [Oid]
    }

    /// A prepared statement: the parameter types it was prepared for, its name, its last use.
    private struct Entry {
        var types: [Oid]
        var name: String
        var lastUse: Int
    }

    /// How to send one run of a statement.
    enum Plan: Equatable {
        /// As the unnamed statement: its first run, or caching is off.
        case unnamed
        /// Its second run: prepare it under this name, then execute it.
        case prepare(String)
        /// Prepared before under this name.
        case execute(String)
    }

    var caching: StatementCaching {
        didSet { trim(to: caching.capacity) }
    }
    // Keyed by SQL text alone (a text run with other parameter types than it was prepared for
    // goes unnamed): the first dictionary keyed by a type of soup's own costs a scan of every
    // protocol conformance in the binary, and String's is paid already.
    private var prepared: [String: Entry] = [:]
    /// Statements run once, with their parameter types, which their next run prepares.
    private var seenOnce: [String: [Oid]] = [:]
    /// Names dropped from the cache but still prepared on the server.
    private(set) var retired: [String] = []
    private var statementNumber = 0
    private var clock = 0
    /// The prepared statement run last, while it is kept; its use is not counted (it is the
    /// most recently used by construction, and stays so until another one runs).
    private var last: (key: Key, name: String)?

    init(caching: StatementCaching) {
        self.caching = caching
    }

    var count: Int { prepared.count }

    mutating func plan(for key: Key) -> Plan {
        let capacity = caching.capacity
        guard capacity > 0 else { return .unnamed }
        clock += 1
        // The statement just run again (a flush's UPDATE row after row) is found without hashing.
        if let last, last.key == key {
            return .execute(last.name)
        }
        if let entry = prepared[key.sql] {
            guard entry.types == key.types else { return .unnamed }
            prepared[key.sql]?.lastUse = clock
            last = (key, entry.name)
            return .execute(entry.name)
        }
        if seenOnce[key.sql] == key.types {
            seenOnce[key.sql] = nil
            statementNumber += 1
            return .prepare("soup_statement_\(statementNumber)")
        }
        // Bounded: a long script of statements each run once does not grow it for ever.
        if seenOnce.count >= 16 * capacity { seenOnce.removeAll() }
        seenOnce[key.sql] = key.types
        return .unnamed
    }

    /// How to send a statement that is about to run many times: prepared, whether or not it ran
    /// before (unnamed only when caching is off).
    mutating func planForRepeatedRuns(of key: Key) -> Plan {
        guard caching.capacity > 0 else { return .unnamed }
        if let entry = prepared[key.sql] { return entry.types == key.types ? plan(for: key) : .unnamed }
        seenOnce[key.sql] = nil
        statementNumber += 1
        return .prepare("soup_statement_\(statementNumber)")
    }

    /// Records that `key` is prepared as `name`, making room first.
    mutating func didPrepare(_ key: Key, as name: String) {
        trim(to: caching.capacity - 1)
        prepared[key.sql] = Entry(types: key.types, name: name, lastUse: clock)
        last = (key, name)
    }

    /// Drops one statement, whose plan the server no longer accepts; its next run goes unnamed.
    mutating func forget(_ key: Key) {
        if let entry = prepared[key.sql], entry.types == key.types {
            prepared[key.sql] = nil
            retired.append(entry.name)
        }
        if last?.key == key { last = nil }
    }

    /// Drops every statement; `onServer` says whether they are still prepared there.
    mutating func forgetAll(onServer: Bool) {
        if onServer { retired += prepared.values.map(\.name) }
        prepared.removeAll()
        seenOnce.removeAll()
        last = nil
    }

    /// The retired names, which the caller deallocates now.
    mutating func takeRetired() -> [String] {
        defer { retired = [] }
        return retired
    }

    /// Forgets what a completed command may have invalidated, by its command tag. Reads,
    /// writes and transaction control keep the cache.
    mutating func noteCompleted(tag: String) {
        guard !prepared.isEmpty || !seenOnce.isEmpty else { return }
        let command = tag.prefix { $0 != " " }
        switch command {
        case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT",
            "RELEASE", "FETCH", "MOVE", "COPY", "SHOW", "EXPLAIN", "DECLARE", "CLOSE", "PREPARE", "EXECUTE",
            "LISTEN", "UNLISTEN", "NOTIFY", "":
            return
        case "DISCARD", "DEALLOCATE":
            // DISCARD ALL and DEALLOCATE ALL drop every prepared statement; DISCARD PLANS and the
            // others drop only plans, which the server makes again.
            forgetAll(onServer: !tag.hasSuffix(" ALL"))
        default:
            forgetAll(onServer: true)
        }
    }

    /// Whether `error` says a kept statement can no longer run as prepared: its result type
    /// changed (`ALTER TABLE` by another session), or the server no longer has it.
    static func isStale(_ error: DatabaseError) -> Bool {
        (error.sqlState == .featureNotSupported && error.message == "cached plan must not change result type")
            || showsSharedSession(error)
    }

    /// Whether `error` says that other clients use the same server session: a statement soup
    /// prepared is gone, or one of its names is taken, though soup neither deallocated it nor
    /// prepared it. A pooler in transaction mode (PgBouncer's `pool_mode = transaction`) does
    /// that: each transaction may get another server connection, which other clients used too.
    static func showsSharedSession(_ error: DatabaseError) -> Bool {
        (error.sqlState == .invalidSQLStatementName || error.sqlState == .duplicatePreparedStatement)
            && error.message.hasPrefix("prepared statement \"soup_statement_")
    }

    /// Stops preparing statements by name for the rest of the session, once it is seen to be
    /// shared. Nothing is deallocated: the names soup prepared may be on other server
    /// connections by now, and one of the same name on this one may be another client's.
    mutating func stopCachingInSharedSession() {
        forgetAll(onServer: false)
        retired = []
        caching = .disabled
    }

    private mutating func trim(to size: Int) {
        while prepared.count > max(0, size) {
            // The last one run is the most recently used, whatever its count says.
            let lastSQL = last?.key.sql
            guard
                let oldest = prepared.min(by: {
                    ($0.key == lastSQL ? 1 : 0, $0.value.lastUse) < ($1.key == lastSQL ? 1 : 0, $1.value.lastUse)
                })
            else { return }
            prepared[oldest.key] = nil
            retired.append(oldest.value.name)
            if lastSQL == oldest.key { last = nil }
        }
    }
}

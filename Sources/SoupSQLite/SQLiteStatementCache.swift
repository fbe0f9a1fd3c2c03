import CSQLite
import SoupDriver

/// The prepared statements a SQLite connection keeps, by SQL text (see ``StatementCaching``).
///
/// A statement prepared before a schema change is prepared again by SQLite itself, inside
/// `sqlite3_step` (it reports `SQLITE_SCHEMA` only after retrying); the cursor takes its columns
/// after that first step, so they always match its rows.
struct SQLiteStatementCache {
    var caching: StatementCaching {
        didSet { trim(to: caching.capacity) }
    }
    /// A list searched by text, not a dictionary: it holds few statements, the one just run is
    /// found first, and the first `Dictionary<String, …>` of a run costs a quarter of a
    /// `SELECT 1` (type lookups over every protocol conformance in the binary).
    private var statements: [SQLiteStatement] = []
    /// Counts uses, to find the least recently used statement.
    private var clock = 0
    /// The statement handed out last, while it is kept.
    private var last: SQLiteStatement?

    init(caching: StatementCaching) {
        self.caching = caching
    }

    var count: Int { statements.count }

    /// `sqlite3_prepare_v3`'s flags: a statement that is kept is prepared for reuse.
    var prepareFlags: UInt32 {
        caching.capacity > 0 ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
    }

    /// The kept statement for `sql`, marked busy, unless there is none or a cursor is reading it.
    mutating func take(_ sql: String) -> SQLiteStatement? {
        // The statement just run again (a flush's UPDATE row after row) is found without hashing.
        let found = last.flatMap { $0.sql == sql ? $0 : nil } ?? statements.first { $0.sql == sql }
        guard let statement = found, !statement.isBusy else { return nil }
        last = statement
        clock += 1
        statement.lastUse = clock
        statement.isBusy = true
        return statement
    }

    /// Keeps a statement just prepared, making room by dropping the least recently used one. (A
    /// dropped statement a cursor still reads is finalized when the cursor is done with it.)
    mutating func keep(_ statement: SQLiteStatement) {
        let capacity = caching.capacity
        guard capacity > 0, !statements.contains(where: { $0.sql == statement.sql }) else { return }
        trim(to: capacity - 1)
        clock += 1
        statement.lastUse = clock
        statements.append(statement)
    }

    mutating func removeAll() {
        statements.removeAll()
        last = nil
    }

    private mutating func trim(to size: Int) {
        while statements.count > max(0, size) {
            guard let oldest = statements.indices.min(by: { statements[$0].lastUse < statements[$1].lastUse }) else { return }
            if last === statements[oldest] { last = nil }
            statements.remove(at: oldest)
        }
    }
}

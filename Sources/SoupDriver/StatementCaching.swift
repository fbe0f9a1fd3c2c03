/// Whether a connection keeps statements prepared between runs.
///
/// A flush sends the same UPDATE text for every row it changed, and a script often repeats a
/// statement: kept prepared, each run skips parsing and planning. The cache is keyed by the SQL
/// text (on PostgreSQL also by the parameter types, which a prepared statement fixes), holds at
/// most `capacity` statements and drops the least recently used first. A schema change is
/// noticed: SQLite prepares a statement again when the schema it was prepared against changed,
/// and a PostgreSQL connection forgets its statements after DDL, `SET`, `DISCARD` or
/// `DEALLOCATE`, and runs a statement again when the server says its cached plan no longer
/// fits (`cached plan must not change result type`) and no transaction was open.
public enum StatementCaching: Sendable, Equatable {
    /// SQLite keeps a statement from its first run; PostgreSQL prepares it under a name of its
    /// own on its second run (the first goes unnamed, so a statement run once costs nothing more).
    case enabled(capacity: Int)
    /// Every statement is prepared for one run only. On PostgreSQL it goes as the unnamed
    /// statement, which a pooler in transaction mode (PgBouncer's `pool_mode = transaction`)
    /// needs: it may run the next transaction on a server session that never saw a named one.
    case disabled

    /// The default: up to 64 statements.
    public static let standard = StatementCaching.enabled(capacity: 64)

    /// How many statements may be kept; 0 when caching is off.
    public var capacity: Int {
        switch self {
        case .enabled(let capacity): max(0, capacity)
        case .disabled: 0
        }
    }
}

/// A connection that can keep statements prepared (the SQLite and PostgreSQL drivers).
public protocol StatementCachingConnection: Connection {
    /// Whether statements are kept prepared; turning it off drops the ones kept.
    var statementCaching: StatementCaching { get set }
    /// How many statements are kept prepared now.
    var cachedStatementCount: Int { get }
}

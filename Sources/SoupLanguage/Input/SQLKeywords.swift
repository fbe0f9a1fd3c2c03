/// The SQL words that input colouring shows as keywords and completion offers where no name
/// fits: the keywords of PostgreSQL and SQLite that statements are written with, and the common
/// type names. Function names (`count`, `coalesce`) are not among them: they come from the
/// database's own list of functions.
public enum SQLKeywords {
    /// Every keyword, in capitals.
    public static let all: Set<String> = [
        "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "ANY", "ARRAY", "AS",
        "ASC", "ATTACH", "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BIGINT", "BIGSERIAL", "BLOB", "BOOLEAN",
        "BOTH", "BY", "BYTEA", "CALL", "CASCADE", "CASE", "CAST", "CHAR", "CHARACTER", "CHECK", "CHECKPOINT",
        "CLOSE", "CLUSTER", "COLLATE", "COLUMN", "COMMENT", "COMMIT", "CONCURRENTLY", "CONFLICT", "CONSTRAINT",
        "COPY", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER",
        "CURSOR", "DATABASE", "DATE", "DEALLOCATE", "DECIMAL", "DECLARE", "DEFAULT", "DEFERRABLE", "DEFERRED",
        "DELETE", "DESC", "DETACH", "DISCARD", "DISTINCT", "DO", "DOMAIN", "DOUBLE", "DROP", "EACH", "ELSE",
        "END", "ENUM", "ESCAPE", "EXCEPT", "EXCLUDE", "EXCLUSIVE", "EXECUTE", "EXISTS", "EXPLAIN", "EXTENSION",
        "FALSE", "FETCH", "FILTER", "FIRST", "FLOAT", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "FUNCTION",
        "GENERATED", "GLOB", "GRANT", "GROUP", "GROUPS", "HAVING", "IF", "IGNORE", "ILIKE", "IMMEDIATE", "IN",
        "INDEX", "INDEXED", "INHERITS", "INITIALLY", "INNER", "INSERT", "INSTEAD", "INT", "INTEGER", "INTERSECT",
        "INTERVAL", "INTO", "IS", "ISNULL", "JOIN", "JSON", "JSONB", "KEY", "LANGUAGE", "LAST", "LATERAL",
        "LEADING", "LEFT", "LIKE", "LIMIT", "LISTEN", "LOAD", "LOCAL", "LOCK", "MATCH", "MATERIALIZED", "MERGE",
        "MOVE", "NATURAL", "NO", "NOT", "NOTHING", "NOTIFY", "NOTNULL", "NULL", "NULLS", "NUMERIC", "OF",
        "OFFSET", "ON", "ONLY", "OR", "ORDER", "OTHERS", "OUTER", "OVER", "OVERRIDING", "PARTITION", "PLAN",
        "POLICY", "PRAGMA", "PRECEDING", "PRECISION", "PREPARE", "PRIMARY", "PROCEDURE", "QUERY", "RAISE",
        "RANGE", "READ", "REAL", "RECURSIVE", "REFERENCES", "REFRESH", "REGEXP", "REINDEX", "RELEASE", "RENAME",
        "REPLACE", "RESET", "RESTRICT", "RETURNING", "RETURNS", "REVOKE", "RIGHT", "ROLE", "ROLLBACK", "ROW",
        "ROWID", "ROWS", "SAVEPOINT", "SCHEMA", "SELECT", "SEQUENCE", "SERIAL", "SESSION", "SET", "SHOW",
        "SIMILAR", "SMALLINT", "SOME", "START", "STORED", "STRICT", "SYMMETRIC", "TABLE", "TABLESPACE", "TEMP",
        "TEMPORARY", "TEXT", "THEN", "TIES", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TO", "TRAILING", "TRANSACTION",
        "TRIGGER", "TRUE", "TRUNCATE", "TYPE", "UNBOUNDED", "UNION", "UNIQUE", "UNLISTEN", "UNLOGGED", "UPDATE",
        "USER", "USING", "UUID", "VACUUM", "VALUES", "VARCHAR", "VARYING", "VIEW", "VIRTUAL", "WHEN", "WHERE",
        "WINDOW", "WITH", "WITHOUT", "WORK", "ZONE",
    ]

    /// The words a raw SQL statement can start with (soup reads a line that starts with one of
    /// them, and white space, as SQL), in capitals.
    public static var statementStarts: Set<String> { Set(SQLSpan.keywords.map { $0.uppercased() }) }

    /// Whether `word` is a keyword, in any case.
    public static func isKeyword(_ word: String) -> Bool {
        guard word.utf8.count <= 17, word.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        return all.contains(word.uppercased())
    }
}

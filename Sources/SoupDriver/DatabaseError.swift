/// An error reported by a database or by a driver talking to it.
///
/// It carries what psql and sqlite3 show: the message, the SQLSTATE (PostgreSQL) or extended
/// result code (SQLite), the server's detail and hint, and the position in the SQL text where
/// the database found the problem.
public struct DatabaseError: Error, Sendable, Equatable {
    /// What went wrong, broadly; decides the exit code.
    public enum Kind: Sendable, Equatable {
        /// Could not connect or open the database (exit code 2).
        case connection
        /// The connection was lost while in use; the next statement reconnects.
        case connectionLost
        /// A statement failed.
        case statement
        /// The statement was cancelled (Ctrl-C or a canceller).
        case cancelled
    }

    public var kind: Kind
    /// The primary message, without a severity prefix.
    public var message: String
    /// The SQLSTATE (PostgreSQL), e.g. ``SQLState/uniqueViolation`` (`23505`).
    public var sqlState: SQLState?
    /// The extended result code (SQLite), e.g. ``SQLiteResultCode/constraintUnique`` (2067).
    public var resultCode: SQLiteResultCode?
    public var detail: String?
    public var hint: String?
    /// 1-based character offset into ``sql`` where the error was found.
    public var position: Int?
    /// The statement that failed.
    public var sql: String?

    public init(
        kind: Kind, message: String, sqlState: SQLState? = nil, resultCode: SQLiteResultCode? = nil,
        detail: String? = nil, hint: String? = nil, position: Int? = nil, sql: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.resultCode = resultCode
        self.detail = detail
        self.hint = hint
        self.position = position
        self.sql = sql
    }

    /// The line and column (both 1-based) of ``position`` within ``sql``.
    public var location: (line: Int, column: Int)? {
        guard let position, let sql, position >= 1 else { return nil }
        var line = 1
        var column = 1
        for (offset, character) in sql.enumerated() {
            if offset == position - 1 { return (line, column) }
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// The report psql would print: the message with its code, then `LINE n:` with a caret under
    /// the position, then DETAIL and HINT lines.
    public var report: String {
        var lines: [String] = []
        var head = message
        if let sqlState {
            head += " (SQLSTATE \(sqlState))"
        }
        lines.append(head)
        if let location, let sql {
            let sourceLine = sql.split(separator: "\n", omittingEmptySubsequences: false)[location.line - 1]
            let prefix = "LINE \(location.line): "
            lines.append(prefix + sourceLine)
            lines.append(String(repeating: " ", count: prefix.count + location.column - 1) + "^")
        }
        if let detail { lines.append("DETAIL:  " + detail) }
        if let hint { lines.append("HINT:  " + hint) }
        return lines.joined(separator: "\n")
    }
}

extension DatabaseError: CustomStringConvertible {
    public var description: String { report }
}

extension DatabaseError {
    /// Refuses SQL text that holds a NUL byte: SQLite and libpq stop reading a statement there,
    /// so `DELETE … WHERE a > 0\0 AND b` would run as `DELETE … WHERE a > 0`.
    public static func checkNoNULByte(in sql: String) throws(DatabaseError) {
        // Bytes first: a NUL byte is a NUL scalar in UTF-8, and this runs for every statement.
        guard sql.utf8.withContiguousStorageIfAvailable({ $0.contains(0) }) ?? sql.utf8.contains(0),
            let index = sql.unicodeScalars.firstIndex(of: "\0")
        else { return }
        throw DatabaseError(
            kind: .statement, message: "the SQL text holds a NUL byte, where the database would stop reading it",
            hint: "remove it; to store a NUL byte, pass the value as a parameter",
            position: sql.unicodeScalars.distance(from: sql.unicodeScalars.startIndex, to: index) + 1, sql: sql)
    }
}

import SoupDriver
import SoupSQL

/// Records each write statement soup sends in the logger binding's `soup_audit_log` table, in
/// autocommit on its own connection, so the record survives a rolled-back transaction. Secrets
/// are masked: password literals in the SQL text and values given to secret columns
/// (``SecretMask``).
struct AuditLogger {
    static let table = "soup_audit_log"

    let profile: String
    private var tableReady = false

    init(profile: String) {
        self.profile = profile
    }

    /// Writes one record; creates the table on first use.
    mutating func record(
        on connection: any Connection, binding: String, sql: String, parameters: [Value], duration: Duration,
        outcome: String
    ) throws {
        if !tableReady {
            let key = connection.dialect == .postgres ? "bigserial PRIMARY KEY" : "INTEGER PRIMARY KEY"
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS \(Self.table) (id \(key), logged_at text NOT NULL, profile text, "
                    + "binding text, statement text NOT NULL, parameters text, duration_ms double precision, outcome text NOT NULL)")
            tableReady = true
        }
        let placeholders = (0..<7).map { connection.dialect.placeholder($0) }.joined(separator: ", ")
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        try connection.execute(
            "INSERT INTO \(Self.table) (logged_at, profile, binding, statement, parameters, duration_ms, outcome) VALUES (\(placeholders))",
            [
                .text(WallClock.iso8601(WallClock.now())), .text(profile), .text(binding), .text(SecretMask.text(sql)),
                .text(JSONDocument.array(SecretMask.parameters(of: sql, parameters).map(JSONDocument.string)).compact),
                .real(milliseconds), .text(outcome),
            ])
    }
}

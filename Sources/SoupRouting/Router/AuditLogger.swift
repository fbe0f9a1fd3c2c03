import SoupDriver

/// Records each write statement soup sends in the logger binding's `soup_audit_log` table, in
/// autocommit on its own connection, so the record survives a rolled-back transaction.
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
                .text(WallClock.iso8601(WallClock.now())), .text(profile), .text(binding), .text(sql),
                .text(JSONDocument.array(SecretMask.parameters(of: sql, parameters).map(JSONDocument.string)).compact),
                .real(milliseconds), .text(outcome),
            ])
    }
}

/// Masks the parameters bound to columns whose names say they hold secrets (the audit log,
/// `--echo`).
public enum SecretMask {
    static let mask = "***"
    private static let secretWords = ["password", "passwd", "secret", "token", "api_key", "apikey", "private_key", "credential"]

    static func isSecret(_ column: String) -> Bool {
        let lower = column.lowercased()
        return secretWords.contains { lower.contains($0) }
    }

    /// Each parameter as text, masked when it is compared with or assigned to a secret column
    /// (`password = $1`, `INSERT INTO t (password) VALUES (?)`).
    public static func parameters(of sql: String, _ parameters: [Value]) -> [String] {
        var rendered = parameters.map { "\($0)" }
        guard !parameters.isEmpty, let tokens = SQLTokens(sql).statements.first else { return rendered }
        var insertColumns: [String] = []
        var valuesStart: Int?
        var sequential = 0
        for (index, token) in tokens.enumerated() {
            if token.isWord("values"), valuesStart == nil { valuesStart = index }
            // The first parenthesized list of an INSERT names its columns.
            if tokens.first?.isWord("insert") == true, insertColumns.isEmpty, valuesStart == nil, token.kind == .openParen {
                insertColumns = tokens[(index + 1)...].prefix { $0.kind != .closeParen }
                    .filter { $0.kind == .word || $0.kind == .quotedName }.map(\.text)
            }
            let parameter: Int?
            if token.text == "?" {
                parameter = sequential
                sequential += 1
            } else if token.text == "$", index + 1 < tokens.count, let number = Int(tokens[index + 1].text) {
                parameter = number - 1
            } else {
                parameter = nil
            }
            guard let parameter, parameter < rendered.count else { continue }
            var column: String?
            if index >= 2, tokens[index - 1].text == "=", [.word, .quotedName].contains(tokens[index - 2].kind) {
                column = tokens[index - 2].text
            } else if let valuesStart {
                // Count the commas before it within its own row of the VALUES list.
                let row = tokens[valuesStart..<index].lastIndex { $0.kind == .openParen && $0.depth == token.depth - 1 } ?? valuesStart
                let position = tokens[row..<index].filter { $0.text == "," && $0.depth == token.depth }.count
                column = position < insertColumns.count ? insertColumns[position] : nil
            }
            if let column, isSecret(column) { rendered[parameter] = mask }
        }
        return rendered
    }
}

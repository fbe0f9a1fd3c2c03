import SoupDriver

/// The name of a table or view, optionally qualified by its schema.
///
/// On PostgreSQL the schema is a namespace (`public`, `audit`); on SQLite it is the name of an
/// attached database (`main`, `temp`, or the name given to `ATTACH`). Names are kept exactly as
/// the database spells them: no case folding and no quotes.
///
/// ```swift
/// let events = TableName("events", schema: "audit")
/// print(events)                           // audit.events
/// events.sql(in: .postgres)               // audit.events
/// TableName("Odd Name").sql(in: .sqlite)  // "Odd Name"
/// ```
public struct TableName: Hashable, Sendable, Comparable {
    /// The schema (PostgreSQL) or attached database (SQLite); `nil` resolves like the server does.
    public var schema: String?
    /// The table's own name.
    public var name: String

    /// Creates a name; leave `schema` out to let the database's search rules resolve it.
    public init(_ name: String, schema: String? = nil) {
        self.name = name
        self.schema = schema
    }

    /// Parses `schema.table` or `table`, the way a user types a name on the command line.
    ///
    /// Double quotes keep a dot or surrounding spaces as part of a name: `"odd.name"`,
    /// `audit."Big Events"`. Unquoted parts are kept as typed (resolution decides on case).
    public init(parsing text: String) {
        let parts = Self.splitQualified(text)
        if parts.count == 2 {
            self.init(parts[1], schema: parts[0])
        } else {
            self.init(parts[0])
        }
    }

    /// The name as SQL, each part quoted by `dialect` when it needs quoting.
    public func sql(in dialect: Dialect) -> String {
        let table = dialect.quoteIdentifier(name)
        guard let schema else { return table }
        return dialect.quoteIdentifier(schema) + "." + table
    }

    /// Orders by schema, then name (an unqualified name sorts first).
    public static func < (lhs: TableName, rhs: TableName) -> Bool {
        ((lhs.schema ?? ""), lhs.name) < ((rhs.schema ?? ""), rhs.name)
    }

    /// Splits on dots outside double quotes; `""` inside quotes is one quote character.
    private static func splitQualified(_ text: String) -> [String] {
        var parts = [""]
        var quoted = false
        var justClosed = false
        for character in text {
            if character == "\"" {
                if quoted {
                    quoted = false
                    justClosed = true
                    continue
                }
                if justClosed { parts[parts.count - 1].append("\"") }
                quoted = true
            } else if character == ".", !quoted {
                parts.append("")
            } else {
                parts[parts.count - 1].append(character)
            }
            justClosed = false
        }
        return parts.count <= 2 ? parts : [text]
    }
}

extension TableName: CustomStringConvertible {
    /// `schema.name`, or `name` alone; unquoted, for messages.
    public var description: String {
        guard let schema else { return name }
        return schema + "." + name
    }
}

import SoupDriver
import SoupReflection

/// How a reflected table becomes a table on another database: its columns through the
/// normalized types, its keys, NOT NULL, the defaults both engines understand, and its foreign
/// keys among the tables copied with it.
///
/// | normalized | to PostgreSQL | to SQLite |
/// | --- | --- | --- |
/// | integer | `bigint` (`integer` or `smallint` from PostgreSQL as declared) | `INTEGER` |
/// | real | `double precision` | `REAL` |
/// | decimal(p,s) | `numeric(p,s)` | `NUMERIC` |
/// | text(n) | `varchar(n)` (`text`) | `TEXT` |
/// | blob | `bytea` | `BLOB` |
/// | boolean, date, time, timestamp, timestamptz | the same | `BOOLEAN`, `DATE`, `TIME`, `TIMESTAMP`, `TIMESTAMPTZ` |
/// | interval, uuid, json | `interval`, `uuid`, `jsonb` (`json` as declared) | `TEXT` |
/// | T[] | `T[]` | `TEXT` |
/// | any (SQLite, no type), other | `text` (PostgreSQL to PostgreSQL: as declared) | `TEXT` |
///
/// Between two databases of the same engine the declared type is kept as it is.
public enum SchemaMapping {
    /// The definition of `table` on `destination`; `copied` names the tables copied with it
    /// (foreign keys to others are left out and listed in `notes`).
    public static func definition(
        of table: Table, from source: Dialect.Engine, to destination: Dialect.Engine, copied: Set<String>,
        notes: inout [String]
    ) -> TableDefinition {
        let key = table.primaryKey?.columns ?? []
        var columns: [TableDefinition.ColumnDefinition] = []
        for column in table.columns where column.generation == nil {
            var definition = TableDefinition.ColumnDefinition(
                name: column.name, type: type(of: column, from: source, to: destination),
                notNull: !column.isNullable || key.contains(column.name))
            if column.identity != nil, key == [column.name] {
                // A key the database numbers: an identity column on PostgreSQL; on SQLite an
                // INTEGER PRIMARY KEY is the rowid and numbers itself.
                definition.isIdentity = destination == .postgres && ["bigint", "integer", "smallint"].contains(definition.type)
            } else if let expression = column.defaultExpression {
                if var portable = portableDefault(expression) {
                    // SQLite writes a boolean's default as 1 or 0; PostgreSQL wants a boolean.
                    if column.type == .boolean, portable == "1" || portable == "0" { portable = portable == "1" ? "TRUE" : "FALSE" }
                    definition.defaultExpression = portable
                } else {
                    notes.append("\(table.name).\(column.name): default \(expression) left out (not portable)")
                }
            }
            columns.append(definition)
        }
        for column in table.columns where column.generation != nil {
            notes.append("\(table.name).\(column.name): a generated column; its values are copied into a plain column")
            columns.append(.init(name: column.name, type: type(of: column, from: source, to: destination)))
        }
        var definition = TableDefinition(
            name: TableName(table.name.name, schema: destination == source ? table.name.schema : nil), columns: columns,
            primaryKey: key)
        if destination == .sqlite { definition.name.schema = nil }
        definition.uniqueConstraints = table.uniqueConstraints.map(\.columns)
        for foreignKey in table.foreignKeys {
            guard copied.contains(foreignKey.referencedTable.name) else {
                notes.append("\(table.name): the foreign key to \(foreignKey.referencedTable) is left out (that table is not copied)")
                continue
            }
            var mapped = foreignKey
            mapped.referencedTable = TableName(foreignKey.referencedTable.name)
            definition.foreignKeys.append(mapped)
        }
        return definition
    }

    /// The destination type of a column.
    static func type(of column: Column, from source: Dialect.Engine, to destination: Dialect.Engine) -> String {
        if source == destination, !column.declaredType.isEmpty { return column.declaredType }
        switch destination {
        case .postgres: return postgresType(column.type, declared: column.declaredType, sameEngine: source == .postgres)
        case .sqlite: return sqliteType(column.type)
        }
    }

    private static func postgresType(_ type: NormalizedType, declared: String, sameEngine: Bool) -> String {
        switch type {
        case .integer: return "bigint"
        case .real: return "double precision"
        case .decimal(let precision?, let scale?): return "numeric(\(precision),\(scale))"
        case .decimal(let precision?, nil): return "numeric(\(precision))"
        case .decimal: return "numeric"
        case .text(let length?): return "varchar(\(length))"
        case .text: return "text"
        case .blob: return "bytea"
        case .boolean: return "boolean"
        case .date: return "date"
        case .time: return "time"
        case .timestamp: return "timestamp"
        case .timestampWithTimeZone: return "timestamptz"
        case .interval: return "interval"
        case .uuid: return "uuid"
        case .json: return "jsonb"
        case .array(let element): return postgresType(element, declared: "", sameEngine: false) + "[]"
        case .any, .other: return "text"
        }
    }

    private static func sqliteType(_ type: NormalizedType) -> String {
        switch type {
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .decimal: return "NUMERIC"
        case .text: return "TEXT"
        case .blob: return "BLOB"
        case .boolean: return "BOOLEAN"
        case .date: return "DATE"
        case .time: return "TIME"
        case .timestamp: return "TIMESTAMP"
        case .timestampWithTimeZone: return "TIMESTAMPTZ"
        case .interval, .uuid, .json, .array, .any, .other: return "TEXT"
        }
    }

    /// A default both engines read alike: a number, a string (PostgreSQL's `'x'::text` cast
    /// dropped), NULL, TRUE or FALSE, CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME (`now()`
    /// is CURRENT_TIMESTAMP). Anything else is nil.
    static func portableDefault(_ expression: String) -> String? {
        var text = expression.trimmingWhitespace()
        while text.hasPrefix("("), text.hasSuffix(")") { text = String(text.dropFirst().dropLast()).trimmingWhitespace() }
        // 'x'::text, 'x'::character varying, (-1)::integer
        if let cast = text.ranges(of: "::").last {
            let value = String(text[..<cast.lowerBound]).trimmingWhitespace()
            if value.hasPrefix("'") || Double(value.trimmingCharacters(in: "()")) != nil { text = value.trimmingCharacters(in: "()") }
        }
        let upper = text.uppercased()
        switch upper {
        case "NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME": return upper
        case "NOW()": return "CURRENT_TIMESTAMP"
        default: break
        }
        if Double(text) != nil, !text.contains(where: { $0.isLetter }) { return text }
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            let inner = text.dropFirst().dropLast()
            // Doubled quotes only: no lone quote ends it early.
            if inner.replacing("''", with: "").contains("'") == false { return text }
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}

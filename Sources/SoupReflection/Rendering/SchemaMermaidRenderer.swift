/// Draws tables as a Mermaid entity-relationship diagram (`erDiagram`).
///
/// Each table is an entity listing its key columns (`type name PK, FK`); each foreign key is
/// one relationship from the referenced table to the referencing one, labelled with the
/// referencing columns:
///
/// ```
/// erDiagram
///     users {
///         text_32 name PK
///     }
///     users |o--o{ loans : "user_name"
/// ```
///
/// Cardinality: the parent side is `||` when the referencing columns are NOT NULL and `|o`
/// otherwise; the child side is `o|` when those columns are unique (a one-to-one key) and `o{`
/// otherwise. Names Mermaid cannot take bare are quoted (`"Odd Table"`); types and column names
/// are reduced to letters, digits and `_`, with the real column name as the attribute comment
/// when it had to change.
struct SchemaMermaidRenderer {
    func render(_ tables: [Table]) -> String {
        let names = DiagramNames(tables.map(\.name) + tables.flatMap { $0.foreignKeys.map(\.referencedTable) })
        var lines = ["erDiagram"]
        for table in tables {
            let entity = Self.entity(names.label(table.name))
            let columns = table.diagramColumns
            if columns.isEmpty {
                lines.append("    \(entity) { }")
                continue
            }
            lines.append("    \(entity) {")
            for column in columns {
                var line = "        \(Self.word(column.type.name)) \(Self.word(column.name))"
                let marks = table.keyMarks(for: column.name)
                if !marks.isEmpty { line += " " + marks.joined(separator: ", ") }
                if Self.word(column.name) != column.name { line += " " + Self.comment(column.name) }
                lines.append(line)
            }
            lines.append("    }")
        }
        for table in tables {
            for key in table.foreignKeys {
                let required = key.columns.allSatisfy { table.column(named: $0)?.isNullable == false }
                let parentSide = required ? "||" : "|o"
                let childSide = table.isUnique(key.columns) ? "o|" : "o{"
                lines.append(
                    "    \(Self.entity(names.label(key.referencedTable))) \(parentSide)--\(childSide) "
                        + "\(Self.entity(names.label(table.name))) : \(Self.comment(key.columns.joined(separator: ", ")))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An entity name: bare when Mermaid reads it as one word, else in double quotes (which
    /// may not hold `"`, `%` or `\`; those are dropped).
    static func entity(_ name: String) -> String {
        if isWord(name) { return name }
        return "\"" + name.filter { !"\"%\\\r\n".contains($0) } + "\""
    }

    /// An attribute type or name: characters other than letters, digits, `_` and `[]` become
    /// `_`, and a leading digit gets a `_` in front.
    static func word(_ text: String) -> String {
        var out = ""
        for character in text {
            out.append(character.isASCII && (character.isLetter || character.isNumber || "_[]".contains(character)) ? character : "_")
        }
        while out.hasSuffix("_"), out.count > 1 { out.removeLast() }
        if out.first?.isNumber ?? true { out = "_" + out }
        return out
    }

    /// A quoted comment or role; double quotes inside become single quotes.
    static func comment(_ text: String) -> String {
        "\"" + text.replacing("\"", with: "'") + "\""
    }

    private static func isWord(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

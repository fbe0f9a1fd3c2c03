/// Draws tables as a Graphviz digraph (`soup schema --format dot | dot -Tsvg > schema.svg`).
///
/// Each table is a node with an HTML-like label: its name, then its key columns (primary key,
/// foreign keys, and columns that other tables reference) with their normalised types. Each
/// foreign key is one edge, from the first referencing column to the first referenced column,
/// labelled with the referencing columns. A referenced table that is not drawn appears as a
/// dashed box, so every foreign key still has its edge.
struct SchemaDotRenderer {
    func render(_ tables: [Table]) -> String {
        let drawn = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = DiagramNames(tables.map(\.name) + tables.flatMap { $0.foreignKeys.map(\.referencedTable) })
        var lines = [
            "digraph schema {",
            "  graph [rankdir=LR, fontname=\"Helvetica\"];",
            "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];",
            "  edge [fontname=\"Helvetica\", fontsize=9, arrowhead=normal];",
        ]
        for table in tables {
            lines.append("  \(Self.id(table.name)) [label=<\(label(table, title: names.label(table.name)))>];")
        }
        var stubs: Set<TableName> = []
        for table in tables {
            for key in table.foreignKeys {
                let parent = key.referencedTable
                var target = Self.id(parent)
                if let drawnParent = drawn[parent] {
                    if let port = Self.port(drawnParent, key.referencedColumns.first) { target += ":" + port + ":w" }
                } else if stubs.insert(parent).inserted {
                    lines.append("  \(target) [shape=box, style=dashed, label=\(Self.quote(names.label(parent)))];")
                }
                var source = Self.id(table.name)
                if let port = Self.port(table, key.columns.first) { source += ":" + port + ":e" }
                lines.append("  \(source) -> \(target) [label=\(Self.quote(key.columns.joined(separator: ", ")))];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func label(_ table: Table, title: String) -> String {
        var rows = ["<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">"]
        let kind = table.kind == .table ? "" : " <i>(\(Self.escape(table.kind.displayName)))</i>"
        rows.append("<tr><td bgcolor=\"lightgrey\"><b>\(Self.escape(title))</b>\(kind)</td></tr>")
        for column in table.diagramColumns {
            let marks = table.keyMarks(for: column.name)
            let suffix = marks.isEmpty ? "" : " " + marks.joined(separator: ", ")
            rows.append(
                "<tr><td port=\"c\(column.position)\" align=\"left\">"
                    + Self.escape(column.name) + " : " + Self.escape(column.type.name) + Self.escape(suffix) + "</td></tr>")
        }
        rows.append("</table>")
        return rows.joined()
    }

    /// The port of `column` in a drawn table's label, when the column is drawn.
    private static func port(_ table: Table, _ column: String?) -> String? {
        guard let column, let found = table.diagramColumns.first(where: { $0.name == column }) else { return nil }
        return "c\(found.position)"
    }

    /// A node identifier: the qualified name as a DOT string.
    private static func id(_ name: TableName) -> String {
        quote(name.description)
    }

    private static func quote(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    /// Escapes text inside an HTML-like label.
    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

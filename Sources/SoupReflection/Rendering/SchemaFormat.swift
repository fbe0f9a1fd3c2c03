import SoupDriver

/// The ways `soup schema` can describe tables.
public enum SchemaFormat: String, CaseIterable, Sendable {
    /// psql's `\d`: columns, types, nullability, defaults, keys, indexes, "Referenced by".
    case text
    /// A stable, versioned JSON document; its structure is documented on `SchemaJSONRenderer`
    /// and in the README.
    case json
    /// A Graphviz digraph: one node per table with its key columns, one edge per foreign key.
    case dot
    /// A Mermaid `erDiagram` with the same content as `dot`.
    case mermaid

    /// Renders `tables` in this format; `dialect` decides how identifiers are quoted in SQL.
    public func render(_ tables: [Table], dialect: Dialect) -> String {
        switch self {
        case .text: return SchemaTextRenderer(dialect: dialect).render(tables)
        case .json: return SchemaJSONRenderer(engine: dialect.engine).render(tables)
        case .dot: return SchemaDotRenderer().render(tables)
        case .mermaid: return SchemaMermaidRenderer().render(tables)
        }
    }
}

/// Names of tables in diagrams: bare when no other drawn table shares the name, else
/// `schema.name`.
struct DiagramNames {
    private let ambiguous: Set<String>

    init(_ tables: [TableName]) {
        var counts: [String: Int] = [:]
        for name in Set(tables) { counts[name.name, default: 0] += 1 }
        ambiguous = Set(counts.filter { $0.value > 1 }.keys)
    }

    func label(_ name: TableName) -> String {
        ambiguous.contains(name.name) ? name.description : name.name
    }
}

extension Table {
    /// The columns a diagram draws: primary key, foreign key, and columns that foreign keys of
    /// other tables reference, in table order.
    var diagramColumns: [Column] {
        let referenced = Set(referencedBy.flatMap(\.foreignKey.referencedColumns))
        let keyed = Set(keyColumns.map(\.name)).union(referenced)
        return columns.filter { keyed.contains($0.name) }
    }

    /// `PK`, `FK`, `PK, FK` or nothing, for a column in a diagram.
    func keyMarks(for column: String) -> [String] {
        var marks: [String] = []
        if primaryKey?.columns.contains(column) == true { marks.append("PK") }
        if foreignKeys.contains(where: { $0.columns.contains(column) }) { marks.append("FK") }
        return marks
    }

    /// Whether `columns` hold at most one row each: the primary key or a unique constraint.
    func isUnique(_ columns: [String]) -> Bool {
        let wanted = Set(columns)
        if let key = primaryKey, Set(key.columns) == wanted { return true }
        return uniqueConstraints.contains { Set($0.columns) == wanted }
            || indexes.contains { $0.isUnique && $0.predicate == nil && $0.columnNames.map(Set.init) == wanted }
    }
}

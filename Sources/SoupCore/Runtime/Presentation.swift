import SoupDriver
import SoupReflection

/// How the value of an expression statement is shown (soup-language(7), OUTPUT).
public enum Presentation {
    /// Nothing to show (None in table format).
    case nothing
    /// A result set, streamed from the database or from rows in memory.
    case resultSet(any RowCursor)
    /// A single value.
    case scalar(Value)
    /// A list of plain values: `repr` is its Python spelling for text formats.
    case list([Value], repr: String)
    /// Text shown as it is (an entity's description, a repr).
    case text(String)
    /// What a SQL statement that returns no rows reported: its command tag (`INSERT 0 1`,
    /// `CREATE TABLE`), on PostgreSQL.
    case commandTag(String)
    /// A statement's plan, drawn as a tree.
    case plan(QueryPlan)
}

extension Soup {
    /// The presentation of a value that a statement printed.
    public func presentation(of value: RuntimeValue) throws -> Presentation {
        switch value {
        case .scalar(.null): return .nothing
        case .scalar(let scalar): return .scalar(scalar)
        case .query(let query): return .resultSet(try cursor(for: query))
        case .row(let row):
            return .resultSet(ArrayCursor(columns: Self.columns(of: row.entity), rows: [row.values]))
        case .record(let record):
            return .resultSet(ArrayCursor(columns: record.columns, rows: [record.values]))
        case .list(let items) where !items.isEmpty && items.allSatisfy(\.isRow):
            return .resultSet(try rowSet(items))
        case .list(let items) where !items.isEmpty && items.allSatisfy(\.isRecord):
            return .resultSet(try rowSet(items))
        case .list(let items), .tuple(let items):
            if items.allSatisfy(\.isScalar) {
                let values = items.compactMap { item -> Value? in
                    if case .scalar(let v) = item { return v }
                    return nil
                }
                return .list(values, repr: try representation(of: value))
            }
            return .text(try representation(of: value))
        case .entity(let entity):
            return .text(try describe(entity))
        case .plan(let plan):
            return .plan(plan)
        default:
            return .text(try representation(of: value))
        }
    }

    private static func columns(of entity: Entity) -> [ColumnDescription] {
        entity.attributes.map { ColumnDescription(name: $0.name, typeName: $0.column?.declaredType ?? "") }
    }

    private func rowSet(_ items: [RuntimeValue]) throws -> ArrayCursor {
        var columns: [ColumnDescription] = []
        var rows: [[Value]] = []
        for item in items {
            switch item {
            case .row(let row):
                if columns.isEmpty { columns = Self.columns(of: row.entity) }
                rows.append(row.values)
            case .record(let record):
                if columns.isEmpty { columns = record.columns }
                rows.append(record.values)
            default:
                continue
            }
        }
        return ArrayCursor(columns: columns, rows: rows)
    }

    /// Python's `repr` of a value.
    public func representation(of value: RuntimeValue) throws -> String {
        switch value {
        case .scalar(let scalar): return Row.python(scalar)
        case .list(let items): return "[" + (try items.map(representation).joined(separator: ", ")) + "]"
        case .tuple(let items):
            return "(" + (try items.map(representation).joined(separator: ", ")) + (items.count == 1 ? ",)" : ")")
        case .dictionary(let items):
            return "{" + (try items.map { try representation(of: $0.key) + ": " + representation(of: $0.value) }
                .joined(separator: ", ")) + "}"
        case .row(let row): return row.representation
        case .record(let record):
            return "(" + record.values.map(Row.python).joined(separator: ", ") + (record.values.count == 1 ? ",)" : ")")
        case .entity(let entity): return "<entity \(entity.className)>"
        case .sql(let sql): return compiler.compile(sql).description
        case .query(let query): return compiler.compile(query.statement).description
        case .select(let select, _, _): return compiler.compile(select).description
        case .text(let sql): return "text(\(Row.python(.text(sql))))"
        case .soup: return "SQLSoup(\(connection.displayName))"
        default: return "<\(value.kindName)>"
        }
    }

    /// `help(x)`: an entity's description, or the repr of anything else.
    func description(of value: RuntimeValue) throws -> String {
        if case .entity(let entity) = value { return try describe(entity) }
        return try representation(of: value)
    }

    /// An entity's columns, types, nullability, defaults, keys, indexes and row count.
    func describe(_ entity: Entity) throws -> String {
        guard let table = try completeTable(of: entity) else {
            return "\(entity.className): " + entity.attributes.map(\.name).joined(separator: ", ")
        }
        var text = SchemaFormat.text.render([table], dialect: dialect)
        let relations = try relationList(of: entity)
        if !relations.isEmpty { text += Self.relationsSection(relations, of: entity) }
        let count = try catalog.rowCount(of: table.name)
        if case .integer(let rows)? = count {
            text += "\n\(rows) row\(rows == 1 ? "" : "s")"
        }
        if !entity.isWritable {
            text += "\nread-only: " + entity.readOnlyReason
        }
        return text
    }
}

extension Soup {
    /// help(entity)'s "Relations:" lines: each name, the table it reaches, one or many, and the
    /// columns it joins on.
    ///
    /// ```
    /// Relations:
    ///     employees             employees  one   reports_to = employees.employee_id
    ///     employees_collection  employees  many  employee_id = employees.reports_to
    /// ```
    static func relationsSection(_ relations: [Relation], of entity: Entity) -> String {
        let rows = relations.map { relation in
            [
                relation.name, relation.target.name, relation.isList ? "many" : "one",
                zip(relation.localColumns, relation.remoteColumns).map { "\($0) = \(relation.target.name).\($1)" }
                    .joined(separator: " AND "),
            ]
        }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            "    " + (0..<3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count + 2) }.joined() + row[3]
        }
        return "Relations:\n" + lines.joined(separator: "\n") + "\n"
    }
}

extension RuntimeValue {
    var isRow: Bool {
        if case .row = self { return true }
        return false
    }

    var isRecord: Bool {
        if case .record = self { return true }
        return false
    }

    var isScalar: Bool {
        if case .scalar = self { return true }
        return false
    }
}

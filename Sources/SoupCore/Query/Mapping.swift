import SoupDriver
import SoupReflection

extension Soup {
    /// `db.map_to(attrname, tablename=, selectable=, schema=, pk=)`: maps a table or selectable
    /// and caches it under `attrname`, with SQLSoup's checks and messages.
    func mapTo(_ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords(["attrname", "tablename", "selectable", "schema", "pk"])
        guard let attrname = try arguments.string("attrname", at: 0) else { throw arguments.error("needs the attribute name") }
        if let existing = entities[attrname] {
            throw arguments.error("Attribute '\(attrname)' is already mapped to '\(existing.table?.name.name ?? existing.name)'")
        }
        let tablename = arguments.optional("tablename", at: 1)
        let selectable = arguments.optional("selectable", at: 2)
        let schema = try arguments.string("schema")
        if let tablename, !tablename.isText { throw arguments.error("'tablename' argument must be a string.") }
        if tablename != nil, selectable != nil {
            throw arguments.error("'tablename' and 'selectable' arguments are mutually exclusive")
        }
        if schema != nil, tablename == nil {
            throw arguments.error("'tablename' argument is required when using 'schema'.")
        }
        let identity = try identityArgument(arguments)
        let entity: Entity
        if case .scalar(.text(let name))? = tablename {
            let table = try catalog.table(TableName(name, schema: schema ?? defaultSchema))
            entity = Entity(table: table, name: attrname, identityOverride: identity)
        } else if let selectable {
            guard let mapped = try mappedSelectable(selectable, name: attrname, identity: identity) else {
                throw arguments.error("'selectable' argument must be a table, select, join, or other selectable construct.")
            }
            entity = mapped
        } else {
            throw arguments.error("'tablename' or 'selectable' argument is required.")
        }
        entities[attrname] = entity
        return .entity(entity)
    }

    /// `db.map(selectable, pk=[...])`: an entity over any selectable, not cached.
    func map(_ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords(["selectable", "pk"])
        let selectable = try arguments.required("selectable", at: 0)
        guard let entity = try mappedSelectable(selectable, name: nil, identity: try identityArgument(arguments)) else {
            throw arguments.error("'selectable' argument must be a table, select, join, or other selectable construct.")
        }
        return .entity(entity)
    }

    /// `db.with_labels(selectable)`: every column renamed `<table>_<column>`.
    func withLabels(_ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords(["selectable"])
        guard case .entity(let base) = try arguments.required("selectable", at: 0) else {
            throw arguments.error("needs an entity or a join")
        }
        let alias = "labelled_" + base.name
        var names: [String] = []
        var columns: [SQLExpression] = []
        var attributes: [Entity.Attribute] = []
        for attribute in base.attributes {
            let label = Self.uniqueName((attribute.origin?.table.name ?? base.name) + "_" + attribute.name, taken: names)
            names.append(label)
            columns.append(.label(attribute.expression, label))
            attributes.append(.init(
                name: label, expression: .column(qualifier: alias, name: label), column: attribute.column,
                origin: attribute.origin))
        }
        let select = SelectStatement(columns: columns, from: base.fromItem)
        let identity = try settled(base).identity.compactMap { key in base.attributes.firstIndex { $0.name == key }.map { names[$0] } }
        return .entity(Entity(
            name: base.name, source: .selectable(.subquery(select, alias: alias)), attributes: attributes, identity: identity))
    }

    /// `db.join(left, right, onclause=None, isouter=False)`: an entity over a join. Columns that
    /// share a name are labelled `<table>_<column>`; a label already taken gets `_1`, `_2`…
    func join(_ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords(["left", "right", "onclause", "isouter"])
        guard case .entity(let left) = try arguments.required("left", at: 0),
            case .entity(let right) = try arguments.required("right", at: 1)
        else { throw arguments.error("needs two entities (or joins) to join") }
        let condition: SQLExpression
        if let on = arguments.optional("onclause", at: 2), !(on.truthValue == false) {
            condition = try sqlOperand(on)
        } else {
            condition = try inferredJoinCondition(from: left, to: right)
        }
        let isOuter = try arguments.boolean("isouter", at: 3, default: false)
        let from = FromItem.join(left.fromItem, right.fromItem, on: condition, kind: isOuter ? .leftOuter : .inner)
        let leftNames = Set(left.attributes.map(\.name))
        let rightNames = Set(right.attributes.map(\.name))
        var names: [String] = []
        var attributes: [Entity.Attribute] = []
        var renamed: [ObjectIdentifier: [String: String]] = [:]
        for (entity, others) in [(left, rightNames), (right, leftNames)] {
            for attribute in entity.attributes {
                var name = attribute.name
                if others.contains(name) { name = (attribute.origin?.table.name ?? entity.name) + "_" + name }
                name = Self.uniqueName(name, taken: names)
                names.append(name)
                renamed[ObjectIdentifier(entity), default: [:]][attribute.name] = name
                attributes.append(.init(name: name, expression: attribute.expression, column: attribute.column, origin: attribute.origin))
            }
        }
        let identity = try settled(left).identity.compactMap { renamed[ObjectIdentifier(left)]?[$0] }
            + settled(right).identity.compactMap { renamed[ObjectIdentifier(right)]?[$0] }
        return .entity(Entity(name: "join", source: .selectable(from), attributes: attributes, identity: identity))
    }

    /// `name`, or `name_1`, `name_2`… when it is taken.
    static func uniqueName(_ name: String, taken: [String]) -> String {
        guard taken.contains(name) else { return name }
        var suffix = 1
        while taken.contains("\(name)_\(suffix)") { suffix += 1 }
        return "\(name)_\(suffix)"
    }

    /// The entity for a selectable value, or nil when the value is not one.
    private func mappedSelectable(_ value: RuntimeValue, name: String?, identity: [String]?) throws -> Entity? {
        switch value {
        case .entity(let entity):
            if let table = entity.table {
                return Entity(table: table, name: name ?? entity.name, identityOverride: identity)
            }
            return Entity(
                name: name ?? entity.name, source: entity.source, attributes: entity.attributes,
                identity: try identity ?? settled(entity).identity)
        case .select(let select, let columns, let alias):
            let aliasName = alias ?? name ?? "selected"
            return Entity(
                name: name ?? aliasName, source: .selectable(.subquery(select, alias: aliasName)),
                attributes: columns.map { .init(name: $0, expression: .column(qualifier: aliasName, name: $0)) },
                identity: try checkedIdentity(identity, among: columns))
        case .text(let sql):
            let aliasName = name ?? "text_query"
            let cursor = try run(CompiledSQL(sql: "SELECT * FROM (\(sql)) AS \(dialect.quoteIdentifier(aliasName)) LIMIT 0"))
            let columns = cursor.columns.map(\.name)
            while try cursor.next() != nil {}
            return Entity(
                name: aliasName, source: .selectable(.verbatim(sql, alias: aliasName)),
                attributes: columns.map { .init(name: $0, expression: .column(qualifier: aliasName, name: $0)) },
                identity: try checkedIdentity(identity, among: columns))
        default:
            return nil
        }
    }

    private func checkedIdentity(_ identity: [String]?, among columns: [String]) throws -> [String] {
        for column in identity ?? [] where !columns.contains(column) {
            throw EvaluationError("pk names '\(column)', which the selectable does not have", hint: "its columns are " + columns.joined(separator: ", "))
        }
        return identity ?? []
    }

    /// The `pk=[...]` argument: column names, or columns of the mapped selectable.
    private func identityArgument(_ arguments: Arguments) throws -> [String]? {
        guard let pk = arguments.optional("pk") else { return nil }
        guard case .list(let items) = pk else { throw arguments.error("pk must be a list of column names") }
        return try items.map { item in
            switch item {
            case .scalar(.text(let name)): return name
            case .sql(.column(_, let name)): return name
            default: throw arguments.error("pk must list column names")
            }
        }
    }
}

extension RuntimeValue {
    var isText: Bool {
        if case .scalar(.text) = self { return true }
        return false
    }
}

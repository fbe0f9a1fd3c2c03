import SoupDriver
import SoupReflection

extension Soup {
    /// The chainable and terminal methods of a query (soup-language(7), QUERIES).
    func callQueryMethod(_ name: String, on query: Query, _ arguments: Arguments) throws -> RuntimeValue {
        var query = query
        switch name {
        case "filter":
            try arguments.allowKeywords([])
            return .query(query.filtered(try arguments.positional.map(criterion)))
        case "filter_by":
            // Positional criteria are accepted too (SQLSoup's tutorial used them; SQLAlchemy refused).
            let positional = try arguments.positional.map(criterion)
            let criteria = try positional + arguments.keywords.map { name, value -> SQLExpression in
                let column = try attributeExpression(name, of: query.entity)
                if case .scalar(.null) = value { return .isNull(column, negated: false) }
                return .binary(column, .equal, try sqlOperand(value))
            }
            return .query(query.filtered(criteria))
        case "order_by":
            try arguments.allowKeywords([])
            return .query(query.ordered(try arguments.positional.map { try orderItem($0, entity: query.entity) }))
        case "limit":
            query.limit = try arguments.integer("limit", at: 0)
            return .query(query)
        case "offset":
            query.offset = try arguments.integer("offset", at: 0)
            return .query(query)
        case "slice":
            return .query(query.sliced(from: try arguments.integer("start", at: 0), to: try arguments.integer("stop", at: 1)))
        case "distinct":
            try arguments.expectNone()
            query.isDistinct = true
            return .query(query)
        case "group_by":
            query.grouping += try arguments.positional.map { try orderItem($0, entity: query.entity) }
            return .query(query)
        case "having":
            let criteria = try arguments.positional.map(criterion)
            query.having = criteria.count == 1 ? criteria[0] : .and(criteria)
            return .query(query)
        case "join", "outerjoin":
            return .query(try joined(query, arguments, isOuter: name == "outerjoin"))
        case "with_entities":
            try arguments.allowKeywords([])
            query.selection = try arguments.positional.flatMap { value -> [SQLExpression] in
                if case .entity(let entity) = value { return entity.attributes.map(\.expression) }
                return [try sqlOperand(value)]
            }
            return .query(query)
        default:
            return try callTerminal(name, on: query, arguments)
        }
    }

    private func callTerminal(_ name: String, on query: Query, _ arguments: Arguments) throws -> RuntimeValue {
        switch name {
        case "all":
            try arguments.expectNone()
            return .list(try results(of: query))
        case "first":
            try arguments.expectNone()
            return try results(of: query.sliced(from: 0, to: 1)).first ?? .none
        case "one", "one_or_none":
            try arguments.expectNone()
            let found = try results(of: query.sliced(from: 0, to: 2))
            if found.count > 1 { throw EvaluationError("Multiple rows were found for \(name)()") }
            if found.isEmpty, name == "one" { throw EvaluationError("No row was found for one()") }
            return found.first ?? .none
        case "get":
            return try get(query.entity, arguments)
        case "count":
            try arguments.expectNone()
            return .scalar(try scalarResult(compiler.compile(query.countStatement)) ?? .integer(0))
        case "scalar":
            try arguments.expectNone()
            let found = try results(of: query.sliced(from: 0, to: 1))
            switch found.first {
            case .record(let record)?: return .scalar(record.values.first ?? .null)
            case .row(let row)?: return .scalar(row.values.first ?? .null)
            default: return .none
            }
        case "update":
            try arguments.expectAtMost(1)
            return try bulkUpdate(query, try updateValues(arguments, dictionaryAt: 0), arguments)
        case "delete":
            try arguments.expectNone()
            return try bulkDelete(query, arguments)
        case "explain":
            try arguments.allowKeywords(["analyze"])
            return .plan(try explain(value: .query(query), analyze: try arguments.boolean("analyze", at: 0, default: false)))
        case "exists":
            try arguments.expectNone()
            let value = try scalarResult(compiler.compile(query.existsStatement))
            switch value {
            case .integer(let i)?: return .scalar(.bool(i != 0))
            case .bool(let b)?: return .scalar(.bool(b))
            default: return .scalar(.bool(false))
            }
        default:
            throw arguments.error("a query has no method '\(name)'")
        }
    }

    /// Rows of the entity, or records when the query selects chosen columns.
    func results(of query: Query) throws -> [RuntimeValue] {
        if query.returnsEntities { return try rows(of: query).map(RuntimeValue.row) }
        return try records(try run(compiler.compile(query.statement))).map(RuntimeValue.record)
    }

    private func scalarResult(_ compiled: CompiledSQL) throws -> Value? {
        let cursor = try run(compiled)
        var first: Value?
        while let row = try cursor.next() {
            if first == nil { first = row.first }
        }
        return first
    }

    /// `get(pk)` / `get((k1, k2))`: the identity map first (no SQL on a hit), then a SELECT.
    private func get(_ entity: Entity, _ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords([])
        let key = try arguments.required("ident", at: 0)
        var values: [Value]
        switch key {
        case .tuple(let items), .list(let items):
            values = try items.map { item in
                guard case .scalar(let value) = item else { throw arguments.error("key parts must be plain values") }
                return value
            }
        case .scalar(let value):
            values = [value]
        default:
            throw arguments.error("the key must be a value or a tuple of values, not \(key.kindName)")
        }
        let keyColumns: [String] = entity.usesRowID ? ["rowid"] : try settled(entity).identity
        guard !keyColumns.isEmpty else { throw arguments.error(entity.readOnlyReason) }
        guard values.count == keyColumns.count else {
            throw arguments.error(
                "'\(entity.name)' is identified by \(keyColumns.count) column(s) (\(keyColumns.joined(separator: ", "))), but \(values.count) value(s) were given")
        }
        if let row = session.lookup(entity, identity: values) { return .row(row) }
        let criteria = zip(keyColumns, values).map { column, value -> SQLExpression in
            let expression = entity.attribute(named: column)?.expression ?? .column(qualifier: entity.qualifier, name: column)
            return .binary(expression, .equal, .value(value))
        }
        return try rows(of: Query(entity: entity).filtered(criteria).sliced(from: 0, to: 1)).first.map(RuntimeValue.row) ?? .none
    }

    /// A filter criterion: a SQL expression, `text(...)`, or a plain boolean.
    private func criterion(_ value: RuntimeValue) throws -> SQLExpression {
        switch value {
        case .sql(let sql): return sql
        case .text(let sql): return .verbatim(sql)
        case .scalar(.bool(let b)): return b ? .and([]) : .or([])
        default: throw EvaluationError("filter() needs a condition such as users.name == 'x', not \(value.kindName)")
        }
    }

    /// An ORDER BY or GROUP BY item: a column, `desc(col)`, or a column name string.
    private func orderItem(_ value: RuntimeValue, entity: Entity) throws -> SQLExpression {
        if case .scalar(.text(let name)) = value {
            var column = name
            var descending = false
            if column.hasPrefix("-") {
                descending = true
                column.removeFirst()
            }
            let expression = try attributeExpression(column, of: entity)
            return descending ? .ordering(expression, descending: true) : expression
        }
        return try sqlOperand(value)
    }

    /// The SQL for attribute `name` of `entity`, or an error that lists the real ones.
    func attributeExpression(_ name: String, of entity: Entity) throws -> SQLExpression {
        guard let attribute = entity.attribute(named: name) else {
            throw EvaluationError(
                "'\(entity.name)' has no column '\(name)'" + didYouMean(name, Set(entity.attributes.map(\.name))),
                hint: "its columns are " + entity.attributes.map(\.name).joined(separator: ", "))
        }
        return attribute.expression
    }

    /// `join(target[, onclause])`: the ON clause is inferred from foreign keys when not given.
    private func joined(_ query: Query, _ arguments: Arguments, isOuter: Bool) throws -> Query {
        try arguments.allowKeywords([])
        let joined = try arguments.required("target", at: 0)
        if case .relationship(let owner, let relation) = joined {
            try arguments.expectAtMost(1)
            return try joinedThrough(query, owner, relation, isOuter: isOuter)
        }
        guard case .entity(let target) = joined else {
            throw arguments.error("join() needs an entity or a relation to join, such as loans or users.loans")
        }
        if let table = target.table, query.entity.originTables.contains(table.name) { throw try selfJoinError(target) }
        var condition: SQLExpression?
        if let on = arguments.optional("onclause", at: 1) {
            condition = try sqlOperand(on)
        } else {
            condition = try inferredJoinCondition(from: query.entity, to: target)
        }
        var copy = query
        copy.joins.append(Query.Join(target: target.fromItem, condition: condition, isOuter: isOuter))
        return copy
    }

    /// The equality of a foreign key between the tables the two entities read, in either
    /// direction; an error when there is none, or more than one.
    func inferredJoinCondition(from left: Entity, to right: Entity) throws -> SQLExpression {
        var conditions: [SQLExpression] = []
        for leftTable in left.originTables {
            for rightTable in right.originTables {
                let forward = try catalog.table(leftTable).foreignKeys.filter { $0.references(rightTable) }
                let backward = try catalog.table(rightTable).foreignKeys.filter { $0.references(leftTable) }
                for key in forward {
                    if let condition = joinCondition(key, child: left, childTable: leftTable, parent: right, parentTable: rightTable) {
                        conditions.append(condition)
                    }
                }
                for key in backward where leftTable != rightTable {
                    if let condition = joinCondition(key, child: right, childTable: rightTable, parent: left, parentTable: leftTable) {
                        conditions.append(condition)
                    }
                }
            }
        }
        guard conditions.count == 1 else {
            throw EvaluationError(
                conditions.isEmpty
                    ? "no foreign key links '\(left.name)' and '\(right.name)'; pass the ON clause"
                    : "several foreign keys link '\(left.name)' and '\(right.name)'; pass the ON clause")
        }
        return conditions[0]
    }

    private func joinCondition(
        _ key: ForeignKey, child: Entity, childTable: TableName, parent: Entity, parentTable: TableName
    ) -> SQLExpression? {
        var pairs: [SQLExpression] = []
        for (local, remote) in zip(key.columns, key.referencedColumns) {
            guard let l = child.attribute(readingColumn: local, of: childTable),
                let r = parent.attribute(readingColumn: remote, of: parentTable)
            else { return nil }
            pairs.append(.binary(l.expression, .equal, r.expression))
        }
        return pairs.count == 1 ? pairs[0] : .and(pairs)
    }
}

extension ForeignKey {
    /// Whether the key points at `table` (an unqualified reference matches any schema).
    func references(_ table: TableName) -> Bool {
        referencedTable.name == table.name && (referencedTable.schema == nil || table.schema == nil || referencedTable.schema == table.schema)
    }
}

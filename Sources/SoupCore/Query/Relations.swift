import SoupDriver
import SoupReflection

extension Soup {
    /// The relations of `entity`, by name: those `relate()` declared, plus those its table's
    /// foreign keys imply (the rule is in soup-language(7), RELATIONS). Reads the table whole on
    /// first use; the REPL's completion lists these names.
    ///
    /// - A child row gets one named after the parent table (one row or None), a parent row one
    ///   named after the child table (a list); a name that is taken (two keys between the same
    ///   tables, or a column of that name) gets `_by_<column>`.
    /// - A key to the table itself gives both: the parent named after the table
    ///   (`employees`), `_by_<column>` when the table has two or more keys to itself
    ///   (`person_by_mother_id`), and the children under that name plus SQLAlchemy automap's
    ///   `_collection` (`employees_collection`).
    public func relations(of entity: Entity) throws -> [String: Relation] {
        if !entity.derivedRelations, let table = try completeTable(of: entity) {
            entity.derivedRelations = true
            let derived = Self.derivedRelations(of: table, columns: Set(entity.attributes.map(\.name)))
            // Declared relations win over derived ones.
            entity.relations = derived.merging(entity.relations) { _, declared in declared }
        }
        return entity.relations
    }

    /// The relations of `entity` in a stable order: by name.
    public func relationList(of entity: Entity) throws -> [Relation] {
        try relations(of: entity).values.sorted { $0.name < $1.name }
    }

    /// The relations the foreign keys of `table` imply, named by the rule above.
    static func derivedRelations(of table: Table, columns: Set<String>) -> [String: Relation] {
        var derived: [String: Relation] = [:]
        func add(_ relation: Relation) {
            if derived[relation.name] == nil { derived[relation.name] = relation }
        }
        let selfKeys = table.foreignKeys.filter { $0.references(table.name) }
        for key in selfKeys {
            var name = table.name.name
            if selfKeys.count > 1 || columns.contains(name) { name += "_by_" + key.columns.joined(separator: "_") }
            add(Relation(
                name: name, target: table.name, localColumns: key.columns, remoteColumns: key.referencedColumns,
                isList: false))
            add(Relation(
                name: name + "_collection", target: table.name, localColumns: key.referencedColumns,
                remoteColumns: key.columns, isList: true))
        }
        let otherKeys = table.foreignKeys.filter { !$0.references(table.name) }
        let incoming = table.referencedBy.filter { $0.table != table.name }
        func named(_ relation: Relation, byColumn column: String) -> Relation {
            var relation = relation
            let targets = otherKeys.filter { $0.referencedTable.name == relation.target.name }.count
                + incoming.filter { $0.table.name == relation.target.name }.count
            if targets > 1 || columns.contains(relation.name) || derived[relation.name] != nil {
                relation.name += "_by_" + column
            }
            return relation
        }
        for key in otherKeys {
            add(named(
                Relation(
                    name: key.referencedTable.name, target: key.referencedTable, localColumns: key.columns,
                    remoteColumns: key.referencedColumns, isList: false),
                byColumn: key.columns.joined(separator: "_")))
        }
        for key in incoming {
            add(named(
                Relation(
                    name: key.table.name, target: key.table, localColumns: key.foreignKey.referencedColumns,
                    remoteColumns: key.foreignKey.columns, isList: true),
                byColumn: key.foreignKey.columns.joined(separator: "_")))
        }
        return derived
    }

    /// `entity.relate('name', target, backref=, order_by=, cascade=, uselist=, primaryjoin=)`.
    func relate(_ entity: Entity, _ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords(["name", "target", "backref", "order_by", "cascade", "uselist", "primaryjoin"])
        guard let name = try arguments.string("name", at: 0) else { throw arguments.error("needs the relation's name") }
        guard case .entity(let target) = try arguments.required("target", at: 1),
            let targetTable = try completeTable(of: target), let table = try completeTable(of: entity)
        else { throw arguments.error("relates a table's entity to another table's entity") }
        var pairs: [(local: String, remote: String)]
        var isList: Bool
        if let join = arguments.optional("primaryjoin") {
            pairs = try columnPairs(in: try sqlOperand(join), local: entity, remote: target)
            isList = !targetTable.hasKey(pairs.map(\.remote))
        } else if let key = table.foreignKeys.first(where: { $0.references(targetTable.name) }) {
            pairs = Array(zip(key.columns, key.referencedColumns))
            isList = false
        } else if let key = targetTable.foreignKeys.first(where: { $0.references(table.name) }) {
            pairs = Array(zip(key.referencedColumns, key.columns))
            isList = true
        } else {
            throw arguments.error("no foreign key links '\(entity.name)' and '\(target.name)'; pass primaryjoin=")
        }
        isList = try arguments.boolean("uselist", default: isList)
        var relation = Relation(
            name: name, target: targetTable.name, localColumns: pairs.map(\.local), remoteColumns: pairs.map(\.remote),
            isList: isList)
        if let order = arguments.optional("order_by") {
            let items: [RuntimeValue]
            if case .list(let list) = order { items = list } else { items = [order] }
            relation.orderBy = try items.map { item in
                if case .scalar(.text(let column)) = item { return try attributeExpression(column, of: target) }
                return try sqlOperand(item)
            }
        }
        if let cascade = try arguments.string("cascade") {
            relation.cascadesDelete = cascade.contains("all") || cascade.contains("delete")
        }
        _ = try relations(of: entity)
        entity.relations[name] = relation
        if let backref = try arguments.string("backref") {
            _ = try relations(of: target)
            target.relations[backref] = Relation(
                name: backref, target: table.name, localColumns: relation.remoteColumns,
                remoteColumns: relation.localColumns, isList: !isList)
        }
        return .none
    }

    /// `local.a == remote.b` pairs of an explicit join condition.
    private func columnPairs(in condition: SQLExpression, local: Entity, remote: Entity) throws -> [(local: String, remote: String)] {
        let equalities: [SQLExpression]
        if case .and(let items) = condition { equalities = items } else { equalities = [condition] }
        return try equalities.map { equality in
            guard case .binary(.column(let q1, let c1), .equal, .column(let q2, let c2)) = equality else {
                throw EvaluationError("primaryjoin must compare columns with ==, joined with and_()")
            }
            if q1 == local.qualifier, q2 == remote.qualifier { return (c1, c2) }
            if q2 == local.qualifier, q1 == remote.qualifier { return (c2, c1) }
            throw EvaluationError("primaryjoin must compare a column of '\(local.name)' with one of '\(remote.name)'")
        }
    }

    /// The related row (or rows) of `row` through `relation`, read now.
    func related(_ row: Row, through relation: Relation) throws -> RuntimeValue {
        let target = try entity(named: relation.target.name, schema: relation.target.schema)
        var criteria: [SQLExpression] = []
        var values: [Value] = []
        for (local, remote) in zip(relation.localColumns, relation.remoteColumns) {
            guard let value = row.value(of: local) else { return relation.isList ? .list([]) : .none }
            if value.isNull { return relation.isList ? .list([]) : .none }
            values.append(value)
            criteria.append(.binary(try attributeExpression(remote, of: target), .equal, .value(value)))
        }
        try settled(target)
        if !relation.isList, target.identity == relation.remoteColumns,
            let loaded = session.lookup(target, identity: values)
        {
            return .row(loaded)
        }
        // A list comes in key order unless relate(order_by=) said otherwise.
        let order = relation.isList && relation.orderBy.isEmpty ? Query(entity: target).keyOrder : relation.orderBy
        let query = Query(entity: target).filtered(criteria).ordered(order)
        let found = try rows(of: relation.isList ? query : query.sliced(from: 0, to: 1))
        return relation.isList ? .list(found.map(RuntimeValue.row)) : (found.first.map(RuntimeValue.row) ?? .none)
    }

    /// `users.loans.any(criterion)` / `loans.users.has(criterion)`: EXISTS over the relation.
    func relationExists(_ entity: Entity, _ relation: Relation, _ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords([])
        // A self-reference reads its own table under an alias, so the subquery's rows are not
        // the outer query's.
        var criteria = [joinCondition(of: relation, from: entity)]
        criteria += try arguments.positional.map(sqlOperand)
        let select = SelectStatement(
            columns: [.value(.integer(1))], from: joinTarget(of: relation, from: entity), filter: .and(criteria))
        return .sql(.exists(select))
    }

    /// Marks `row` deleted, and the rows of its cascading relations with it.
    func delete(_ row: Row) throws {
        guard try settled(row.entity).isWritable else { throw EvaluationError(row.entity.readOnlyReason) }
        for relation in try relations(of: row.entity).values where relation.cascadesDelete && relation.isList {
            if case .list(let children) = try related(row, through: relation) {
                for case .row(let child) in children { try delete(child) }
            }
        }
        session.delete(row)
    }
}

extension Table {
    /// Whether `columns` are the primary key or a unique constraint's columns.
    func hasKey(_ columns: [String]) -> Bool {
        Set(primaryKey?.columns ?? []) == Set(columns) || uniqueConstraints.contains { Set($0.columns) == Set(columns) }
    }
}

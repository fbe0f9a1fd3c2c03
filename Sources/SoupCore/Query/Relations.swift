import SoupDriver
import SoupReflection

extension Soup {
    /// The relations of `entity`: those `relate()` declared, plus those its table's foreign keys
    /// imply (soup-language(7), RELATIONS). A child row gets one named after the parent table (one
    /// row or None), a parent row one named after the child table (a list); a name that is taken
    /// (two keys to the same table, or a column of that name) gets `_by_<column>`.
    func relations(of entity: Entity) throws -> [String: Relation] {
        if !entity.derivedRelations, let table = try completeTable(of: entity) {
            entity.derivedRelations = true
            let columnNames = Set(entity.attributes.map(\.name))
            var derived: [String: Relation] = [:]
            func add(_ relation: Relation, byColumn column: String) {
                var relation = relation
                let targets = table.foreignKeys.filter { $0.referencedTable.name == relation.target.name }.count
                    + table.referencedBy.filter { $0.table.name == relation.target.name }.count
                if targets > 1 || columnNames.contains(relation.name) || derived[relation.name] != nil {
                    relation.name += "_by_" + column
                }
                if derived[relation.name] == nil { derived[relation.name] = relation }
            }
            for key in table.foreignKeys {
                add(Relation(
                    name: key.referencedTable.name, target: key.referencedTable, localColumns: key.columns,
                    remoteColumns: key.referencedColumns, isList: false), byColumn: key.columns.joined(separator: "_"))
            }
            for incoming in table.referencedBy {
                add(Relation(
                    name: incoming.table.name, target: incoming.table, localColumns: incoming.foreignKey.referencedColumns,
                    remoteColumns: incoming.foreignKey.columns, isList: true),
                    byColumn: incoming.foreignKey.columns.joined(separator: "_"))
            }
            // Declared relations win over derived ones.
            entity.relations = derived.merging(entity.relations) { _, declared in declared }
        }
        return entity.relations
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
        if !relation.isList, target.identity == relation.remoteColumns,
            let loaded = session.lookup(target, identity: values)
        {
            return .row(loaded)
        }
        let query = Query(entity: target).filtered(criteria).ordered(relation.orderBy)
        let found = try rows(of: relation.isList ? query : query.sliced(from: 0, to: 1))
        return relation.isList ? .list(found.map(RuntimeValue.row)) : (found.first.map(RuntimeValue.row) ?? .none)
    }

    /// `users.loans.any(criterion)` / `loans.users.has(criterion)`: EXISTS over the relation.
    func relationExists(_ entity: Entity, _ relation: Relation, _ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords([])
        let target = try self.entity(named: relation.target.name, schema: relation.target.schema)
        var criteria = try zip(relation.localColumns, relation.remoteColumns).map { local, remote -> SQLExpression in
            .binary(try attributeExpression(remote, of: target), .equal, try attributeExpression(local, of: entity))
        }
        criteria += try arguments.positional.map(sqlOperand)
        let select = SelectStatement(
            columns: [.value(.integer(1))], from: target.fromItem, filter: criteria.count == 1 ? criteria[0] : .and(criteria))
        return .sql(.exists(select))
    }

    /// Marks `row` deleted, and the rows of its cascading relations with it.
    func delete(_ row: Row) throws {
        guard row.entity.isWritable else { throw EvaluationError(row.entity.readOnlyReason) }
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

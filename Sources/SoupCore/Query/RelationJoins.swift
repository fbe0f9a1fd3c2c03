import SoupDriver
import SoupReflection

extension Soup {
    /// The name the related table goes by in a join or EXISTS through `relation` of `owner`:
    /// nil (the table's own name) for another table; for the table itself (a self-reference)
    /// an alias, so the two sides can be told apart: the relation's name, or `<name>_1` when
    /// that is the table's own name (`employees.employees` joins `employees AS employees_1`).
    func joinAlias(of relation: Relation, from owner: Entity) -> String? {
        guard let own = owner.table?.name, own == relation.target else { return nil }
        return relation.name == owner.qualifier ? relation.name + "_1" : relation.name
    }

    /// The qualifier of the related table's columns in a join or EXISTS through `relation`.
    func joinQualifier(of relation: Relation, from owner: Entity) -> String {
        joinAlias(of: relation, from: owner) ?? relation.target.name
    }

    /// The related table as a FROM item, under its alias when it needs one.
    func joinTarget(of relation: Relation, from owner: Entity) -> FromItem {
        .table(schema: relation.target.schema, name: relation.target.name, alias: joinAlias(of: relation, from: owner))
    }

    /// The equality of the relation's columns: `owner.local = related.remote`, ANDed.
    func joinCondition(of relation: Relation, from owner: Entity) -> SQLExpression {
        let qualifier = joinQualifier(of: relation, from: owner)
        let pairs = zip(relation.localColumns, relation.remoteColumns).map { local, remote -> SQLExpression in
            let left = owner.attribute(named: local)?.expression ?? .column(qualifier: owner.qualifier, name: local)
            return .binary(left, .equal, .column(qualifier: qualifier, name: remote))
        }
        return pairs.count == 1 ? pairs[0] : .and(pairs)
    }

    /// `entity.relation.column`: a column of the related table as a join through the relation
    /// names it (`employees.employees.last_name` is `employees_1.last_name`).
    func relatedColumn(_ name: String, of relation: Relation, from owner: Entity) throws -> SQLExpression {
        let target = try entity(named: relation.target.name, schema: relation.target.schema)
        guard target.attribute(named: name) != nil else {
            let columns = target.attributes.map(\.name)
            throw EvaluationError(
                "relation '\(relation.name)' (table '\(relation.target.name)') has no column '\(name)'"
                    + didYouMean(name, Set(columns)),
                hint: "its columns are " + columns.joined(separator: ", "))
        }
        return .column(qualifier: joinQualifier(of: relation, from: owner), name: name)
    }

    /// `query.join(entity.relation)`: joins the related table on the relation's columns. The
    /// relation must belong to the query's entity.
    func joinedThrough(_ query: Query, _ owner: Entity, _ relation: Relation, isOuter: Bool) throws -> Query {
        guard owner === query.entity else {
            throw EvaluationError(
                "relation '\(relation.name)' belongs to '\(owner.name)', not to '\(query.entity.name)' that the query reads")
        }
        var copy = query
        copy.joins.append(Query.Join(
            target: joinTarget(of: relation, from: owner), condition: joinCondition(of: relation, from: owner),
            isOuter: isOuter))
        return copy
    }

    /// The error for `employees.join(employees)`: a table joined to itself needs to say which way.
    func selfJoinError(_ entity: Entity) throws -> EvaluationError {
        let names = try relationList(of: entity).filter { $0.target == entity.table?.name }.map(\.name)
        let example = names.first.map { " (such as \(entity.name).join(\(entity.name).\($0)))" } ?? ""
        return EvaluationError(
            "'\(entity.name)' cannot be joined to itself by name; join one of its relations to itself\(example)",
            hint: names.isEmpty ? "pass the ON clause" : "its relations to itself are " + names.joined(separator: ", "))
    }
}

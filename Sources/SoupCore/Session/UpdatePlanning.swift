import SoupDriver

extension Soup {
    /// The UPDATE that rows of one shape share: the same entity, the same attributes changed,
    /// and the same identity parts NULL (matched with IS NULL and bound to no parameter). Its
    /// text is compiled once; each row binds its changed values, then the identity's parts that
    /// are not NULL, as the compiler orders them.
    final class UpdatePlan {
        let entity: Entity
        let changed: [Int]
        /// Bit i: identity part i is NULL.
        let nullIdentity: UInt64
        let text: String
        let parameterCount: Int
        /// Whether the UPDATE sets a part of the primary key (the row is then mapped anew).
        let changesIdentity: Bool

        init(entity: Entity, changed: [Int], nullIdentity: UInt64, text: String, parameterCount: Int) {
            self.entity = entity
            self.changed = changed
            self.nullIdentity = nullIdentity
            self.text = text
            self.parameterCount = parameterCount
            changesIdentity = !entity.usesRowID && changed.contains(where: entity.identityIndexes.contains)
        }

        /// Appends the values a row binds: the changed ones of its `values`, then its `stored`
        /// identity parts that are not NULL (or its `rowID`).
        func appendParameters(values: [Value], stored: [Value], rowID: Int64?, to parameters: inout [Value]) {
            for index in changed { parameters.append(values[index]) }
            if entity.usesRowID {
                if let rowID { parameters.append(.integer(rowID)) }
                return
            }
            for (part, index) in entity.identityIndexes.enumerated() where nullIdentity & (1 << UInt64(part)) == 0 {
                parameters.append(stored[index])
            }
        }
    }

    /// The UPDATE plans of one flush by shape.
    struct UpdatePlans {
        struct Shape: Hashable {
            var entity: ObjectIdentifier
            var changed: [Int]
            var nullIdentity: UInt64
        }

        var byShape: [Shape: UpdatePlan] = [:]
        /// The plan used last: a flush of many rows changed alike asks for it row after row, and
        /// each row is checked against it in place, without a list of changes of its own.
        var last: UpdatePlan?
    }

    /// The UPDATE of `row`'s changed attributes, or nil when none changed; compiled only for the
    /// first row of its shape. A key of more than 64 parts (whose NULL parts do not fit the
    /// mask) is compiled for each row.
    func plannedUpdate(of row: Row, plans: inout UpdatePlans) -> PlannedWrite? {
        let entity = row.entity
        let values = row.values
        let stored = row.storedValues
        var nullIdentity: UInt64 = 0
        let reusable = entity.identityIndexes.count <= 64
        if entity.usesRowID {
            if row.rowID == nil { nullIdentity = 1 }
        } else if reusable {
            for (part, index) in entity.identityIndexes.enumerated() where stored[index].isNull {
                nullIdentity |= 1 << UInt64(part)
            }
        }
        if let last = plans.last, last.entity === entity, last.nullIdentity == nullIdentity,
            Row.changed(from: stored, to: values, exactly: last.changed)
        {
            return PlannedWrite(kind: .update, row: row, statement: .update(last), changesIdentity: last.changesIdentity)
        }
        let changed = Row.changed(from: stored, to: values)
        guard !changed.isEmpty else { return nil }
        let shape = UpdatePlans.Shape(entity: ObjectIdentifier(entity), changed: changed, nullIdentity: nullIdentity)
        if reusable, let plan = plans.byShape[shape] {
            plans.last = plan
            return PlannedWrite(kind: .update, row: row, statement: .update(plan), changesIdentity: plan.changesIdentity)
        }
        let assignments = changed.map { index in
            WriteStatement.Assignment(column: entity.attributes[index].name, value: .value(values[index]))
        }
        let statement = WriteStatement.update(table: tableName(of: row), assignments: assignments, filter: identityCriterion(row))
        let compiled = compiler.compile(statement)
        let plan = UpdatePlan(
            entity: entity, changed: changed, nullIdentity: nullIdentity, text: compiled.sql,
            parameterCount: compiled.parameters.count)
        guard reusable else {
            return PlannedWrite(kind: .update, row: row, statement: .compiled(compiled), changesIdentity: plan.changesIdentity)
        }
        let write = PlannedWrite(kind: .update, row: row, statement: .update(plan), changesIdentity: plan.changesIdentity)
        assert(write.sql == compiled, "an UPDATE plan binds what the compiler binds")
        plans.byShape[shape] = plan
        plans.last = plan
        return write
    }
}

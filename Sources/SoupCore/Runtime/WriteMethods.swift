import SoupDriver
import SoupReflection

extension Soup {
    /// `entity.insert(**values)` and `entity(**values)`: a pending row, inserted at the next flush.
    func insert(into entity: Entity, _ arguments: Arguments) throws -> RuntimeValue {
        guard try settled(entity).isWritable else { throw arguments.error(entity.readOnlyReason) }
        try arguments.expectAtMost(0)
        let row = Row(
            entity: entity, values: Array(repeating: .null, count: entity.attributes.count), state: .pending, clock: session.clock)
        for (name, value) in arguments.keywords {
            guard let index = entity.attributes.firstIndex(where: { $0.name == name }) else {
                throw arguments.error(
                    "'\(entity.name)' has no column '\(name)'" + didYouMean(name, Set(entity.attributes.map(\.name))),
                    hint: "its columns are " + entity.attributes.map(\.name).joined(separator: ", "))
            }
            row.set(try plainValue(value, for: name), at: index)
        }
        session.add(row)
        return .row(row)
    }

    /// Sets attribute `name` of `row` from Swift, as `row.name = value` does in the language.
    public func setValue(_ value: Value, forAttribute name: String, of row: Row) throws {
        try assign(.scalar(value), toAttribute: name, of: row)
    }

    /// `row.name = value`: marks the row changed; the UPDATE is sent at the next flush.
    func assign(_ value: RuntimeValue, toAttribute name: String, of row: Row) throws {
        guard let index = row.entity.attributes.firstIndex(where: { $0.name == name }) else {
            throw EvaluationError(
                "'\(row.entity.name)' has no column '\(name)'" + didYouMean(name, Set(row.entity.attributes.map(\.name))))
        }
        guard try settled(row.entity).isWritable else { throw EvaluationError(row.entity.readOnlyReason) }
        guard row.state == .persistent || row.state == .pending else {
            throw EvaluationError("the row was \(row.state == .deleted ? "deleted" : "expunged"); it cannot be changed")
        }
        try freshen(row)
        row.set(try plainValue(value, for: name), at: index)
        session.markDirty(row)
    }

    private func plainValue(_ value: RuntimeValue, for name: String) throws -> Value {
        guard case .scalar(let scalar) = value else {
            throw EvaluationError("'\(name)' needs a plain value, not \(value.kindName)")
        }
        return scalar
    }

    // MARK: Bulk update and delete

    /// `query.update({col: value})`: one UPDATE now, inside the session's transaction; returns
    /// the number of rows changed and keeps loaded rows in step.
    func bulkUpdate(_ query: Query, _ values: [(String, RuntimeValue)], _ arguments: Arguments) throws -> RuntimeValue {
        let entity = query.entity
        guard try settled(entity).isWritable else { throw arguments.error(entity.readOnlyReason) }
        guard query.joins.isEmpty, query.limit == nil, query.offset == nil else {
            throw arguments.error("update() works on a filtered entity, without joins, limit or offset")
        }
        guard !values.isEmpty else { throw arguments.error("needs the values to set, e.g. update({'email': 'x'})") }
        var assignments: [WriteStatement.Assignment] = []
        var plain: [(Int, Value)] = []
        for (name, value) in values {
            guard let index = entity.attributes.firstIndex(where: { $0.name == name }) else {
                throw arguments.error("'\(entity.name)' has no column '\(name)'" + didYouMean(name, Set(entity.attributes.map(\.name))))
            }
            assignments.append(.init(column: name, value: try sqlOperand(value)))
            if case .scalar(let scalar) = value { plain.append((index, scalar)) }
        }
        try refuseUnfiltered(query, "update()")
        let matched = try matchingLoadedRows(query)
        let count = try writeNow(compiler.compile(
            WriteStatement.update(table: try writableTable(entity), assignments: assignments, filter: query.combinedFilter)))
        for row in matched {
            if plain.count == values.count {
                let previous = row.storedIdentity
                for (index, value) in plain {
                    row.values[index] = value
                    row.storedValues[index] = value
                }
                session.updated(row, previousIdentity: previous)
            } else {
                row.isExpired = true
            }
        }
        return .scalar(.integer(Int64(count)))
    }

    /// `query.delete()`: one DELETE now, inside the session's transaction; returns the number of
    /// rows deleted and forgets the loaded ones.
    func bulkDelete(_ query: Query, _ arguments: Arguments) throws -> RuntimeValue {
        let entity = query.entity
        guard try settled(entity).isWritable else { throw arguments.error(entity.readOnlyReason) }
        guard query.joins.isEmpty, query.limit == nil, query.offset == nil else {
            throw arguments.error("delete() works on a filtered entity, without joins, limit or offset")
        }
        try refuseUnfiltered(query, "delete()")
        let matched = try matchingLoadedRows(query)
        let count = try writeNow(compiler.compile(
            WriteStatement.delete(table: try writableTable(entity), filter: query.combinedFilter)))
        for row in matched { session.forget(row) }
        return .scalar(.integer(Int64(count)))
    }

    /// A bulk write with no filter would change every row: refused with `--safe-updates`,
    /// asked about at the REPL.
    private func refuseUnfiltered(_ query: Query, _ method: String) throws {
        guard query.combinedFilter == nil else { return }
        try confirmWriteOfEveryRow(of: query.entity.name, statement: "\(method) without a filter") {
            let count = compiler.compile(query.countStatement)
            if case .integer(let rows)? = try connection.fetchAll(count.sql, count.parameters).first?.first { return Int(rows) }
            return 0
        }
    }

    private func writableTable(_ entity: Entity) throws -> TableName {
        guard let table = entity.table, try settled(entity).isWritable else { throw EvaluationError(entity.readOnlyReason) }
        return table.name
    }

    /// The loaded rows that `query` selects, found by reading the identities it matches.
    private func matchingLoadedRows(_ query: Query) throws -> [Row] {
        try settled(query.entity)
        let loaded = session.loadedRows(of: query.entity)
        guard !loaded.isEmpty else { return [] }
        var identityQuery = query
        let keyColumns = query.entity.usesRowID ? ["rowid"] : query.entity.identity
        identityQuery.selection = keyColumns.map { .column(qualifier: query.entity.qualifier, name: $0) }
        let cursor = try run(compiler.compile(identityQuery.statement))
        var rows: [Row] = []
        while let identity = try cursor.next() {
            if let row = session.lookup(query.entity, identity: identity) { rows.append(row) }
        }
        return rows
    }

    /// Runs a write statement at once (after a flush), opening the session's transaction.
    private func writeNow(_ compiled: CompiledSQL) throws -> Int {
        try flush()
        if connection.transactionStatus == .idle { try connection.begin() }
        writesSent += 1
        let cursor = try connection.query(compiled.sql, compiled.parameters)
        while try cursor.next() != nil {}
        let count = cursor.rowsAffected ?? 0
        logSent(compiled, change: .rows(count))
        return count
    }

    /// The `{col: value}` of `update()`, or the keywords of SQLSoup's `entity.update(crit, **values)`.
    func updateValues(_ arguments: Arguments, dictionaryAt position: Int) throws -> [(String, RuntimeValue)] {
        if let dictionary = arguments.optional("values", at: position) {
            guard case .dictionary(let items) = dictionary else { throw arguments.error("values must be a dict") }
            return try items.map { item in
                switch item.key {
                case .scalar(.text(let name)): return (name, item.value)
                case .sql(.column(_, let name)): return (name, item.value)
                default: throw arguments.error("dict keys must be column names or columns")
                }
            }
        }
        return arguments.keywords.filter { $0.name != "values" }.map { ($0.name, $0.value) }
    }
}

import SoupDriver
import SoupReflection

/// One statement of a flush and the row it writes.
struct PlannedWrite {
    enum Kind {
        case insert, update, delete
    }

    /// The SQL of the write: compiled for its row, or the UPDATE its row shares with the rows
    /// changed alike, whose values are bound as it is sent (no text or list of its own).
    enum Statement {
        case compiled(CompiledSQL)
        case update(Soup.UpdatePlan)
    }

    var kind: Kind
    var row: Row
    var statement: Statement
    /// Whether an UPDATE changes the row's identity, which the session then maps anew.
    var changesIdentity = false

    /// The SQL text.
    var text: String {
        switch statement {
        case .compiled(let sql): return sql.sql
        case .update(let plan): return plan.text
        }
    }

    /// The SQL with the row's values bound.
    var sql: CompiledSQL {
        switch statement {
        case .compiled(let sql): return sql
        case .update(let plan):
            var parameters: [Value] = []
            parameters.reserveCapacity(plan.parameterCount)
            plan.appendParameters(values: row.values, stored: row.storedValues, rowID: row.rowID, to: &parameters)
            return CompiledSQL(sql: plan.text, parameters: parameters)
        }
    }

    /// How many values the SQL binds.
    var parameterCount: Int {
        switch statement {
        case .compiled(let sql): return sql.parameters.count
        case .update(let plan): return plan.parameterCount
        }
    }

    /// Adds the values the SQL binds as one run of `runs`.
    func appendParameters(to runs: inout ParameterRows) {
        switch statement {
        case .compiled(let sql): runs.append(sql.parameters)
        case .update(let plan):
            runs.appendRun { plan.appendParameters(values: row.values, stored: row.storedValues, rowID: row.rowID, to: &$0) }
        }
    }
}

extension Soup {
    // MARK: Flush

    /// The SQL the next flush sends, in order, without sending it (`db.pending()`).
    public func pendingStatements() throws -> [CompiledSQL] {
        return try plannedWrites(entities: completeTablesOfChangedRows()).map(\.sql)
    }

    /// How many statements the next flush sends; reads nothing from the database.
    public var pendingStatementCount: Int {
        (try? plannedWrites(orderingRows: false).count) ?? 0
    }

    /// Sends pending INSERTs, UPDATEs of changed columns and DELETEs, parents inserted before
    /// children and children deleted before parents, as the reflected foreign keys say. Opens a
    /// transaction first when none is open, so the changes stay uncommitted until `commit()`.
    public func flush() throws {
        guard session.hasChanges else { return }
        if connection.transactionStatus == .idle { try connection.begin() }
        var complete = false
        defer { session.finishFlush(complete: complete) }
        let parts = try plannedParts(entities: completeTablesOfChangedRows())
        var runs = RunSender()
        for write in parts.inserts { try insert(write) }
        // Each changed row is planned as its part of the run is sent, while it is still cached.
        var plans = UpdatePlans()
        // By index: the rows are not copied (each copy retained its row).
        for index in parts.changed.indices where parts.changed[index].state == .persistent {
            if let update = plannedUpdate(of: parts.changed[index], plans: &plans) { try runs.add(update, soup: self) }
        }
        for write in parts.deletes { try runs.add(write, soup: self) }
        try runs.endRun(soup: self)
        complete = true
    }

    private func insert(_ write: PlannedWrite) throws {
        writesSent += 1
        logSent(write.sql, change: WriteChange(write))
        let cursor = try connection.query(write.sql.sql, write.sql.parameters)
        if let returned = try cursor.next() {
            var values = returned
            if write.row.entity.usesRowID, case .integer(let id)? = values.popLast() {
                write.row.rowID = id
            }
            write.row.reload(values)
        }
        while try cursor.next() != nil {}
        session.inserted(write.row)
    }

    /// Reads whole the tables of the rows a flush would write, for their foreign keys (see
    /// ``tableOrder(of:)``); returns their entities, for ``plannedWrites(orderingRows:entities:)``.
    @discardableResult
    func completeTablesOfChangedRows() throws -> [Entity] {
        let entities = changedEntities()
        for entity in entities { _ = try completeTable(of: entity) }
        return entities
    }

    /// The entities of the pending, changed and deleted rows, in the order first seen.
    private func changedEntities() -> [Entity] {
        var entities: [Entity] = []
        var last: Entity?
        for rows in [session.pending, session.dirty, session.deleted] {
            // Rows of one table come in runs: the list is searched only when the table changes.
            for row in rows where row.entity !== last {
                last = row.entity
                if !entities.contains(where: { $0 === row.entity }) { entities.append(row.entity) }
            }
        }
        return entities
    }

    /// Every write of the next flush, in the order it will be sent; the tables of its rows
    /// ordered by foreign keys once ``completeTablesOfChangedRows()`` has read them whole, and
    /// the rows of a table that references itself in the order those keys need
    /// (``RowOrder``), unless `orderingRows` is false (only counting). `entities` are those
    /// of the changed rows when already known (each row is read once less).
    func plannedWrites(orderingRows: Bool = true, entities: [Entity]? = nil) throws -> [PlannedWrite] {
        let parts = try plannedParts(orderingRows: orderingRows, entities: entities)
        var plans = UpdatePlans()
        var writes = parts.inserts
        writes.reserveCapacity(parts.inserts.count + parts.changed.count + parts.deletes.count)
        for row in parts.changed where row.state == .persistent {
            if let update = plannedUpdate(of: row, plans: &plans) { writes.append(update) }
        }
        return writes + parts.deletes
    }

    /// ``plannedWrites(orderingRows:entities:)`` with the UPDATEs not yet planned: the changed
    /// rows in the order their UPDATEs go (a flush plans each as it sends it).
    func plannedParts(orderingRows: Bool = true, entities: [Entity]? = nil) throws
        -> (inserts: [PlannedWrite], changed: [Row], deletes: [PlannedWrite])
    {
        let order = tableOrder(of: entities ?? changedEntities())
        func rank(_ row: Row) -> Int { order[ObjectIdentifier(row.entity)] ?? 0 }
        /// `rows` by table rank (descending for deletes), in row order within a rank; then the
        /// rows of each table that references itself take the places its rows had, in the
        /// order those keys need (inserts and deletes).
        func ranked(_ rows: [Row], reversed: Bool, orderingRows: Bool = orderingRows) throws -> [Row] {
            var sorted = rows
            // Rows of one table (the common flush) keep their order without a sort.
            if order.count > 1 {
                let sign = reversed ? -1 : 1
                let ranks = rows.map { sign * rank($0) }
                if ranks.contains(where: { $0 != ranks.first }) {
                    sorted = rows.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }.map { rows[$0] }
                }
            }
            guard orderingRows else { return sorted }
            var places: [ObjectIdentifier: [Int]] = [:]
            for (place, row) in sorted.enumerated() { places[ObjectIdentifier(row.entity), default: []].append(place) }
            for entityPlaces in places.values where entityPlaces.count > 1 {
                let ordered = try RowOrder.sorted(entityPlaces.map { sorted[$0] }, reversed: reversed)
                for (place, row) in zip(entityPlaces, ordered) { sorted[place] = row }
            }
            return sorted
        }
        let inserts = try ranked(session.pending, reversed: false).map { row in
            PlannedWrite(kind: .insert, row: row, statement: .compiled(insertSQL(for: row)))
        }
        let changed = try ranked(session.dirty, reversed: false, orderingRows: false)
        let deletes = try ranked(session.deleted, reversed: true).map { row in
            PlannedWrite(kind: .delete, row: row, statement: .compiled(deleteSQL(for: row)))
        }
        return (inserts, changed, deletes)
    }

    /// A rank per entity: parents (referenced tables) before children, by the foreign keys among
    /// the tables of `entities`; tables in a cycle keep their order in `entities`.
    private func tableOrder(of entities: [Entity]) -> [ObjectIdentifier: Int] {
        var remaining = entities
        var ranks: [ObjectIdentifier: Int] = [:]
        var rank = 0
        while !remaining.isEmpty {
            let ready = remaining.filter { entity in
                let parents = entity.table?.foreignKeys.map(\.referencedTable) ?? []
                return !remaining.contains { other in
                    other !== entity && parents.contains { $0.name == other.table?.name.name && ($0.schema == nil || $0.schema == other.table?.name.schema) }
                }
            }
            let next = ready.isEmpty ? [remaining[0]] : ready
            for entity in next { ranks[ObjectIdentifier(entity)] = rank }
            rank += 1
            remaining.removeAll { entity in next.contains { $0 === entity } }
        }
        return ranks
    }

    func tableName(of row: Row) -> TableName {
        row.entity.table?.name ?? TableName(row.entity.name)
    }

    func identityCriterion(_ row: Row) -> SQLExpression {
        let columns = row.entity.usesRowID ? ["rowid"] : row.entity.identity
        let criteria = zip(columns, row.storedIdentity).map { column, value -> SQLExpression in
            value.isNull ? .isNull(.column(qualifier: nil, name: column), negated: false)
                : .binary(.column(qualifier: nil, name: column), .equal, .value(value))
        }
        return criteria.count == 1 ? criteria[0] : .and(criteria)
    }

    private func insertSQL(for row: Row) -> CompiledSQL {
        let indexes = row.assigned.sorted()
        var returning = row.entity.attributes.map(\.name)
        if row.entity.usesRowID { returning.append("rowid") }
        return compiler.compile(WriteStatement.insert(
            table: tableName(of: row), columns: indexes.map { row.entity.attributes[$0].name },
            values: indexes.map { .value(row.values[$0]) }, returning: returning))
    }

    private func deleteSQL(for row: Row) -> CompiledSQL {
        compiler.compile(WriteStatement.delete(table: tableName(of: row), filter: identityCriterion(row)))
    }

    // MARK: Transactions

    /// Opens a transaction; `readOnly` asks for a read-only one (on a reader, when routing has
    /// one).
    public func begin(readOnly: Bool = false) throws {
        try connection.begin(readOnly: readOnly)
    }

    /// Flushes, then commits; loaded rows re-read their values on next use. In a dry run the
    /// transaction stays open, to be rolled back at the end.
    public func commit() throws {
        try flush()
        if !isDryRun, connection.transactionStatus != .idle {
            try connection.commit()
            sentWrites.removeAll()
        }
        session.committed()
        forgetBulkWrites()
    }

    /// Rolls back: pending rows are dropped and changed rows revert.
    public func rollback() throws {
        if connection.transactionStatus != .idle { try connection.rollback() }
        sentWrites.removeAll()
        session.rolledBack()
        forgetBulkWrites()
    }

    /// After the connection went away (lost, or closed by `\reconnect`): the server rolled the
    /// transaction back, so the session forgets what ``rollback()`` forgets, without sending
    /// anything, and reflected tables are read again on next use.
    public func forgetLostTransaction() {
        sentWrites.removeAll()
        session.rolledBack()
        forgetBulkWrites()
        refreshSchema()
    }

    /// The savepoint that runs take before a statement or input they may have to undo.
    static let savepointName = "soup_statement"

    /// Flushes, then sets a savepoint that ``rollback(to:)`` can return to (psql's
    /// ON_ERROR_ROLLBACK, for `--continue` and the REPL's inputs).
    func savepoint() throws -> Session.Marker {
        try flush()
        try connection.savepoint(Self.savepointName)
        var marker = session.marker()
        marker.writesSent = sentWrites.count
        return marker
    }

    /// Forgets the savepoint after the statement succeeded.
    func releaseSavepoint() throws {
        try flush()
        try connection.release(savepoint: Self.savepointName)
    }

    /// Undoes what happened since the savepoint, in the database and in the session.
    func rollback(to marker: Session.Marker) throws {
        try connection.rollback(toSavepoint: Self.savepointName)
        sentWrites.removeLast(max(0, sentWrites.count - marker.writesSent))
        session.rolledBack(to: marker)
    }

    /// Reads a row's values from the database again (`db.refresh(row)`).
    func refresh(_ row: Row) throws {
        try settled(row.entity)
        guard row.state == .persistent || row.state == .deleted else {
            throw EvaluationError("only a row read from the database can be refreshed")
        }
        let columns = Query(entity: row.entity).entityColumns
        let select = SelectStatement(
            columns: columns, from: row.entity.fromItem, filter: identityCriterion(row).qualified(by: row.entity.qualifier))
        let cursor = try run(compiler.compile(select))
        guard var values = try cursor.next() else {
            session.forget(row)
            throw EvaluationError("\(row.representation) no longer exists in the database")
        }
        while try cursor.next() != nil {}
        if row.entity.usesRowID { values.removeLast() }
        row.reload(values)
    }

    /// Re-reads an expired row before its values are used (a row read before its identity
    /// expires once the identity is read).
    func freshen(_ row: Row) throws {
        if row.entity.isIdentityPending, row.wasReadBeforeLastTransactionEnd { try settled(row.entity) }
        if row.isExpired, row.state == .persistent { try refresh(row) }
    }
}

extension SQLExpression {
    /// The expression with unqualified columns qualified by `qualifier`.
    func qualified(by qualifier: String) -> SQLExpression {
        switch self {
        case .column(nil, let name): return .column(qualifier: qualifier, name: name)
        case .binary(let l, let op, let r): return .binary(l.qualified(by: qualifier), op, r.qualified(by: qualifier))
        case .and(let items): return .and(items.map { $0.qualified(by: qualifier) })
        case .isNull(let inner, let negated): return .isNull(inner.qualified(by: qualifier), negated: negated)
        default: return self
        }
    }
}

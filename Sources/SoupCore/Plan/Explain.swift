import SoupDriver
import SoupLanguage
import SoupReflection
import SoupSQL

extension Soup {
    /// The savepoint that `analyze` of a writing statement runs in, to be rolled back.
    static let explainSavepoint = "soup_explain"

    /// The plan of `sql` on this connection's engine (`\explain`, `query.explain()`, EXPLAIN
    /// typed as SQL). With `analyze` the statement runs; when it may write, inside a savepoint
    /// that is rolled back (in a transaction opened for it when none is open), and the plan says
    /// so. Pending changes are flushed first, as for any statement.
    public func explain(sql: String, parameters: [Value] = [], analyze: Bool) throws -> QueryPlan {
        try flush()
        let writes = SQLClassifier.classify(sql).kind != .read
        guard analyze, writes else { return try plan(of: sql, parameters, analyze: analyze) }
        let opened = connection.transactionStatus == .idle
        if opened { try connection.begin() }
        try connection.savepoint(Self.explainSavepoint)
        var plan: QueryPlan
        do {
            plan = try self.plan(of: sql, parameters, analyze: true)
        } catch {
            try? undoExplain(opened: opened)
            throw error
        }
        try undoExplain(opened: opened)
        plan.notes.append("the statement ran inside a savepoint that was rolled back: nothing was changed")
        return plan
    }

    private func undoExplain(opened: Bool) throws {
        try connection.rollback(toSavepoint: Self.explainSavepoint)
        try connection.release(savepoint: Self.explainSavepoint)
        if opened { try connection.rollback() }
    }

    private func plan(of sql: String, _ parameters: [Value], analyze: Bool) throws -> QueryPlan {
        var plan: QueryPlan
        switch dialect.engine {
        case .postgres:
            let options = analyze ? "FORMAT JSON, ANALYZE, BUFFERS" : "FORMAT JSON"
            let rows = try connection.fetchAll("EXPLAIN (\(options)) " + sql, parameters)
            let json: String? =
                switch rows.first?.first {
                case .json(let text)?, .text(let text)?: text
                default: nil
                }
            guard let json, let read = PostgresPlan.plan(json: json, analyzed: analyze) else {
                throw EvaluationError("PostgreSQL's EXPLAIN returned no plan soup can read")
            }
            plan = read
        case .sqlite:
            let rows = try connection.fetchAll("EXPLAIN QUERY PLAN " + sql, parameters)
            plan = SQLitePlan.plan(rows: rows, filtered: filteredColumns(of: sql))
            if analyze {
                // SQLite counts nothing per step: run the statement and say what it did.
                let started = ContinuousClock.now
                let cursor = try connection.query(sql, parameters)
                var count = 0
                while try cursor.next() != nil { count += 1 }
                let elapsed = ContinuousClock.now - started
                let changed = cursor.columns.isEmpty ? cursor.rowsAffected.map { ", changed \($0.groupedByThousands) row\($0 == 1 ? "" : "s")" } ?? "" : ""
                plan.analyzed = true
                plan.notes.append(
                    "ran in \(PlanNumber.decimal(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)) ms, "
                        + "returned \(count.groupedByThousands) row\(count == 1 ? "" : "s")\(changed) (SQLite counts no rows per step)")
            }
        }
        plan.binding = routeOfLastStatement()
        return plan
    }

    /// For a table as a SQLite plan spells it (name or alias): its name, and the columns of it
    /// that `sql` filters or joins on. A qualified name counts for its table; a bare one only
    /// when no other table the statement names has a column of that name (`WHERE id = …` in a
    /// query with a subquery is not advice about the subquery's table). The primary key's first
    /// column has an index already.
    private func filteredColumns(of sql: String) -> (String) -> (table: String, columns: [String]) {
        let filtered = SQLShape.filteredNames(in: sql)
        let references = SQLTableReferences.in(sql)
        let columns = { [catalog] (table: String) -> [String] in
            ((try? catalog.tableForQuerying(TableName(parsing: table)))?.columns.map(\.name)) ?? []
        }
        return { [catalog] spelled in
            let lowered = spelled.lowercased()
            let reference = references.first { $0.alias == lowered } ?? references.first { $0.name == lowered }
            let table = reference?.name ?? spelled
            let qualifiers = Set([lowered, table.lowercased()] + (reference?.alias.map { [$0] } ?? []))
            let elsewhere = Set(
                references.filter { $0 != reference && $0.name != table.lowercased() }.flatMap { columns($0.name).map { $0.lowercased() } })
            let indexed = (try? catalog.primaryKey(of: TableName(parsing: table)))??.columns.first?.lowercased()
            let candidates = columns(table).filter { column in
                let name = column.lowercased()
                guard name != indexed else { return false }
                return qualifiers.contains { filtered.contains($0 + "." + name) } || (filtered.contains(name) && !elsewhere.contains(name))
            }
            return (table, candidates)
        }
    }

    /// The plan of what a soup statement or SQL (`\explain STATEMENT`) would run: a query, or a
    /// query ended by `all()`, `first()`, `one()`, `one_or_none()` or `count()`; SQL as it is.
    public func explain(_ statement: Statement, analyze: Bool) throws -> QueryPlan {
        switch statement.kind {
        case .sql(let sql):
            let explained = SQLShape.explain(in: sql)
            return try explain(sql: explained?.statement ?? sql, analyze: analyze || explained?.analyze == true)
        case .expression(let expression):
            if case .call(let callee, let arguments) = expression.kind, arguments.isEmpty,
                case .attribute(let receiver, let method) = callee.kind,
                ["all", "first", "one", "one_or_none", "count"].contains(method.name),
                case .query(var query) = try evaluate(receiver)
            {
                if method.name == "count" { return try explain(compiled: compiler.compile(query.countStatement), analyze: analyze) }
                if method.name != "all" { query = query.sliced(from: 0, to: method.name == "first" ? 1 : 2) }
                return try explain(value: .query(query), analyze: analyze)
            }
            return try explain(value: try evaluate(expression), analyze: analyze)
        default:
            throw EvaluationError("\\explain takes a query (users.filter(...)) or SQL ending in ';'", range: statement.range)
        }
    }

    /// The plan of a query, a `select(...)` or a `text(...)` value (`query.explain()`).
    func explain(value: RuntimeValue, analyze: Bool) throws -> QueryPlan {
        switch value {
        case .query(let query): return try explain(compiled: compiler.compile(query.statement), analyze: analyze)
        case .select(let select, _, _): return try explain(compiled: compiler.compile(select), analyze: analyze)
        case .text(let sql): return try explain(sql: sql, analyze: analyze)
        case .entity(let entity): return try explain(value: .query(Query(entity: entity)), analyze: analyze)
        default: throw EvaluationError("explain() needs a query, a select() or a text() clause, not \(value.kindName)")
        }
    }

    private func explain(compiled: CompiledSQL, analyze: Bool) throws -> QueryPlan {
        try explain(sql: compiled.sql, parameters: compiled.parameters, analyze: analyze)
    }
}

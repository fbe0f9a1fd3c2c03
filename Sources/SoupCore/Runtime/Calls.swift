import SoupDriver
import SoupReflection

extension Soup {
    /// `function(arguments...)`.
    func call(_ function: RuntimeValue, with arguments: Arguments) throws -> RuntimeValue {
        switch function {
        case .builtin(let builtin):
            return try callBuiltin(builtin, arguments)
        case .sqlFunction(let name):
            try arguments.allowKeywords([])
            return .sql(.function(name: name, arguments: try arguments.positional.map(sqlOperand), distinct: false))
        case .method(let receiver, let name):
            return try callMethod(name, on: receiver, arguments)
        case .entity(let entity):
            return try insert(into: entity, arguments)
        default:
            throw arguments.error("\(function.kindName) is not callable")
        }
    }

    private func callMethod(_ name: String, on receiver: RuntimeValue, _ arguments: Arguments) throws -> RuntimeValue {
        switch receiver {
        case .soup: return try callSoupMethod(name, arguments)
        case .connection: return try executeText(arguments)
        case .entity(let entity):
            switch name {
            case "insert": return try insert(into: entity, arguments)
            case "relate": return try relate(entity, arguments)
            case "update" where arguments.optional("criterion", at: 0)?.isSQL == true:
                // SQLSoup's older form: entity.update(criterion, col=value, ...).
                let criterion = try sqlOperand(try arguments.required("criterion", at: 0))
                return try bulkUpdate(Query(entity: entity).filtered([criterion]), try updateValues(arguments, dictionaryAt: 1), arguments)
            case "delete" where !arguments.positional.isEmpty:
                // SQLSoup's older form: entity.delete(criterion).
                let criteria = try arguments.positional.map(sqlOperand)
                return try bulkDelete(Query(entity: entity).filtered(criteria), arguments)
            default:
                if Self.entityMethods.contains(name) { return try callLookupHelper(name, on: entity, arguments) }
                return try callQueryMethod(name, on: Query(entity: entity), arguments)
            }
        case .query(let query): return try callQueryMethod(name, on: query, arguments)
        case .sql(let sql): return try callColumnMethod(name, on: sql, arguments)
        case .columns(let entity):
            try arguments.expectNone()
            return .list(entity.attributes.map { .scalar(.text($0.name)) })
        case .row(let row):
            try arguments.expectNone()
            return .dictionary(zip(row.entity.attributes, row.values).map { .init(key: .scalar(.text($0.name)), value: .scalar($1)) })
        case .record(let record):
            try arguments.expectNone()
            return .dictionary(zip(record.columns, record.values).map { .init(key: .scalar(.text($0.name)), value: .scalar($1)) })
        case .relationship(let entity, let relation):
            return try relationExists(entity, relation, arguments)
        case .select(let select, let columns, let alias):
            return try callSelectMethod(name, on: select, columns: columns, alias: alias, arguments)
        default:
            throw arguments.error("\(receiver.kindName) has no method '\(name)'")
        }
    }

    // MARK: Builtins

    private func callBuiltin(_ builtin: Builtin, _ arguments: Arguments) throws -> RuntimeValue {
        switch builtin {
        case .or_, .and_:
            try arguments.allowKeywords([])
            let operands = try arguments.positional.map(sqlOperand)
            return .sql(builtin == .or_ ? .or(operands) : .and(operands))
        case .not_:
            try arguments.allowKeywords([])
            try arguments.expectAtMost(1)
            return .sql(.not(try sqlOperand(try arguments.required("clause", at: 0))))
        case .desc, .asc:
            try arguments.allowKeywords([])
            try arguments.expectAtMost(1)
            let column = try sqlOperand(try arguments.required("column", at: 0))
            return .sql(.ordering(column, descending: builtin == .desc))
        case .text:
            try arguments.allowKeywords([])
            guard let sql = try arguments.string("text", at: 0) else { throw arguments.error("needs the SQL text") }
            return .text(sql)
        case .literal:
            try arguments.allowKeywords([])
            guard case .scalar(let value) = try arguments.required("value", at: 0) else {
                throw arguments.error("needs a plain value")
            }
            return .sql(.value(value))
        case .select:
            return try buildSelect(arguments)
        case .repr:
            return .scalar(.text(try representation(of: try arguments.required("object", at: 0))))
        case .len:
            return try length(of: try arguments.required("object", at: 0), arguments)
        case .print:
            let parts = try arguments.positional.map { value -> String in
                if case .scalar(.text(let s)) = value { return s }
                return try representation(of: value)
            }
            printLine(parts.joined(separator: " "))
            return .none
        case .list:
            let value = try arguments.required("iterable", at: 0)
            switch value {
            case .query(let query): return .list(try rows(of: query).map(RuntimeValue.row))
            case .entity(let entity): return .list(try rows(of: Query(entity: entity)).map(RuntimeValue.row))
            case .list(let items), .tuple(let items): return .list(items)
            case .columns(let entity): return .list(entity.attributes.map { .scalar(.text($0.name)) })
            default: throw arguments.error("\(value.kindName) is not iterable")
            }
        case .help:
            guard let value = arguments.optional("object", at: 0) else {
                printLine(try helpText())
                return .none
            }
            printLine(try description(of: value))
            return .none
        case .func:
            throw arguments.error("use func.NAME(...), e.g. func.count() or func.lower(users.name)")
        }
    }

    private func length(of value: RuntimeValue, _ arguments: Arguments) throws -> RuntimeValue {
        switch value {
        case .list(let items), .tuple(let items): return .scalar(.integer(Int64(items.count)))
        case .dictionary(let items): return .scalar(.integer(Int64(items.count)))
        case .scalar(.text(let s)): return .scalar(.integer(Int64(s.count)))
        case .scalar(.blob(let b)): return .scalar(.integer(Int64(b.count)))
        case .query, .entity: return try callQueryMethod("count", on: try query(from: value), Arguments(positional: [], keywords: [], range: arguments.range, callee: "count"))
        case .columns(let entity): return .scalar(.integer(Int64(entity.attributes.count)))
        default: throw arguments.error("\(value.kindName) has no length")
        }
    }

    func query(from value: RuntimeValue) throws -> Query {
        switch value {
        case .query(let query): return query
        case .entity(let entity): return Query(entity: entity)
        default: throw EvaluationError("\(value.kindName) is not a query")
        }
    }

    // MARK: db methods

    private func callSoupMethod(_ name: String, _ arguments: Arguments) throws -> RuntimeValue {
        switch name {
        case "entity":
            try arguments.allowKeywords(["name", "schema", "pk"])
            guard let table = try arguments.string("name", at: 0) else { throw arguments.error("needs a table name") }
            var identity: [String]?
            if let pk = arguments.optional("pk") {
                guard case .list(let items) = pk else { throw arguments.error("pk must be a list of column names") }
                identity = try items.map { item in
                    guard case .scalar(.text(let column)) = item else { throw arguments.error("pk must list column names") }
                    return column
                }
            }
            return .entity(try entity(named: table, schema: try arguments.string("schema", at: 1), identity: identity))
        case "tables":
            try arguments.expectNone()
            return .list(try tableNames().map { .scalar(.text($0)) })
        case "refresh_schema":
            try arguments.expectNone()
            refreshSchema()
            return .none
        case "connection":
            try arguments.expectNone()
            return .connection
        case "execute":
            return try executeText(arguments)
        case "map": return try map(arguments)
        case "map_to": return try mapTo(arguments)
        case "with_labels": return try withLabels(arguments)
        case "join": return try join(arguments)
        case "flush", "commit", "rollback", "expunge_all":
            try arguments.expectNone()
            switch name {
            case "flush": try flush()
            case "commit": try commit()
            case "rollback": try rollback()
            default: session.forgetAll()
            }
            return .none
        case "delete", "expunge", "refresh":
            try arguments.allowKeywords([])
            guard case .row(let row) = try arguments.required("row", at: 0) else {
                throw arguments.error("needs a row, such as users.get('x')")
            }
            switch name {
            case "delete":
                try delete(row)
            case "expunge": session.forget(row)
            default: try refresh(row)
            }
            return .none
        case "pending":
            try arguments.expectNone()
            let lines = try pendingReport()
            return lines.isEmpty ? .none : .scalar(.text(lines.joined(separator: "\n")))
        default:
            throw arguments.error("db has no method '\(name)'")
        }
    }

    /// `db.execute(sql, **params)`, `db.execute(sql, params={...})` and
    /// `db.connection().execute(sql, *values)`: `:name` and `?` placeholders become bound
    /// parameters; returns the rows as records.
    private func executeText(_ arguments: Arguments) throws -> RuntimeValue {
        guard var sql = try arguments.string("sql", at: 0) else { throw arguments.error("needs the SQL text") }
        // SQLSoup's tutorial wrapped a statement in a second pair of quotes; unwrap that.
        let trimmed = sql.trimmingWhitespace()
        if trimmed.count > 2, trimmed.hasPrefix("'"), trimmed.hasSuffix("'"), trimmed.filter({ $0 == "'" }).count == 2 {
            sql = String(trimmed.dropFirst().dropLast())
        }
        var named: [String: Value] = [:]
        for (name, value) in arguments.keywords {
            if name == "params", case .dictionary(let items) = value {
                for item in items {
                    guard case .scalar(.text(let key)) = item.key, case .scalar(let v) = item.value else {
                        throw arguments.error("params must map names to plain values")
                    }
                    named[key] = v
                }
            } else if case .scalar(let v) = value {
                named[name] = v
            } else {
                throw arguments.error("parameter '\(name)' must be a plain value, not \(value.kindName)")
            }
        }
        let positional = try arguments.positional.dropFirst().map { value -> Value in
            guard case .scalar(let v) = value else { throw arguments.error("parameters must be plain values") }
            return v
        }
        let (text, values) = try NamedParameters.bind(sql, named, positional: positional, dialect: dialect)
        let cursor = try execute(sql: text, parameters: values)
        return .list(try records(cursor).map(RuntimeValue.record))
    }
}

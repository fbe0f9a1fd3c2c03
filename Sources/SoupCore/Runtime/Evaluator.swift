import SoupDriver
import SoupLanguage
import SoupReflection

extension Soup {
    /// Runs one soup statement; returns the value of an expression statement (None included:
    /// it prints as `null` in JSON), or nil for an assignment. Raw SQL, meta commands and bare
    /// commit/rollback belong to the caller.
    public func evaluate(_ statement: Statement) throws -> RuntimeValue? {
        switch statement.kind {
        case .expression(let expression):
            return try evaluate(expression)
        case .assignment(let target, let expression):
            let value = try evaluate(expression)
            try assign(value, to: target)
            return nil
        case .sql, .meta, .commit, .rollback:
            throw EvaluationError("statement is not an expression", range: statement.range)
        }
    }

    /// Like `evaluate(_:)` for a statement whose value is printed: a top-level
    /// `q.all()` gives the query itself, so printing streams from the cursor instead of loading
    /// every row: memory stays flat however many rows there are.
    public func evaluateForPrinting(_ statement: Statement) throws -> RuntimeValue? {
        guard case .expression(let expression) = statement.kind else { return try evaluate(statement) }
        if case .call(let callee, let arguments) = expression.kind, arguments.isEmpty,
            case .attribute(let base, let method) = callee.kind, method.name == "all"
        {
            let receiver = try evaluate(base)
            switch receiver {
            case .query(let query):
                return .query(query)
            case .entity(let entity) where entity.attribute(named: "all") == nil:
                return .query(Query(entity: entity))
            default:
                do {
                    let function = try attribute("all", of: receiver, range: method.range)
                    return try call(function, with: Arguments(positional: [], keywords: [], range: expression.range, callee: "all"))
                } catch let error as EvaluationError {
                    throw error.located(at: expression.range)
                }
            }
        }
        return try evaluate(expression)
    }

    private func assign(_ value: RuntimeValue, to target: AssignmentTarget) throws {
        switch target.kind {
        case .name(let name):
            guard name != "db" else { throw EvaluationError("'db' cannot be reassigned", range: target.range) }
            variables[name] = value
        case .attribute(let base, let attribute):
            let object = try evaluate(base)
            try setAttribute(attribute.name, of: object, to: value, range: target.range)
        case .subscript:
            throw EvaluationError("assigning to an item is not supported", range: target.range)
        }
    }

    private func setAttribute(_ name: String, of object: RuntimeValue, to value: RuntimeValue, range: SourceRange) throws {
        switch object {
        case .soup where name != "schema":
            // `db.years_with_count = years_with_count`: names a mapped entity.
            guard case .entity(let entity) = value else {
                throw EvaluationError("only an entity can be stored on db (db.\(name) = db.map(...))", range: range)
            }
            entities[name] = entity
        case .soup where name == "schema":
            switch value {
            case .scalar(.null): defaultSchema = nil
            case .scalar(.text(let schema)): defaultSchema = schema
            default: throw EvaluationError("db.schema must be a string or None", range: range)
            }
        case .row(let row):
            do {
                try assign(value, toAttribute: name, of: row)
            } catch let error as EvaluationError {
                throw error.located(at: range)
            }
        default:
            throw EvaluationError("cannot set attribute '\(name)' of \(object.kindName)", range: range)
        }
    }

    /// Evaluates an expression.
    public func evaluate(_ expression: Expression) throws -> RuntimeValue {
        do {
            return try evaluateUnlocated(expression)
        } catch let error as EvaluationError {
            throw error.located(at: expression.range)
        } catch let error as SchemaError {
            throw EvaluationError(error.description, range: expression.range)
        }
    }

    private func evaluateUnlocated(_ expression: Expression) throws -> RuntimeValue {
        switch expression.kind {
        case .integer(let i): return .scalar(.integer(Int64(i)))
        case .float(let d): return .scalar(.real(d))
        case .string(let s): return .scalar(.text(s))
        case .none: return .none
        case .boolean(let b): return .scalar(.bool(b))
        case .name(let name): return try lookup(name, range: expression.range)
        case .list(let items): return .list(try items.map(evaluate))
        case .tuple(let items): return .tuple(try items.map(evaluate))
        case .dictionary(let entries):
            return .dictionary(try entries.map { .init(key: try evaluate($0.key), value: try evaluate($0.value)) })
        case .attribute(let base, let attribute):
            return try self.attribute(attribute.name, of: try evaluate(base), range: attribute.range)
        case .call(let callee, let arguments):
            let function = try evaluate(callee)
            return try call(function, with: try evaluateArguments(arguments, callee: callee, range: expression.range))
        case .subscript(let base, let index):
            return try subscriptValue(try evaluate(base), index: index)
        case .slice:
            throw EvaluationError("a slice is only allowed inside [ ]", range: expression.range)
        case .unary(let op, let operand):
            return try unary(op, try evaluate(operand))
        case .binary(.and, let left, let right):
            return try junction(isAnd: true, left, right)
        case .binary(.or, let left, let right):
            return try junction(isAnd: false, left, right)
        case .binary(let op, let left, let right):
            return try binary(op, try evaluate(left), try evaluate(right))
        }
    }

    private func evaluateArguments(_ arguments: [Argument], callee: Expression, range: SourceRange) throws -> Arguments {
        var result = Arguments(positional: [], keywords: [], range: range, callee: Self.calleeName(callee))
        for argument in arguments {
            let value = try evaluate(argument.value)
            switch argument.kind {
            case .positional:
                result.positional.append(value)
            case .keyword(let name):
                result.keywords.append((name.name, value))
            case .unpackedSequence:
                guard case .list(let items) = value else {
                    if case .tuple(let items) = value {
                        result.positional += items
                        continue
                    }
                    throw EvaluationError("* needs a list or tuple, not \(value.kindName)", range: argument.range)
                }
                result.positional += items
            case .unpackedDictionary:
                guard case .dictionary(let items) = value else {
                    throw EvaluationError("** needs a dict, not \(value.kindName)", range: argument.range)
                }
                for item in items {
                    guard case .scalar(.text(let key)) = item.key else {
                        throw EvaluationError("** needs string keys", range: argument.range)
                    }
                    result.keywords.append((key, item.value))
                }
            }
        }
        return result
    }

    private static func calleeName(_ callee: Expression) -> String {
        switch callee.kind {
        case .name(let name): return name
        case .attribute(_, let attribute): return attribute.name
        default: return "call"
        }
    }

    // MARK: Names

    /// A bare name: a variable, then a builtin, then `db`, then a table, then a session call
    /// (`commit()`, `delete(row)`: `db`'s own), then a schema.
    func lookup(_ name: String, range: SourceRange) throws -> RuntimeValue {
        if let value = variables[name] { return value }
        if let builtin = Builtin(rawValue: name) { return .builtin(builtin) }
        if name == "db" { return .soup }
        if let entity = cachedEntity(named: name) { return .entity(entity) }
        if let entity = try entityIfTable(named: name) { return .entity(entity) }
        if Self.sessionCalls.contains(name) { return .method(receiver: .soup, name: name) }
        if try isSchema(name) { return .schema(name) }
        let candidates = Array(variables.keys) + Builtin.allCases.map(\.rawValue) + Self.sessionCalls.sorted() + (try tableNames())
        throw EvaluationError(
            "no table or variable '\(name)'" + NameSuggester.didYouMean(NameSuggester.suggestions(for: name, among: candidates)),
            range: range)
    }

    // MARK: Operators

    private func unary(_ op: UnaryOperator, _ operand: RuntimeValue) throws -> RuntimeValue {
        if case .sql(let sql) = operand {
            switch op {
            case .negate: return .sql(.negate(sql))
            case .plus: return operand
            case .not, .invert: return .sql(.not(sql))
            }
        }
        switch (op, operand) {
        case (.not, _):
            guard let truth = operand.truthValue else { throw EvaluationError("'not' needs a value, not \(operand.kindName)") }
            return .scalar(.bool(!truth))
        case (.negate, .scalar(.integer(let i))):
            let (negated, overflow) = Int64(0).subtractingReportingOverflow(i)
            guard !overflow else { throw EvaluationError("integer overflow") }
            return .scalar(.integer(negated))
        case (.negate, .scalar(.real(let d))): return .scalar(.real(-d))
        case (.plus, .scalar(.integer)), (.plus, .scalar(.real)): return operand
        case (.invert, .scalar(.integer(let i))): return .scalar(.integer(~i))
        default:
            throw EvaluationError("bad operand for unary \(op.rawValue): \(operand.kindName)")
        }
    }

    /// `and` / `or`: Python's short-circuit on plain values; AND / OR when an operand is SQL.
    private func junction(isAnd: Bool, _ leftExpression: Expression, _ rightExpression: Expression) throws -> RuntimeValue {
        let left = try evaluate(leftExpression)
        if let truth = left.truthValue {
            if truth != isAnd { return left }
            let right = try evaluate(rightExpression)
            if right.truthValue != nil { return right }
            return .sql(isAnd ? .and([try sqlOperand(left), try sqlOperand(right)]) : .or([try sqlOperand(left), try sqlOperand(right)]))
        }
        let right = try evaluate(rightExpression)
        let operands = [try sqlOperand(left), try sqlOperand(right)]
        return .sql(isAnd ? .and(operands) : .or(operands))
    }

    func binary(_ op: BinaryOperator, _ left: RuntimeValue, _ right: RuntimeValue) throws -> RuntimeValue {
        if left.isSQL || right.isSQL {
            return .sql(try sqlBinary(op, left, right))
        }
        return try PlainArithmetic.apply(op, left, right)
    }

    private func sqlBinary(_ op: BinaryOperator, _ left: RuntimeValue, _ right: RuntimeValue) throws -> SQLExpression {
        let l = try sqlOperand(left)
        switch op {
        case .equal, .is:
            if case .scalar(.null) = right { return .isNull(l, negated: false) }
            return .binary(l, op == .is ? .is : .equal, try sqlOperand(right))
        case .notEqual, .isNot:
            if case .scalar(.null) = right { return .isNull(l, negated: true) }
            return .binary(l, op == .isNot ? .isNot : .notEqual, try sqlOperand(right))
        case .less: return .binary(l, .less, try sqlOperand(right))
        case .lessOrEqual: return .binary(l, .lessOrEqual, try sqlOperand(right))
        case .greater: return .binary(l, .greater, try sqlOperand(right))
        case .greaterOrEqual: return .binary(l, .greaterOrEqual, try sqlOperand(right))
        case .add: return .binary(l, .add, try sqlOperand(right))
        case .subtract: return .binary(l, .subtract, try sqlOperand(right))
        case .multiply: return .binary(l, .multiply, try sqlOperand(right))
        case .divide: return .binary(l, .divide, try sqlOperand(right))
        case .remainder: return .binary(l, .modulo, try sqlOperand(right))
        case .bitwiseAnd, .and: return .and([l, try sqlOperand(right)])
        case .bitwiseOr, .or: return .or([l, try sqlOperand(right)])
        case .in, .notIn:
            return .inList(l, try sqlList(right), negated: op == .notIn)
        }
    }

    /// A value used inside SQL: columns stay columns, plain values become bound parameters.
    func sqlOperand(_ value: RuntimeValue) throws -> SQLExpression {
        switch value {
        case .sql(let sql): return sql
        case .scalar(let scalar): return .value(scalar)
        case .text(let sql): return .verbatim(sql)
        case .query(let query): return .subquery(query.statement)
        case .select(let select, _, _): return .subquery(select)
        default: throw EvaluationError("\(value.kindName) cannot be used in a SQL expression")
        }
    }

    /// The items of a list, tuple or subquery for `IN`.
    func sqlList(_ value: RuntimeValue) throws -> [SQLExpression] {
        switch value {
        case .list(let items), .tuple(let items): return try items.map(sqlOperand)
        default: throw EvaluationError("in_() needs a list or tuple, not \(value.kindName)")
        }
    }
}

extension RuntimeValue {
    /// Whether the value stands for SQL (so operators build SQL instead of computing).
    var isSQL: Bool {
        switch self {
        case .sql, .text: return true
        default: return false
        }
    }
}

import SoupDriver

extension Soup {
    /// `select(col, ...)`: a SELECT built in the language. Its FROM is the table of its columns.
    func buildSelect(_ arguments: Arguments) throws -> RuntimeValue {
        try arguments.allowKeywords([])
        var values = arguments.positional
        if values.count == 1, case .list(let items) = values[0] { values = items }
        guard !values.isEmpty else { throw arguments.error("needs at least one column") }
        var from: FromItem?
        var columns: [SQLExpression] = []
        for value in values {
            if case .entity(let entity) = value {
                from = from ?? entity.fromItem
                columns += entity.attributes.map(\.expression)
                continue
            }
            let expression = try sqlOperand(value)
            if from == nil, let qualifier = Self.firstQualifier(in: expression) {
                from = .table(schema: nil, name: qualifier, alias: nil)
            }
            columns.append(expression)
        }
        let names = columns.enumerated().map { index, column in column.defaultName ?? "column\(index + 1)" }
        return .select(SelectStatement(columns: columns, from: from), columns: names, alias: nil)
    }

    /// `where`/`filter`, `group_by`, `order_by`, `having`, `limit` and `alias` on a select.
    func callSelectMethod(
        _ name: String, on select: SelectStatement, columns: [String], alias: String?, _ arguments: Arguments
    ) throws -> RuntimeValue {
        var select = select
        try arguments.allowKeywords([])
        switch name {
        case "where", "filter":
            let criteria = try arguments.positional.map(sqlOperand)
            select.filter = .and((select.filter.map { [$0] } ?? []) + criteria)
        case "group_by":
            select.groupBy += try arguments.positional.map(sqlOperand)
        case "order_by":
            select.orderBy += try arguments.positional.map(sqlOperand)
        case "having":
            select.having = .and(try arguments.positional.map(sqlOperand))
        case "limit":
            select.limit = try arguments.integer("limit", at: 0)
        case "alias":
            guard let name = try arguments.string("name", at: 0) else { throw arguments.error("needs a name") }
            return .select(select, columns: columns, alias: name)
        default:
            throw arguments.error("a select has no method '\(name)'")
        }
        return .select(select, columns: columns, alias: alias)
    }

    private static func firstQualifier(in expression: SQLExpression) -> String? {
        switch expression {
        case .column(let qualifier, _): return qualifier
        case .label(let inner, _), .ordering(let inner, _), .cast(let inner, _), .distinct(let inner), .not(let inner),
            .negate(let inner), .isNull(let inner, _):
            return firstQualifier(in: inner)
        case .binary(let left, _, let right):
            return firstQualifier(in: left) ?? firstQualifier(in: right)
        case .function(_, let arguments, _), .and(let arguments), .or(let arguments):
            return arguments.lazy.compactMap(firstQualifier).first
        default:
            return nil
        }
    }
}

/// Turns `:name` and `?` placeholders into the dialect's bound parameters (`db.execute`).
enum NamedParameters {
    static func bind(
        _ sql: String, _ values: [String: Value], positional: [Value] = [], dialect: Dialect
    ) throws -> (String, [Value]) {
        var output = ""
        var parameters: [Value] = []
        var nextPositional = positional.makeIterator()
        var characters = Substring(sql)
        var quote: Character?
        while let character = characters.popFirst() {
            if let open = quote {
                output.append(character)
                if character == open { quote = nil }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                output.append(character)
                continue
            }
            if character == "?", !positional.isEmpty {
                guard let value = nextPositional.next() else {
                    throw EvaluationError("more ? placeholders than values")
                }
                output += dialect.placeholder(parameters.count)
                parameters.append(value)
                continue
            }
            // `::type` casts are not parameters.
            if character == ":", characters.first == ":" {
                output += "::"
                characters = characters.dropFirst()
                continue
            }
            guard character == ":", let first = characters.first, first.isLetter || first == "_" else {
                output.append(character)
                continue
            }
            let name = String(characters.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            characters = characters.dropFirst(name.count)
            guard let value = values[name] else {
                throw EvaluationError("no value for parameter :\(name)", hint: "pass it as execute(sql, \(name)=...)")
            }
            output += dialect.placeholder(parameters.count)
            parameters.append(value)
        }
        return (output, parameters)
    }
}

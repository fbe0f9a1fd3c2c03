import SoupDriver
import SoupReflection

/// PostgreSQL arrays and JSON (PostgreSQL `json`/`jsonb`, SQLite's JSON text) in the language,
/// under SQLAlchemy's names: `tags.contains([...])`, `tags.any('x')`, `tags[1]`,
/// `details['info']['year'].as_integer()`, `details['rating'].astext`.
extension Soup {
    /// The type of a column expression, when soup knows it: a column of a mapped entity, an
    /// element of a JSON value or of an array.
    func sqlType(of expression: SQLExpression) -> NormalizedType? {
        switch expression {
        case .column(let qualifier, let name):
            for entity in entities.values where entity.qualifier == qualifier {
                if let type = entity.attribute(named: name)?.column?.type { return type }
            }
            return nil
        case .jsonElement(_, _, let asText):
            return asText ? .text(length: nil) : .json
        case .arrayElement(let inner, _):
            if case .array(let element)? = sqlType(of: inner) { return element }
            return nil
        default:
            return nil
        }
    }

    /// `column[key]`: a JSON element by key or index, or an array element by its 1-based index.
    func sqlSubscript(_ container: SQLExpression, _ key: RuntimeValue) throws -> SQLExpression {
        let step: Value
        switch key {
        case .scalar(.text(let text)): step = .text(text)
        case .scalar(.integer(let index)): step = .integer(index)
        default: throw EvaluationError("a column is indexed by a string key or an integer, not \(key.kindName)")
        }
        if case .jsonElement(let inner, let path, let asText) = container {
            guard !asText else {
                throw EvaluationError("astext is the last step of a JSON path: write col['a']['b'].astext")
            }
            return .jsonElement(inner, path: try checkedPath(path + [step]), asText: false)
        }
        let type = sqlType(of: container)
        switch (dialect.engine, type, step) {
        case (.postgres, .array?, .integer), (.postgres, nil, .integer):
            return .arrayElement(container, index: .value(step))
        case (.postgres, .array?, _):
            throw EvaluationError("an array is indexed by an integer (1 is the first element)")
        case (.postgres, .json?, _), (.postgres, nil, _), (.sqlite, _, _):
            // SQLite keeps JSON in text columns of any declared type.
            return .jsonElement(container, path: try checkedPath([step]), asText: false)
        case (.postgres, let type?, _):
            throw EvaluationError(
                "a column of type \(type) cannot be indexed; [ ] reads arrays and json/jsonb values")
        }
    }

    /// SQLite's JSON paths cannot quote a key that holds a double quote.
    private func checkedPath(_ path: [Value]) throws -> [Value] {
        if dialect.engine == .sqlite, path.contains(where: { if case .text(let key) = $0 { key.contains("\"") } else { false } }) {
            throw EvaluationError("SQLite cannot read a JSON key that holds a double quote")
        }
        return path
    }

    /// `col['key'].astext`: the element as SQL text (`->>`).
    func jsonText(_ element: SQLExpression) throws -> SQLExpression {
        guard case .jsonElement(let inner, let path, _) = element else {
            throw EvaluationError("astext reads an element of a JSON column, such as col['key'].astext")
        }
        return .jsonElement(inner, path: path, asText: true)
    }

    /// The array and JSON methods of a column; nil when `name` is not one of them here
    /// (`contains` with a string is the LIKE test).
    func callContainerMethod(_ name: String, on column: SQLExpression, _ arguments: Arguments) throws -> RuntimeValue? {
        switch name {
        case "contains", "contained_by", "overlap":
            try arguments.allowKeywords([])
            let other = try arguments.required("other", at: 0)
            let isArray: Bool
            if case .array? = sqlType(of: column) { isArray = true } else { isArray = false }
            guard name != "contains" || isArray || other.isSequence else { return nil }
            let op: SQLExpression.BinaryOperator = name == "contains" ? .contains : name == "overlap" ? .overlaps : .containedBy
            return .sql(.binary(column, op, try arrayOperand(other, for: name)))
        case "any", "all":
            try arguments.allowKeywords([])
            try arguments.expectAtMost(1)
            try requirePostgres(name)
            let value = try sqlOperand(try arguments.required("other", at: 0))
            return .sql(.arrayQuantifier(value, array: column, all: name == "all"))
        case "as_integer", "as_float", "as_boolean", "as_string":
            try arguments.expectNone()
            let text = try jsonText(column)
            let postgres = dialect.engine == .postgres
            switch name {
            case "as_integer": return .sql(.cast(text, type: postgres ? "integer" : "INTEGER"))
            case "as_float": return .sql(.cast(text, type: postgres ? "double precision" : "REAL"))
            // SQLite's ->> already gives 1 or 0 for true and false.
            case "as_boolean": return .sql(postgres ? .cast(text, type: "boolean") : text)
            default: return .sql(text)
            }
        default:
            return nil
        }
    }

    /// The right side of `@>`, `<@` and `&&`: a list (or one value) as one bound array.
    private func arrayOperand(_ value: RuntimeValue, for name: String) throws -> SQLExpression {
        try requirePostgres(name)
        switch value {
        case .list(let items), .tuple(let items):
            return .value(.array(try items.map { item in
                guard case .scalar(let scalar) = item else {
                    throw EvaluationError("\(name)() needs a list of plain values, not one holding \(item.kindName)")
                }
                return scalar
            }))
        case .scalar(let scalar):
            return .value(.array([scalar]))
        default:
            return try sqlOperand(value)
        }
    }

    private func requirePostgres(_ name: String) throws {
        guard dialect.engine == .postgres else {
            throw EvaluationError(
                "\(name)() works on PostgreSQL arrays; SQLite has none",
                hint: "for JSON text on SQLite, read elements with col['key'] or col[0]")
        }
    }
}

extension RuntimeValue {
    /// A list or tuple.
    var isSequence: Bool {
        switch self {
        case .list, .tuple: return true
        default: return false
        }
    }
}

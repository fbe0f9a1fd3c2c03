import SoupDriver

extension Soup {
    /// Methods of column expressions (soup-language(7), COLUMN EXPRESSIONS).
    func callColumnMethod(_ name: String, on column: SQLExpression, _ arguments: Arguments) throws -> RuntimeValue {
        if let result = try callContainerMethod(name, on: column, arguments) { return result }
        switch name {
        case "like", "ilike", "notlike", "notilike":
            try arguments.allowKeywords(["escape"])
            let pattern = try sqlOperand(try arguments.required("other", at: 0))
            let escape = try arguments.string("escape", at: 1)
            guard escape.map({ $0.count == 1 }) ?? true else { throw arguments.error("escape must be one character") }
            return .sql(.like(
                column, pattern: pattern, caseInsensitive: name.contains("ilike"), negated: name.hasPrefix("not"),
                escape: escape?.first))
        case "startswith", "endswith", "contains":
            try arguments.allowKeywords([])
            guard case .scalar(let value) = try arguments.required("other", at: 0), let text = value.text else {
                throw arguments.error("needs a string")
            }
            // % and _ in the value match literally.
            let escaped = Self.escapeLike(text)
            let pattern: String
            switch name {
            case "startswith": pattern = escaped + "%"
            case "endswith": pattern = "%" + escaped
            default: pattern = "%" + escaped + "%"
            }
            return .sql(.like(column, pattern: .value(.text(pattern)), caseInsensitive: false, negated: false, escape: Self.likeEscape))
        case "in_", "notin_", "not_in":
            try arguments.allowKeywords([])
            let other = try arguments.required("other", at: 0)
            let negated = name != "in_"
            switch other {
            case .query(let query): return .sql(.inSubquery(column, query.statement, negated: negated))
            case .select(let select, _, _): return .sql(.inSubquery(column, select, negated: negated))
            default: return .sql(.inList(column, try sqlList(other), negated: negated))
            }
        case "is_", "isnot", "is_not":
            try arguments.allowKeywords([])
            let other = try arguments.required("other", at: 0)
            if case .scalar(.null) = other { return .sql(.isNull(column, negated: name != "is_")) }
            return .sql(.binary(column, name == "is_" ? .is : .isNot, try sqlOperand(other)))
        case "between":
            try arguments.allowKeywords([])
            return .sql(.between(
                column, try sqlOperand(try arguments.required("lower", at: 0)),
                try sqlOperand(try arguments.required("upper", at: 1)), negated: false))
        case "asc", "desc":
            try arguments.expectNone()
            return .sql(.ordering(column, descending: name == "desc"))
        case "label":
            guard let label = try arguments.string("name", at: 0) else { throw arguments.error("needs a name") }
            return .sql(.label(column, label))
        case "cast":
            guard let type = try arguments.string("type", at: 0) else { throw arguments.error("needs a type name") }
            guard Self.isTypeName(type) else {
                throw arguments.error("'\(type)' is not a type name", hint: "e.g. cast('integer') or cast('varchar(20)')")
            }
            return .sql(.cast(column, type: type))
        case "distinct":
            try arguments.expectNone()
            if case .function(let function, let inner, _) = column {
                return .sql(.function(name: function, arguments: inner, distinct: true))
            }
            return .sql(.distinct(column))
        default:
            throw arguments.error("a column has no method '\(name)'")
        }
    }

    /// The escape character for LIKE patterns soup builds.
    static let likeEscape: Character = "/"

    /// `value` with `%`, `_` and the escape character escaped, for a LIKE pattern.
    static func escapeLike(_ value: String) -> String {
        // Scalar by scalar: a combining mark can hide a `%` inside a Character.
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if scalar == "%" || scalar == "_" || Character(scalar) == likeEscape {
                out.append(contentsOf: String(likeEscape).unicodeScalars)
            }
            out.append(scalar)
        }
        return String(out)
    }

    /// A type name for CAST: words, digits, spaces, parentheses, commas and brackets only.
    static func isTypeName(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || " _(),[]".contains($0) }
    }

    // MARK: Lookup helpers (pyramid_sqlassist's UtilityObject)

    func callLookupHelper(_ name: String, on entity: Entity, _ arguments: Arguments) throws -> RuntimeValue {
        switch name {
        case "get_by_lower":
            try arguments.allowKeywords(["column", "value", "many"])
            let column = try columnArgument(try arguments.required("column", at: 0), entity: entity)
            guard case .scalar(let value) = try arguments.required("value", at: 1) else {
                throw arguments.error("value must be a plain value")
            }
            let many = try arguments.boolean("many", at: 2, default: false)
            let criterion = SQLExpression.binary(
                .function(name: "lower", arguments: [column], distinct: false), .equal,
                .function(name: "lower", arguments: [.value(value)], distinct: false))
            let query = Query(entity: entity).filtered([criterion])
            if many { return .list(try results(of: query)) }
            let found = try results(of: query.sliced(from: 0, to: 2))
            if found.count > 1 {
                throw arguments.error("more than one row matches; pass many=True to get them all")
            }
            return found.first ?? .none
        case "find_similar":
            try arguments.allowKeywords(["column", "seed", "prefix_only"])
            let column = try columnArgument(try arguments.required("column", at: 0), entity: entity)
            guard let seed = try arguments.string("seed", at: 1) else { throw arguments.error("needs a seed string") }
            let prefixOnly = try arguments.boolean("prefix_only", at: 2, default: true)
            let escaped = Self.escapeLike(seed.lowercased())
            let pattern = (prefixOnly ? "" : "%") + escaped + "%"
            let criterion = SQLExpression.like(
                .function(name: "lower", arguments: [column], distinct: false), pattern: .value(.text(pattern)),
                caseInsensitive: false, negated: false, escape: Self.likeEscape)
            return .list(try results(of: Query(entity: entity).filtered([criterion]).ordered([column])))
        case "get_range":
            try arguments.allowKeywords(["offset", "limit", "order_by", "descending", "filters"])
            var query = Query(entity: entity)
            if let filters = arguments.optional("filters", at: 4) {
                guard case .list(let items) = filters else { throw arguments.error("filters must be a list") }
                query = query.filtered(try items.map(sqlOperand))
            }
            if let order = arguments.optional("order_by", at: 2), !(order.truthValue == false) {
                let column = try columnArgument(order, entity: entity)
                query = query.ordered([.ordering(column, descending: try arguments.boolean("descending", at: 3, default: false))])
            }
            query = query.sliced(from: try arguments.integer("offset", at: 0), to: nil)
            if let limit = try arguments.integer("limit", at: 1) { query.limit = min(query.limit ?? limit, limit) }
            return .list(try results(of: query))
        default:
            throw arguments.error("'\(entity.name)' has no method '\(name)'")
        }
    }

    /// A column given as an expression or by name.
    private func columnArgument(_ value: RuntimeValue, entity: Entity) throws -> SQLExpression {
        if case .scalar(.text(let name)) = value { return try attributeExpression(name, of: entity) }
        return try sqlOperand(value)
    }
}

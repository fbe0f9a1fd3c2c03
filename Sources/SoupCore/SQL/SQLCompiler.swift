import SoupDriver
import SoupReflection

/// SQL text with its bound parameters, ready for ``Connection/query(_:_:)``.
public struct CompiledSQL: Hashable, Sendable, CustomStringConvertible {
    public var sql: String
    public var parameters: [Value]

    public init(sql: String, parameters: [Value] = []) {
        self.sql = sql
        self.parameters = parameters
    }

    /// The SQL followed by its parameters, as `--echo` and `db.pending()` show it.
    public var description: String {
        guard !parameters.isEmpty else { return sql }
        return sql + "  -- " + parameters.map(\.description).joined(separator: ", ")
    }
}

/// Turns ``SelectStatement``s, ``WriteStatement``s and ``SQLExpression``s into SQL text for one
/// dialect: identifiers quoted where needed, every value a bound parameter (`?` on SQLite, `$1`…
/// on PostgreSQL).
public struct SQLCompiler: Sendable {
    public let dialect: Dialect

    public init(dialect: Dialect) {
        self.dialect = dialect
    }

    public func compile(_ select: SelectStatement) -> CompiledSQL {
        var writer = Writer(dialect: dialect)
        writer.select(select)
        return CompiledSQL(sql: writer.text, parameters: writer.parameters)
    }

    public func compile(_ statement: WriteStatement) -> CompiledSQL {
        var writer = Writer(dialect: dialect)
        writer.write(statement)
        return CompiledSQL(sql: writer.text, parameters: writer.parameters)
    }

    /// One expression on its own (for tests and `repr` of column expressions).
    public func compile(_ expression: SQLExpression) -> CompiledSQL {
        var writer = Writer(dialect: dialect)
        writer.expression(expression)
        return CompiledSQL(sql: writer.text, parameters: writer.parameters)
    }
}

/// Accumulates SQL text and parameters.
private struct Writer {
    let dialect: Dialect
    var text = ""
    var parameters: [Value] = []

    init(dialect: Dialect) {
        self.dialect = dialect
    }

    // MARK: Statements

    mutating func select(_ select: SelectStatement) {
        text += select.isDistinct ? "SELECT DISTINCT " : "SELECT "
        list(select.columns)
        if let from = select.from {
            text += " FROM "
            fromItem(from)
        }
        if let filter = select.filter {
            text += " WHERE "
            expression(filter)
        }
        if !select.groupBy.isEmpty {
            text += " GROUP BY "
            list(select.groupBy)
        }
        if let having = select.having {
            text += " HAVING "
            expression(having)
        }
        if !select.orderBy.isEmpty {
            text += " ORDER BY "
            list(select.orderBy)
        }
        if let limit = select.limit {
            text += " LIMIT "
            bind(.integer(Int64(limit)))
        } else if select.offset != nil, dialect.engine == .sqlite {
            text += " LIMIT -1"
        }
        if let offset = select.offset {
            text += " OFFSET "
            bind(.integer(Int64(offset)))
        }
        if select.forUpdate, dialect.engine == .postgres {
            text += " FOR UPDATE"
        }
    }

    mutating func write(_ statement: WriteStatement) {
        switch statement {
        case .insert(let table, let columns, let values, let returning):
            text += "INSERT INTO " + tableName(table)
            if columns.isEmpty {
                text += " DEFAULT VALUES"
            } else {
                text += " (" + columns.map(dialect.quoteIdentifier).joined(separator: ", ") + ") VALUES ("
                list(values)
                text += ")"
            }
            if !returning.isEmpty {
                text += " RETURNING " + returning.map(dialect.quoteIdentifier).joined(separator: ", ")
            }
        case .update(let table, let assignments, let filter):
            text += "UPDATE " + tableName(table) + " SET "
            for (index, assignment) in assignments.enumerated() {
                if index > 0 { text += ", " }
                text += dialect.quoteIdentifier(assignment.column) + " = "
                expression(assignment.value)
            }
            if let filter {
                text += " WHERE "
                expression(filter)
            }
        case .delete(let table, let filter):
            text += "DELETE FROM " + tableName(table)
            if let filter {
                text += " WHERE "
                expression(filter)
            }
        }
    }

    private func tableName(_ table: TableName) -> String {
        let name = dialect.quoteIdentifier(table.name)
        guard let schema = table.schema else { return name }
        return dialect.quoteIdentifier(schema) + "." + name
    }

    private mutating func fromItem(_ item: FromItem) {
        switch item {
        case .table(let schema, let name, let alias):
            text += tableName(TableName(name, schema: schema))
            if let alias { text += " AS " + dialect.quoteIdentifier(alias) }
        case .subquery(let select, let alias):
            text += "("
            self.select(select)
            text += ") AS " + dialect.quoteIdentifier(alias)
        case .verbatim(let sql, let alias):
            text += "(" + sql + ") AS " + dialect.quoteIdentifier(alias)
        case .join(let left, let right, let on, let kind):
            fromItem(left)
            text += " " + kind.rawValue + " "
            fromItem(right)
            text += " ON "
            if let on {
                expression(on)
            } else {
                text += "1 = 1"
            }
        }
    }

    // MARK: Expressions

    private mutating func list(_ expressions: [SQLExpression]) {
        for (index, item) in expressions.enumerated() {
            if index > 0 { text += ", " }
            expression(item)
        }
    }

    private mutating func bind(_ value: Value) {
        text += dialect.placeholder(parameters.count)
        parameters.append(value)
    }

    /// Writes `expression`, in parentheses when it binds more loosely than `context`.
    private mutating func operand(_ expression: SQLExpression, context: Int) {
        if Self.precedence(of: expression) < context {
            text += "("
            self.expression(expression)
            text += ")"
        } else {
            self.expression(expression)
        }
    }

    mutating func expression(_ expression: SQLExpression) {
        switch expression {
        case .column(let qualifier, let name):
            if let qualifier { text += dialect.quoteIdentifier(qualifier) + "." }
            text += dialect.quoteIdentifier(name)
        case .value(let value):
            bind(value)
        case .verbatim(let sql):
            text += sql
        case .star(let qualifier):
            if let qualifier { text += dialect.quoteIdentifier(qualifier) + "." }
            text += "*"
        case .binary(let left, let op, let right):
            operand(left, context: op.precedence)
            text += " " + op.rawValue + " "
            operand(right, context: op.precedence + 1)
        case .not(let inner):
            text += "NOT "
            operand(inner, context: Self.notPrecedence + 1)
        case .negate(let inner):
            text += "-"
            operand(inner, context: Self.atomPrecedence)
        case .and(let operands):
            junction(operands, word: "AND", empty: "1 = 1", context: Self.andPrecedence)
        case .or(let operands):
            junction(operands, word: "OR", empty: "1 = 0", context: Self.orPrecedence)
        case .isNull(let inner, let negated):
            operand(inner, context: Self.predicatePrecedence + 1)
            text += negated ? " IS NOT NULL" : " IS NULL"
        case .inList(let inner, let items, let negated):
            guard !items.isEmpty else {
                text += negated ? "1 = 1" : "1 = 0"
                return
            }
            operand(inner, context: Self.predicatePrecedence + 1)
            text += negated ? " NOT IN (" : " IN ("
            list(items)
            text += ")"
        case .inSubquery(let inner, let select, let negated):
            operand(inner, context: Self.predicatePrecedence + 1)
            text += negated ? " NOT IN (" : " IN ("
            self.select(select)
            text += ")"
        case .between(let inner, let low, let high, let negated):
            operand(inner, context: Self.predicatePrecedence + 1)
            text += negated ? " NOT BETWEEN " : " BETWEEN "
            operand(low, context: Self.predicatePrecedence + 1)
            text += " AND "
            operand(high, context: Self.predicatePrecedence + 1)
        case .like(let inner, let pattern, let caseInsensitive, let negated, let escape):
            like(inner, pattern: pattern, caseInsensitive: caseInsensitive, negated: negated, escape: escape)
        case .function(let name, let arguments, let distinct):
            text += functionName(name) + "("
            if distinct { text += "DISTINCT " }
            if arguments.isEmpty, name.lowercased() == "count" {
                text += "*"
            } else {
                list(arguments)
            }
            text += ")"
        case .cast(let inner, let type):
            text += "CAST("
            self.expression(inner)
            text += " AS " + type + ")"
        case .label(let inner, let name):
            operand(inner, context: Self.orPrecedence)
            text += " AS " + dialect.quoteIdentifier(name)
        case .ordering(let inner, let descending):
            operand(inner, context: Self.orPrecedence)
            text += descending ? " DESC" : " ASC"
        case .distinct(let inner):
            text += "DISTINCT "
            operand(inner, context: Self.atomPrecedence)
        case .subquery(let select):
            text += "("
            self.select(select)
            text += ")"
        case .exists(let select):
            text += "EXISTS ("
            self.select(select)
            text += ")"
        case .jsonElement(let inner, let path, let asText):
            jsonElement(inner, path: path, asText: asText)
        case .arrayElement(let inner, let index):
            // A column takes a subscript as it is; anything else needs parentheses.
            if case .column = inner { self.expression(inner) } else { operand(inner, context: Self.atomPrecedence + 1) }
            text += "["
            self.expression(index)
            text += "]"
        case .arrayQuantifier(let value, let array, let all):
            operand(value, context: Self.predicatePrecedence + 1)
            text += all ? " = ALL(" : " = ANY("
            self.expression(array)
            text += ")"
        }
    }

    /// `doc -> $1 ->> $2` on PostgreSQL; on SQLite one path, `doc ->> ?` with `$."a"[0]`.
    private mutating func jsonElement(_ inner: SQLExpression, path: [Value], asText: Bool) {
        operand(inner, context: Self.jsonPrecedence)
        switch dialect.engine {
        case .postgres:
            for (index, step) in path.enumerated() {
                text += asText && index == path.count - 1 ? " ->> " : " -> "
                bind(step)
            }
        case .sqlite:
            text += asText ? " ->> " : " -> "
            bind(.text(Self.sqliteJSONPath(path)))
        }
    }

    /// A SQLite JSON path: `$`, then `."key"` for each key and `[n]` for each index
    /// (`[#-n]` counting from the end). Keys are quoted so dots and brackets in them stay
    /// part of the key.
    static func sqliteJSONPath(_ steps: [Value]) -> String {
        var path = "$"
        for step in steps {
            switch step {
            case .integer(let index): path += index < 0 ? "[#\(index)]" : "[\(index)]"
            default: path += ".\"" + (step.text ?? "") + "\""
            }
        }
        return path
    }

    private mutating func junction(_ operands: [SQLExpression], word: String, empty: String, context: Int) {
        guard !operands.isEmpty else {
            text += empty
            return
        }
        for (index, item) in operands.enumerated() {
            if index > 0 { text += " " + word + " " }
            operand(item, context: context + 1)
        }
    }

    private mutating func like(
        _ inner: SQLExpression, pattern: SQLExpression, caseInsensitive: Bool, negated: Bool, escape: Character?
    ) {
        let emulateILike = caseInsensitive && dialect.engine == .sqlite
        if emulateILike {
            text += "lower("
            self.expression(inner)
            text += ")"
        } else {
            operand(inner, context: Self.predicatePrecedence + 1)
        }
        text += negated ? " NOT" : ""
        text += caseInsensitive && !emulateILike ? " ILIKE " : " LIKE "
        if emulateILike {
            text += "lower("
            self.expression(pattern)
            text += ")"
        } else {
            operand(pattern, context: Self.predicatePrecedence + 1)
        }
        if let escape {
            text += " ESCAPE " + dialect.stringLiteral(String(escape))
        }
    }

    /// Function names are plain identifiers (`lower`, `pg_catalog.lower`); anything else is quoted.
    private func functionName(_ name: String) -> String {
        let plain = name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, first.isLetter || first == "_" else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        return plain ? name : dialect.forceQuoteIdentifier(name)
    }

    // MARK: Precedence

    static let orPrecedence = 1
    static let andPrecedence = 2
    static let notPrecedence = 2
    static let predicatePrecedence = 3
    static let atomPrecedence = 9
    /// `->` and `->>` bind like PostgreSQL's other operators (and SQLite's `||`).
    static let jsonPrecedence = 5

    static func precedence(of expression: SQLExpression) -> Int {
        switch expression {
        case .or(let operands): return operands.count > 1 ? orPrecedence : atomPrecedence
        case .and(let operands): return operands.count > 1 ? andPrecedence : atomPrecedence
        case .not: return notPrecedence
        case .binary(_, let op, _): return op.precedence
        case .isNull, .inList, .inSubquery, .between, .like: return predicatePrecedence
        case .negate: return 8
        case .jsonElement: return jsonPrecedence
        case .arrayQuantifier: return predicatePrecedence
        case .label, .ordering, .distinct: return orPrecedence
        default: return atomPrecedence
        }
    }
}

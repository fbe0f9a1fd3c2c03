import SoupDriver

/// A value the soup language computes with.
public indirect enum RuntimeValue {
    /// None, a number, a string, a boolean, or any database value.
    case scalar(Value)
    case list([RuntimeValue])
    case tuple([RuntimeValue])
    case dictionary([DictionaryItem])
    /// `db`, the soup itself.
    case soup
    /// `db.connection()`: runs SQL in the session's transaction.
    case connection
    /// A schema (PostgreSQL) or attached database (SQLite) name: `audit.events`.
    case schema(String)
    case entity(Entity)
    /// `entity.c`: the entity's column collection.
    case columns(Entity)
    case query(Query)
    /// A SQL expression: a column, a comparison, a function call…
    case sql(SQLExpression)
    case row(Row)
    /// `users.loans`: a relation of an entity, usable in `any()` / `has()` criteria.
    case relationship(Entity, Relation)
    /// A row of named values that is not an entity row (`with_entities`, `db.execute`).
    case record(Record)
    case builtin(Builtin)
    /// A method bound to its receiver, waiting for its arguments.
    case method(receiver: RuntimeValue, name: String)
    /// `func.name`: calling it builds a SQL function call.
    case sqlFunction(String)
    /// `select(...)`: a SELECT built in the language, usable as a selectable once aliased.
    case select(SelectStatement, columns: [String], alias: String?)
    /// `text('…')`: raw SQL used as a clause or selectable.
    case text(String)
    /// `query.explain()`: a statement's plan.
    case plan(QueryPlan)

    /// A key and value of a dictionary literal.
    public struct DictionaryItem {
        public var key: RuntimeValue
        public var value: RuntimeValue
    }

    static var none: RuntimeValue { .scalar(.null) }

    /// What the value is, for error messages: "a query", "an integer".
    var kindName: String {
        switch self {
        case .scalar(let value):
            switch value {
            case .null: return "None"
            case .integer: return "an integer"
            case .real: return "a float"
            case .text: return "a string"
            case .bool: return "a boolean"
            default: return "a value"
            }
        case .list: return "a list"
        case .tuple: return "a tuple"
        case .dictionary: return "a dict"
        case .soup: return "the soup (db)"
        case .connection: return "the connection"
        case .schema(let name): return "schema '\(name)'"
        case .entity(let entity): return "entity '\(entity.name)'"
        case .columns: return "a column collection"
        case .query: return "a query"
        case .sql: return "a column expression"
        case .row: return "a row"
        case .relationship(_, let relation): return "relation '\(relation.name)'"
        case .record: return "a record"
        case .builtin(let builtin): return "builtin '\(builtin.rawValue)'"
        case .method(_, let name): return "method '\(name)'"
        case .sqlFunction(let name): return "func.\(name)"
        case .select: return "a select"
        case .text: return "a text clause"
        case .plan: return "a plan"
        }
    }
}

/// A row of named values that is not an entity row.
public struct Record {
    public var columns: [ColumnDescription]
    public var values: [Value]

    public func value(of name: String) -> Value? {
        columns.firstIndex { $0.name == name }.map { values[$0] }
    }
}

/// The names every program can use without defining them (soup-language(7), TABLES AND
/// VARIABLES).
public enum Builtin: String, CaseIterable, Sendable {
    case or_, and_, not_, desc, asc, text, select, literal, repr, len, print, list, help
    case `func`
}

import SoupDriver
import SoupReflection

/// A SQL expression tree, built by the query builder and turned into text by ``SQLCompiler``.
///
/// Values never appear in the text: a ``value(_:)`` node always becomes a bound parameter.
public indirect enum SQLExpression: Hashable, Sendable {
    /// A column, optionally qualified by a table name or alias.
    case column(qualifier: String?, name: String)
    /// A value sent as a bound parameter.
    case value(Value)
    /// SQL text written by the user (`text('...')`), inserted as is.
    case verbatim(String)
    /// `*` or `t.*`.
    case star(qualifier: String?)
    case binary(SQLExpression, BinaryOperator, SQLExpression)
    case not(SQLExpression)
    case negate(SQLExpression)
    /// Every operand joined by AND (or OR); an empty list is TRUE (or FALSE).
    case and([SQLExpression])
    case or([SQLExpression])
    case isNull(SQLExpression, negated: Bool)
    /// `x IN (…)`; an empty list is always false (true when negated).
    case inList(SQLExpression, [SQLExpression], negated: Bool)
    case inSubquery(SQLExpression, SelectStatement, negated: Bool)
    case between(SQLExpression, SQLExpression, SQLExpression, negated: Bool)
    /// `x LIKE pattern [ESCAPE '/']`; `caseInsensitive` is ILIKE (emulated on SQLite).
    case like(SQLExpression, pattern: SQLExpression, caseInsensitive: Bool, negated: Bool, escape: Character?)
    /// A function call, e.g. `count(*)`, `lower(name)`, `count(DISTINCT x)`.
    case function(name: String, arguments: [SQLExpression], distinct: Bool)
    case cast(SQLExpression, type: String)
    /// `expr AS name`.
    case label(SQLExpression, String)
    /// An ORDER BY item.
    case ordering(SQLExpression, descending: Bool)
    case distinct(SQLExpression)
    case subquery(SelectStatement)
    case exists(SelectStatement)
    /// An element of a JSON value by key or index, `doc -> 'a' -> 0`, the last step `->>`
    /// (as SQL text) when `asText`; every key and index a bound parameter. PostgreSQL chains
    /// the operators; SQLite takes one bound JSON path (`doc ->> '$."a"[0]'`).
    case jsonElement(SQLExpression, path: [Value], asText: Bool)
    /// A PostgreSQL array element, `tags[2]` (1-based, as the server counts).
    case arrayElement(SQLExpression, index: SQLExpression)
    /// `value = ANY(array)`, or `value = ALL(array)`.
    case arrayQuantifier(SQLExpression, array: SQLExpression, all: Bool)

    /// A binary operator.
    public enum BinaryOperator: String, Hashable, Sendable {
        case equal = "="
        case notEqual = "<>"
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case add = "+"
        case subtract = "-"
        case multiply = "*"
        case divide = "/"
        case modulo = "%"
        case concatenate = "||"
        case `is` = "IS"
        case isNot = "IS NOT"
        /// PostgreSQL array containment and overlap: `@>`, `<@`, `&&`.
        case contains = "@>"
        case containedBy = "<@"
        case overlaps = "&&"

        /// Binding strength: higher binds tighter.
        var precedence: Int {
            switch self {
            case .multiply, .divide, .modulo: return 7
            case .add, .subtract: return 6
            case .concatenate, .contains, .containedBy, .overlaps: return 5
            case .less, .lessOrEqual, .greater, .greaterOrEqual: return 4
            case .equal, .notEqual, .is, .isNot: return 3
            }
        }
    }

    /// The name a result column gets from this expression when it is not labelled.
    public var defaultName: String? {
        switch self {
        case .column(_, let name): return name
        case .label(_, let name): return name
        case .function(let name, _, _): return name
        case .distinct(let inner), .ordering(let inner, _), .cast(let inner, _): return inner.defaultName
        default: return nil
        }
    }
}

/// What a SELECT reads from.
public indirect enum FromItem: Hashable, Sendable {
    case table(schema: String?, name: String, alias: String?)
    case subquery(SelectStatement, alias: String)
    /// `text('SELECT …')` used as a selectable.
    case verbatim(String, alias: String)
    case join(FromItem, FromItem, on: SQLExpression?, kind: JoinKind)

    public enum JoinKind: String, Hashable, Sendable {
        case inner = "JOIN"
        case leftOuter = "LEFT OUTER JOIN"
    }
}

/// A SELECT statement.
public struct SelectStatement: Hashable, Sendable {
    public var columns: [SQLExpression]
    public var from: FromItem?
    public var filter: SQLExpression?
    public var groupBy: [SQLExpression] = []
    public var having: SQLExpression?
    public var orderBy: [SQLExpression] = []
    public var limit: Int?
    public var offset: Int?
    public var isDistinct = false
    /// `FOR UPDATE` (a locking read; routed to the writer).
    public var forUpdate = false

    public init(columns: [SQLExpression], from: FromItem?, filter: SQLExpression? = nil) {
        self.columns = columns
        self.from = from
        self.filter = filter
    }
}

/// A statement that changes data.
public enum WriteStatement: Hashable, Sendable {
    case insert(table: TableName, columns: [String], values: [SQLExpression], returning: [String])
    case update(table: TableName, assignments: [Assignment], filter: SQLExpression?)
    case delete(table: TableName, filter: SQLExpression?)

    /// `column = value` in an UPDATE.
    public struct Assignment: Hashable, Sendable {
        public var column: String
        public var value: SQLExpression

        public init(column: String, value: SQLExpression) {
            self.column = column
            self.value = value
        }
    }
}

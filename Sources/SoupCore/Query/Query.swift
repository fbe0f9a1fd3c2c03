import SoupDriver

/// A query under construction: SQLAlchemy's `Query`, as SQLSoup exposed it.
///
/// Every chained call returns a new query; nothing runs until a terminal call (`all()`,
/// `first()`, `count()`…) or printing.
public struct Query {
    public let entity: Entity
    /// `with_entities(...)`: the columns to return instead of the entity's rows.
    public var selection: [SQLExpression]?
    public var filters: [SQLExpression] = []
    public var joins: [Join] = []
    public var ordering: [SQLExpression] = []
    public var grouping: [SQLExpression] = []
    public var having: SQLExpression?
    public var limit: Int?
    public var offset: Int?
    public var isDistinct = false

    /// A joined target.
    public struct Join {
        public var target: FromItem
        public var condition: SQLExpression?
        public var isOuter: Bool
    }

    public init(entity: Entity) {
        self.entity = entity
    }

    /// Whether the query returns the entity's rows (as opposed to chosen columns).
    public var returnsEntities: Bool { selection == nil }

    /// The columns a SELECT of the entity reads: every attribute, plus the rowid when that is
    /// the identity.
    var entityColumns: [SQLExpression] {
        var columns = entity.attributes.map { attribute -> SQLExpression in
            if case .column(_, let name) = attribute.expression, name == attribute.name {
                return attribute.expression
            }
            return .label(attribute.expression, attribute.name)
        }
        if entity.usesRowID {
            columns.append(.label(.column(qualifier: entity.qualifier, name: "rowid"), Self.rowIDLabel))
        }
        return columns
    }

    /// The entity's identity columns, for ORDER BY: the primary key, or the rowid; none when
    /// the entity has no identity.
    var keyOrder: [SQLExpression] {
        if entity.usesRowID { return [.column(qualifier: entity.qualifier, name: "rowid")] }
        return entity.identityIndexes.map { entity.attributes[$0].expression }
    }

    /// The label of the hidden rowid column that identity-by-rowid entities select.
    static let rowIDLabel = "soup_rowid"

    /// Every filter joined by AND; nil when there is none.
    var combinedFilter: SQLExpression? {
        filters.isEmpty ? nil : (filters.count == 1 ? filters[0] : .and(filters))
    }

    /// The SELECT this query runs.
    public var statement: SelectStatement {
        var from = entity.fromItem
        for join in joins {
            from = .join(from, join.target, on: join.condition, kind: join.isOuter ? .leftOuter : .inner)
        }
        var select = SelectStatement(columns: selection ?? entityColumns, from: from)
        select.filter = combinedFilter
        select.groupBy = grouping
        select.having = having
        select.orderBy = ordering
        select.limit = limit
        select.offset = offset
        select.isDistinct = isDistinct
        return select
    }

    /// `SELECT count(*) FROM (the query)`: counts rows as the query would return them.
    var countStatement: SelectStatement {
        SelectStatement(
            columns: [.label(.function(name: "count", arguments: [], distinct: false), "count")],
            from: .subquery(statement, alias: "counted"))
    }

    /// `SELECT EXISTS (the query)`.
    var existsStatement: SelectStatement {
        SelectStatement(columns: [.label(.exists(statement), "exists")], from: nil)
    }

    // MARK: Chaining

    func filtered(_ criteria: [SQLExpression]) -> Query {
        var copy = self
        copy.filters += criteria
        return copy
    }

    func ordered(_ items: [SQLExpression]) -> Query {
        var copy = self
        copy.ordering += items
        return copy
    }

    /// `q[a:b]` and `slice(a, b)`: offsets combine with any earlier limit and offset.
    func sliced(from start: Int?, to end: Int?) -> Query {
        var copy = self
        let base = offset ?? 0
        let lower = max(0, start ?? 0)
        copy.offset = base + lower == 0 ? nil : base + lower
        if let end {
            var count = max(0, end - lower)
            if let limit { count = min(count, max(0, limit - lower)) }
            copy.limit = count
        } else if let limit {
            copy.limit = max(0, limit - lower)
        }
        return copy
    }
}

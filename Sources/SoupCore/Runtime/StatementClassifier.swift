import SoupLanguage
import SoupRouting

/// Tells statements that only read from statements that may write, without running them.
///
/// Used to run a script of reads in a read-only transaction. Unknown means "may write": a
/// statement is a read only when every part of it is known to read.
public enum StatementClassifier {
    /// Soup methods and builtins that never write.
    private static let readingCalls: Set<String> = [
        "filter", "filter_by", "order_by", "limit", "offset", "slice", "distinct", "group_by", "having",
        "join", "outerjoin", "with_entities", "all", "first", "one", "one_or_none", "get", "count", "scalar",
        "exists", "get_by_lower", "find_similar", "get_range", "as_dict", "keys", "like", "ilike", "notlike",
        "notilike", "in_", "notin_", "not_in", "is_", "isnot", "is_not", "between", "startswith", "endswith",
        "contains", "asc", "desc", "label", "cast", "or_", "and_", "not_", "text", "select", "literal", "repr",
        "len", "print", "list", "help", "entity", "tables", "pending", "where", "alias", "any", "has",
        "with_labels", "map", "contained_by", "overlap", "as_integer", "as_float", "as_boolean", "as_string",
    ]

    /// Whether `statement` only reads.
    public static func isRead(_ statement: Statement) -> Bool {
        switch statement.kind {
        case .sql(let sql): return isReadSQL(sql)
        case .expression(let expression): return isRead(expression)
        case .assignment(let target, let expression):
            guard case .name = target.kind else { return false }
            return isRead(expression)
        case .meta, .commit, .rollback: return false
        }
    }

    private static func isRead(_ expression: Expression) -> Bool {
        if case .call(let callee, _) = expression.kind {
            switch callee.kind {
            case .attribute(_, let method): if !readingCalls.contains(method.name) { return false }
            case .name(let name): if !readingCalls.contains(name) && !name.hasPrefix("func") { return false }
            default: return false
            }
        }
        return expression.kind.children.allSatisfy(isRead)
    }

    /// SQL that only reads: SELECT, VALUES, TABLE, SHOW, EXPLAIN without ANALYZE, and WITH
    /// queries whose parts do not write; never a locking read or a sequence change. The same
    /// classifier routes statements among bindings (routing.md §3.3).
    public static func isReadSQL(_ sql: String) -> Bool {
        SQLClassifier.classify(sql).kind == .read
    }
}

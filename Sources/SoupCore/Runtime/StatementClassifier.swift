import SoupLanguage
import SoupSQL

/// What a statement does to the transaction around it, decided without running it.
public enum StatementEffect: Sendable, Equatable {
    /// Only reads: a script of these runs in a read-only transaction.
    case read
    /// May write (unknown counts as a write).
    case write
    /// Manages transactions itself (BEGIN, COMMIT, SAVEPOINT) or is refused inside one (VACUUM,
    /// CREATE INDEX CONCURRENTLY): it runs as written, outside any transaction soup opens.
    case cannotRunInTransaction
}

/// Tells statements that only read from statements that may write, and both from those that
/// cannot run inside a transaction, without running them. Unknown means "may write": a
/// statement is a read only when every part of it is known to read. SQL goes through
/// ``SQLClassifier``, the classifier routing uses too.
public enum StatementClassifier {
    /// Whether `name` is a soup method or builtin that never writes. A switch, not a `Set`: a
    /// script's first statement would pay for the set's generic metadata at start-up.
    private static func isReadingCall(_ name: String) -> Bool {
        switch name {
        case "filter", "filter_by", "order_by", "limit", "offset", "slice", "distinct", "group_by", "having",
            "join", "outerjoin", "with_entities", "all", "first", "one", "one_or_none", "get", "count", "scalar",
            "exists", "get_by_lower", "find_similar", "get_range", "as_dict", "keys", "like", "ilike", "notlike",
            "notilike", "in_", "notin_", "not_in", "is_", "isnot", "is_not", "between", "startswith", "endswith",
            "contains", "asc", "desc", "label", "cast", "or_", "and_", "not_", "text", "select", "literal", "repr",
            "len", "print", "list", "help", "entity", "tables", "pending", "where", "alias", "any", "has",
            "with_labels", "map", "explain", "contained_by", "overlap", "as_integer", "as_float", "as_boolean", "as_string":
            return true
        default:
            return false
        }
    }

    /// What `statement` does to the transaction around it.
    public static func effect(of statement: Statement) -> StatementEffect {
        switch statement.kind {
        case .sql(let sql):
            let classification = SQLClassifier.classify(sql)
            if classification.cannotRunInTransaction { return .cannotRunInTransaction }
            return classification.kind == .read ? .read : .write
        case .expression(let expression):
            return isRead(expression) ? .read : .write
        case .assignment(let target, let expression):
            guard case .name = target.kind else { return .write }
            return isRead(expression) ? .read : .write
        case .meta, .commit, .rollback:
            return .write
        }
    }

    private static func isRead(_ expression: Expression) -> Bool {
        if case .call(let callee, _) = expression.kind {
            switch callee.kind {
            case .attribute(_, let method): if !isReadingCall(method.name) { return false }
            case .name(let name): if !isReadingCall(name) && !name.hasPrefix("func") { return false }
            default: return false
            }
        }
        return expression.kind.children.allSatisfy(isRead)
    }
}

import SoupDriver
import SoupLanguage
import SoupReflection

extension Soup {
    /// Methods of `db` (soup-language(7), THE SOUP OBJECT) available in this build; these lists
    /// also drive the REPL's tab completion.
    public static let soupMethods: Set<String> = [
        "entity", "execute", "tables", "refresh_schema", "connection", "flush", "commit", "rollback",
        "delete", "expunge", "expunge_all", "refresh", "pending", "map", "map_to", "with_labels", "join",
    ]
    /// The session methods of `db` that are also plain calls: `commit()` is `db.commit()`. A
    /// variable or table of the same name comes first (see ``lookup(_:range:)``).
    public static let sessionCalls: Set<String> = [
        "commit", "rollback", "flush", "pending", "delete", "expunge", "expunge_all", "refresh",
    ]
    /// Query methods, reachable from an entity too (`users.filter(...)`).
    public static let queryMethods: Set<String> = [
        "filter", "filter_by", "order_by", "limit", "offset", "slice", "distinct", "group_by", "having",
        "join", "outerjoin", "with_entities", "all", "first", "one", "one_or_none", "get", "count",
        "scalar", "exists", "update", "delete", "explain",
    ]
    /// Methods only entities have.
    public static let entityMethods: Set<String> = ["get_by_lower", "find_similar", "get_range", "insert", "relate"]
    /// Methods of column expressions (soup-language(7), COLUMN EXPRESSIONS).
    public static let columnMethods: Set<String> = [
        "like", "ilike", "notlike", "notilike", "in_", "notin_", "not_in", "is_", "isnot", "is_not",
        "between", "startswith", "endswith", "contains", "asc", "desc", "label", "cast", "distinct",
        // Arrays and JSON (ContainerMethods.swift).
        "contained_by", "overlap", "any", "all", "as_integer", "as_float", "as_boolean", "as_string",
    ]

    /// `object.name`.
    func attribute(_ name: String, of object: RuntimeValue, range: SourceRange) throws -> RuntimeValue {
        switch object {
        case .soup:
            switch name {
            case "schema": return defaultSchema.map { .scalar(.text($0)) } ?? .none
            case "bind", "engine": return .scalar(.text(connection.displayName))
            default:
                if Self.soupMethods.contains(name) { return .method(receiver: object, name: name) }
                return .entity(try cachedEntity(named: name) ?? entity(named: name))
            }
        case .schema(let schema):
            return .entity(try entity(named: name, schema: schema))
        case .connection where name == "execute":
            return .method(receiver: object, name: name)
        case .entity(let entity):
            // Columns shadow methods, as in SQLSoup.
            if let attribute = entity.attribute(named: name) { return .sql(attribute.expression) }
            if name == "c" { return .columns(entity) }
            // Methods before relations: `users.first()` needs no foreign keys, so the table is
            // not read whole for it.
            if Self.queryMethods.contains(name) || Self.entityMethods.contains(name) {
                return .method(receiver: object, name: name)
            }
            if let relation = try relations(of: entity)[name] { return .relationship(entity, relation) }
            throw unknownAttribute(name, of: entity, methods: Self.queryMethods.union(Self.entityMethods).union(["c"]))
        case .columns(let entity):
            if let attribute = entity.attribute(named: name) { return .sql(attribute.expression) }
            if name == "keys" { return .method(receiver: object, name: name) }
            throw unknownAttribute(name, of: entity, methods: ["keys"], relations: false)
        case .query:
            guard Self.queryMethods.contains(name) else {
                throw EvaluationError("a query has no method '\(name)'" + didYouMean(name, Self.queryMethods))
            }
            return .method(receiver: object, name: name)
        case .sql(let sql) where name == "astext":
            return .sql(try jsonText(sql))
        case .sql:
            guard Self.columnMethods.contains(name) else {
                throw EvaluationError("a column has no method '\(name)'" + didYouMean(name, Self.columnMethods))
            }
            return .method(receiver: object, name: name)
        case .row(let row):
            try freshen(row)
            if let value = row.value(of: name) { return .scalar(value) }
            if name == "as_dict" { return .method(receiver: object, name: name) }
            if let relation = try relations(of: row.entity)[name] { return try related(row, through: relation) }
            throw unknownAttribute(name, of: row.entity, methods: ["as_dict"])
        case .record(let record):
            if let value = record.value(of: name) { return .scalar(value) }
            if name == "as_dict" { return .method(receiver: object, name: name) }
            throw EvaluationError(
                "the row has no column '\(name)'" + didYouMean(name, Set(record.columns.map(\.name))))
        case .builtin(.func):
            return .sqlFunction(name)
        case .sqlFunction(let prefix):
            return .sqlFunction(prefix + "." + name)
        case .relationship where name == "any" || name == "has":
            return .method(receiver: object, name: name)
        case .relationship(let owner, let relation):
            return .sql(try relatedColumn(name, of: relation, from: owner))
        case .select where ["where", "filter", "group_by", "order_by", "having", "limit", "alias"].contains(name):
            return .method(receiver: object, name: name)
        default:
            throw EvaluationError("\(object.kindName) has no attribute '\(name)'")
        }
    }

    /// "'film' has no column or relation 'language'; did you mean …", suggesting among the
    /// columns, relations and `methods`; the hint lists the columns, then the relations.
    private func unknownAttribute(_ name: String, of entity: Entity, methods: Set<String>, relations listed: Bool = true) -> EvaluationError {
        let columns = entity.attributes.map(\.name)
        // In an error, a failure to read the foreign keys only loses the relations.
        let relations = listed ? ((try? relationList(of: entity)) ?? []).map(\.name) : []
        let suggestions = Self.attributeSuggestions(for: name, columns: columns, relations: relations, methods: methods.sorted())
        var hint = "its columns are " + columns.joined(separator: ", ")
        if !relations.isEmpty { hint += "; its relations are " + relations.joined(separator: ", ") }
        return EvaluationError(
            "'\(entity.name)' has no column\(relations.isEmpty ? "" : " or relation") '\(name)'"
                + NameSuggester.didYouMean(suggestions),
            hint: hint)
    }

    /// The nearest columns, relations and methods to `name`; the relations that take `name` and
    /// add `_by_<column>` or `_collection` to it come first, all of them (`film.language` on a
    /// film with two keys to `language` offers both).
    static func attributeSuggestions(for name: String, columns: [String], relations: [String], methods: [String]) -> [String] {
        let lowered = name.lowercased()
        let renamed = relations.filter {
            let relation = $0.lowercased()
            return relation.hasPrefix(lowered + "_by_") || relation == lowered + "_collection"
        }
        let near = NameSuggester.suggestions(for: name, among: columns + relations + methods)
        let rest = near.filter { !renamed.contains($0) }
        return renamed + rest.prefix(max(0, 3 - renamed.count))
    }

    func didYouMean(_ name: String, _ candidates: Set<String>) -> String {
        NameSuggester.didYouMean(NameSuggester.suggestions(for: name, among: candidates.sorted()))
    }

    /// `object[index]` and `object[a:b]`.
    func subscriptValue(_ object: RuntimeValue, index: Expression) throws -> RuntimeValue {
        if case .slice(let lower, let upper, let step) = index.kind {
            guard step == nil else { throw EvaluationError("slices with a step are not supported", range: index.range) }
            let start = try lower.map { try sliceBound(try evaluate($0)) } ?? nil
            let end = try upper.map { try sliceBound(try evaluate($0)) } ?? nil
            switch object {
            case .query(let query):
                return .list(try rows(of: query.sliced(from: start, to: end)).map(RuntimeValue.row))
            case .entity(let entity):
                return .list(try rows(of: Query(entity: entity).sliced(from: start, to: end)).map(RuntimeValue.row))
            case .list(let items), .tuple(let items):
                let lowerBound = Self.clamp(start ?? 0, count: items.count)
                let upperBound = max(lowerBound, Self.clamp(end ?? items.count, count: items.count))
                return .list(Array(items[lowerBound..<upperBound]))
            default:
                throw EvaluationError("\(object.kindName) cannot be sliced")
            }
        }
        let key = try evaluate(index)
        switch (object, key) {
        case (.query(let query), .scalar(.integer(let i))):
            return try queryItem(query, Int(i))
        case (.entity(let entity), .scalar(.integer(let i))):
            return try queryItem(Query(entity: entity), Int(i))
        case (.list(let items), .scalar(.integer(let i))), (.tuple(let items), .scalar(.integer(let i))):
            let position = i < 0 ? Int(i) + items.count : Int(i)
            guard items.indices.contains(position) else { throw EvaluationError("list index out of range") }
            return items[position]
        case (.sql(let sql), _):
            return .sql(try sqlSubscript(sql, key))
        case (.dictionary(let entries), _):
            guard let entry = try entries.first(where: { try PlainArithmetic.equal($0.key, key) }) else {
                throw EvaluationError("key not found")
            }
            return entry.value
        case (.row(let row), .scalar(.text(let name))):
            return try attribute(name, of: object, range: index.range).checkedValue(row.entity.name)
        case (.record(let record), .scalar(.text(let name))):
            guard let value = record.value(of: name) else { throw EvaluationError("the row has no column '\(name)'") }
            return .scalar(value)
        case (.record(let record), .scalar(.integer(let i))):
            guard record.values.indices.contains(Int(i)) else { throw EvaluationError("column index out of range") }
            return .scalar(record.values[Int(i)])
        default:
            throw EvaluationError("\(object.kindName) cannot be indexed by \(key.kindName)")
        }
    }

    private func queryItem(_ query: Query, _ index: Int) throws -> RuntimeValue {
        guard index >= 0 else { throw EvaluationError("negative indexes are not supported on a query") }
        guard let row = try rows(of: query.sliced(from: index, to: index + 1)).first else {
            throw EvaluationError("query index out of range")
        }
        return .row(row)
    }

    private func sliceBound(_ value: RuntimeValue) throws -> Int? {
        switch value {
        case .scalar(.null): return nil
        case .scalar(.integer(let i)):
            guard i >= 0 else { throw EvaluationError("negative slice bounds are not supported") }
            return Int(i)
        default: throw EvaluationError("slice bounds must be integers, not \(value.kindName)")
        }
    }

    private static func clamp(_ index: Int, count: Int) -> Int {
        min(max(index < 0 ? index + count : index, 0), count)
    }
}

extension RuntimeValue {
    fileprivate func checkedValue(_ owner: String) throws -> RuntimeValue {
        if case .method = self { throw EvaluationError("'\(owner)' rows are indexed by column name") }
        return self
    }
}

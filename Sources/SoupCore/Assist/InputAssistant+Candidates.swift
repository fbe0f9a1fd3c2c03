import SoupDriver
import SoupLanguage
import SoupReflection

extension InputAssistant {
    /// What a receiver before `.` is, as far as completion can tell without running anything.
    enum Target {
        case soup
        case schema(String)
        case entity(Entity)
        case columns(Entity)
        case query(Entity)
        case row(Entity)
        case record([String])
        case column
        case relationship
        case functions
    }

    /// Everything that fits `context`, unranked. Meta commands are the REPL's own and give none.
    public func candidates(for context: CompletionContext) -> [CompletionCandidate] {
        switch context.kind {
        case .name(let atStart):
            return names(atStatementStart: atStart)
        case .member(let receiver):
            return resolve(receiver, whole: true).map(members(of:)) ?? []
        case .argument(let call):
            // filter_by() and insert() take keyword arguments only.
            let keywords = arguments(of: call)
            return ["filter_by", "insert"].contains(call.name) && !keywords.isEmpty
                ? keywords : keywords + names(atStatementStart: false)
        case .dictionaryKey(let call, let quoted):
            guard ["update", "insert", "values"].contains(call.name), let entity = entity(of: call.receiver) else { return [] }
            return entity.attributes.map { CompletionCandidate((quoted ? "" : "'") + $0.name + "': ", kind: .argument) }
        case .tableNameString:
            return tables().map { CompletionCandidate($0.name.name, kind: $0.kind.storesRows ? .table : .view) }
        case .sqlTable(let schema):
            return sqlTables(schema: schema)
        case .sqlColumn(let qualifier, let functions):
            return sqlColumns(qualifier: qualifier, tables: context.sqlTables, functions: functions)
        case .sqlKeyword:
            return SQLKeywords.all.map { CompletionCandidate($0, kind: .keyword) }
        case .metaCommand, .metaArgument, .nothing:
            return []
        }
    }

    // MARK: Soup

    /// Bare names: variables, builtins, `db`, soup's keywords, tables, schemas; at a statement's
    /// start the words that begin raw SQL too.
    private func names(atStatementStart: Bool) -> [CompletionCandidate] {
        var names = soup.variables.keys.map { CompletionCandidate($0, kind: .variable) }
        names += Builtin.allCases.map { CompletionCandidate($0.rawValue, kind: .builtin) }
        names.append(CompletionCandidate("db", kind: .builtin))
        names += Keyword.allCases.map { CompletionCandidate($0.rawValue, kind: .keyword) }
        names += listed("names") {
            tables().map { CompletionCandidate(soupSpelling($0), kind: $0.kind.storesRows ? .table : .view) }
                .filter { Self.isSoupName($0.text) }
                + schemas().filter(Self.isSoupName).map { CompletionCandidate($0, kind: .schema) }
        }
        if atStatementStart {
            names += SQLKeywords.statementStarts.map { CompletionCandidate($0, kind: .keyword) }
        }
        return names
    }

    /// What follows `target.`.
    private func members(of target: Target) -> [CompletionCandidate] {
        func methods(_ names: Set<String>) -> [CompletionCandidate] {
            names.map { CompletionCandidate($0 + "(", kind: .method) }
        }
        switch target {
        case .soup:
            return methods(Soup.soupMethods)
                + tables().filter { $0.searchRank != nil }.map { CompletionCandidate($0.name.name, kind: .table) }
                    .filter { Self.isSoupName($0.text) }
        case .schema(let schema):
            return tables().filter { $0.name.schema == schema }.map { CompletionCandidate($0.name.name, kind: .table) }
        case .entity(let entity):
            return columns(of: entity) + [CompletionCandidate("c", kind: .column, detail: "the columns")]
                + relations(of: entity) + methods(Soup.queryMethods.union(Soup.entityMethods))
        case .columns(let entity):
            return columns(of: entity) + methods(["keys"])
        case .query:
            return methods(Soup.queryMethods)
        case .row(let entity):
            return columns(of: entity) + relations(of: entity) + methods(["as_dict"])
        case .record(let columns):
            return columns.map { CompletionCandidate($0, kind: .column) } + methods(["as_dict"])
        case .column:
            return methods(Soup.columnMethods)
        case .relationship:
            return methods(["any", "has"])
        case .functions:
            return functionNames().map { CompletionCandidate($0 + "(", kind: .function) }
        }
    }

    private func columns(of entity: Entity) -> [CompletionCandidate] {
        entity.attributes.map { CompletionCandidate($0.name, kind: .column) }
    }

    /// The entity's relations as reflection names them (reading its foreign keys once).
    private func relations(of entity: Entity) -> [CompletionCandidate] {
        guard let relations = try? soup.relations(of: entity) else { return [] }
        return relations.values.map { relation in
            let target = relation.target.name
            return CompletionCandidate(relation.name, kind: .relation, detail: relation.isList ? "→ [\(target)]" : "→ \(target)")
        }
    }

    /// `column=` for the calls that take columns as keyword arguments.
    private func arguments(of call: CompletionContext.Call) -> [CompletionCandidate] {
        switch call.name {
        case "filter_by", "insert":
            guard let entity = entity(of: call.receiver) else { return [] }
            return entity.attributes.map { CompletionCandidate($0.name + "=", kind: .argument) }
        case "relate":
            return ["backref", "order_by", "cascade", "uselist", "primaryjoin"].map { CompletionCandidate($0 + "=", kind: .argument) }
        case "entity" where call.receiver == .name("db"):
            return [CompletionCandidate("pk=", kind: .argument)]
        default:
            return []
        }
    }

    /// The entity a call is made on (`users.filter_by(` → users; `q.filter(…).update(` → q's).
    private func entity(of receiver: CompletionContext.Receiver?) -> Entity? {
        switch receiver.flatMap({ resolve($0) }) {
        case .entity(let entity), .query(let entity), .row(let entity): entity
        default: nil
        }
    }

    /// Follows a receiver statically: variables by what they hold, names of tables and schemas,
    /// `db.x`, `entity.c`, relations, and query methods by what they return. A table it ends on
    /// is reflected `whole` when its relations are wanted.
    func resolve(_ receiver: CompletionContext.Receiver, whole: Bool = false) -> Target? {
        switch receiver {
        case .unknown:
            return nil
        case .name(let name):
            if let value = soup.variables[name] { return target(of: value) }
            if name == "db" { return .soup }
            if name == Builtin.func.rawValue { return .functions }
            if Builtin(rawValue: name) != nil { return nil }
            if let entity = entity(forTable: name, whole: whole) { return .entity(entity) }
            if schemas().contains(name) { return .schema(name) }
            return nil
        case .member(let inner, let name):
            switch resolve(inner) {
            case .soup:
                if Soup.soupMethods.contains(name) { return nil }
                return entity(forTable: name, whole: whole).map(Target.entity)
            case .schema(let schema):
                return entity(forTable: name, schema: schema, whole: whole).map(Target.entity)
            case .entity(let entity):
                if entity.attribute(named: name) != nil { return .column }
                if name == "c" { return .columns(entity) }
                return (try? soup.relations(of: entity)[name]) != nil ? .relationship : nil
            case .columns(let entity):
                return entity.attribute(named: name) != nil ? .column : nil
            case .row(let rowEntity):
                guard rowEntity.attribute(named: name) == nil, let relation = try? soup.relations(of: rowEntity)[name],
                    !relation.isList
                else { return nil }
                return entity(forTable: relation.target.name, schema: relation.target.schema, whole: whole).map(Target.row)
            case .functions:
                return .functions
            default:
                return nil
            }
        case .call(let call, let firstString):
            let callee = call.receiver.flatMap { resolve($0) }
            switch (callee, call.name) {
            case (.soup, "entity"):
                return firstString.flatMap { entity(forTable: $0, whole: whole) }.map(Target.entity)
            case (.entity(let entity), let method), (.query(let entity), let method):
                switch method {
                case "first", "one", "one_or_none", "get", "get_by_lower": return .row(entity)
                case "count", "scalar", "exists", "all", "insert", "delete", "update", "relate": return nil
                default: return Soup.queryMethods.contains(method) ? .query(entity) : nil
                }
            case (.column, _), (.functions, _):
                return .column
            default:
                return nil
            }
        }
    }

    private func target(of value: RuntimeValue) -> Target? {
        switch value {
        case .soup: .soup
        case .schema(let schema): .schema(schema)
        case .entity(let entity): .entity(entity)
        case .columns(let entity): .columns(entity)
        case .query(let query): .query(query.entity)
        case .row(let row): .row(row.entity)
        case .record(let record): .record(record.columns.map(\.name))
        case .sql: .column
        case .relationship: .relationship
        case .builtin(.func), .sqlFunction: .functions
        default: nil
        }
    }

    /// Whether `name` can be typed as a soup name (`Odd Name` needs `db.entity('Odd Name')`).
    static func isSoupName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue } && Keyword(rawValue: name) == nil
    }

    // MARK: SQL

    /// Tables (bare when the search path finds them) and schemas (`audit.`), or the tables of `schema`.
    private func sqlTables(schema: String?) -> [CompletionCandidate] {
        let listed = tables()
        if let schema {
            return listed.filter { $0.name.schema?.lowercased() == schema.lowercased() }
                .map { CompletionCandidate(sqlSpelling($0.name.name), kind: $0.kind.storesRows ? .table : .view) }
        }
        return self.listed("sql tables") {
            listed.filter { $0.searchRank != nil }
                .map { CompletionCandidate(sqlSpelling($0.name.name), kind: $0.kind.storesRows ? .table : .view) }
                + schemas().map { CompletionCandidate(sqlSpelling($0) + ".", kind: .schema) }
        }
    }

    /// Candidates made from the listing once, and kept until it is forgotten.
    private func listed(_ key: String, _ make: () -> [CompletionCandidate]) -> [CompletionCandidate] {
        if let kept = listedCandidates[key] { return kept }
        let made = make()
        if cachedTables != nil { listedCandidates[key] = made }
        return made
    }

    /// Columns of the statement's tables (of the one `qualifier` names), and functions.
    private func sqlColumns(qualifier: String?, tables: [CompletionContext.SQLTable], functions: Bool) -> [CompletionCandidate] {
        let entities: [Entity]
        if let qualifier {
            let named = tables.first { $0.alias?.lowercased() == qualifier.lowercased() }
                ?? tables.first { $0.alias == nil && $0.name.lowercased() == qualifier.lowercased() }
            if let named {
                entities = entity(forTable: named.name, schema: named.schema).map { [$0] } ?? []
            } else if let entity = entity(forTable: qualifier) {
                entities = [entity]
            } else if schemas().contains(where: { $0.lowercased() == qualifier.lowercased() }) {
                return sqlTables(schema: qualifier)
            } else {
                entities = []
            }
        } else {
            entities = tables.compactMap { entity(forTable: $0.name, schema: $0.schema) }
        }
        var candidates = entities.flatMap { $0.attributes.map { CompletionCandidate(sqlSpelling($0.name), kind: .column) } }
        if functions { candidates += functionNames().map { CompletionCandidate($0 + "(", kind: .function) } }
        if qualifier == nil {
            candidates += ["DISTINCT", "CASE", "NOT", "NULL", "EXISTS", "TRUE", "FALSE"].map { CompletionCandidate($0, kind: .keyword) }
        }
        return candidates
    }
}

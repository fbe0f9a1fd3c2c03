import SoupDriver
import SoupLanguage
import SoupReflection

extension Soup {
    /// `help()`: examples written for the database in front of you, from its first tables (by
    /// name, tables before views; the first that has rows and a text column): a text column
    /// for `like`, the key of its first row for `get`, and a relation when one of the first
    /// tables has a foreign key. Costs a listing, one reflection batch and up to eight
    /// single-row reads.
    func helpText() throws -> String {
        let listed = try catalog.listTables().filter { $0.searchRank != nil }
        let ordinary = listed.filter { $0.kind == .table || $0.kind == .partitionedTable }
        let candidates = Array((ordinary.isEmpty ? listed : ordinary).prefix(8))
        let tables = try catalog.tables(candidates.map(\.name)).filter { $0.reflectionError == nil }
        guard !tables.isEmpty else {
            if listed.isEmpty, !(try catalog.listTables()).isEmpty {
                return """
                    soup: tables are entities, but none is on the search path here. Try:
                      db.tables()                              every table, schema-qualified
                      t = db.entity('name', schema='schema')   one of them, to query as t
                    """
            }
            return """
                soup: tables are entities; this database has none yet. Try:
                  CREATE TABLE notes (id integer PRIMARY KEY, body text);
                  notes.insert(id=1, body='first')
                  notes.all()
                  commit()
                """
        }
        var chosen: (table: Table, entity: Entity, sample: Record?, text: Entity.Attribute?)?
        for table in tables {
            let entity = try self.entity(named: table.name.name)
            let sample = try firstRow(of: entity)
            let text = entity.attributes.first { attribute in
                guard case .text = attribute.column?.type, Self.isPlainName(attribute.name) else { return false }
                return true
            }
            func score(_ sample: Record?, _ text: Entity.Attribute?) -> Int { (sample == nil ? 0 : 2) + (text == nil ? 0 : 1) }
            if chosen.map({ score($0.sample, $0.text) < score(sample, text) }) ?? true { chosen = (table, entity, sample, text) }
            if score(sample, text) == 3 { break }
        }
        guard let (first, entity, sample, textColumn) = chosen else { return "" }
        var lines: [(String, String)] = []
        let name = typedName(of: entity, table: first.name, lines: &lines)
        lines.append((name, "describe the table, its keys and relations"))
        lines.append(("\(name).all()", "every row"))
        if let column = textColumn {
            let text = sample?.value(of: column.name)?.text ?? ""
            let initial = text.first.map { String($0).replacing("'", with: "\\'") } ?? "A"
            let filtered = "\(name).filter(\(name).\(column.name).like('\(initial)%'))"
            lines.append(("\(filtered).order_by(\(name).\(column.name)).limit(5).all()", ""))
            lines.append(("\(filtered).count()", ""))
        }
        if try !settled(entity).identity.isEmpty, let row = sample {
            let key = entity.identity.map { Row.python(row.value(of: $0) ?? .null) }
            lines.append(("\(name).get(\(key.count == 1 ? key[0] : "(" + key.joined(separator: ", ") + ")"))", "a row by primary key"))
        }
        if let (owner, relation) = try firstRelation(among: tables) {
            let example = "\(owner).first().\(relation.name)"
            lines.append((example, relation.isList ? "the rows related to a row, a list" : "a row's related row"))
        }
        if let column = textColumn {
            lines.append(("\(name).with_entities(\(name).\(column.name), func.lower(\(name).\(column.name))).limit(5).all()", ""))
        }
        lines.append(("SELECT * FROM \(TableName(first.name.name).sql(in: dialect)) LIMIT 5;", "SQL works too"))
        let width = min(40, lines.filter { !$0.1.isEmpty }.map(\.0.count).max() ?? 0)
        let body = lines.map { code, note in
            note.isEmpty || code.count > width ? "  " + code + (note.isEmpty ? "" : "   " + note)
                : "  " + code + String(repeating: " ", count: width - code.count + 3) + note
        }
        let names = listed.prefix(6).map { $0.name.name }.joined(separator: ", ") + (listed.count > 6 ? ", …" : "")
        return (["soup: tables are entities (\(names)). Try, on this database:"] + body).joined(separator: "\n")
    }

    /// How a table is typed in the examples: its bare name, or `t` after a `db.entity(...)`
    /// line when the bare name would not read as the table (spaces, a builtin's name, SQL).
    private func typedName(of entity: Entity, table: TableName, lines: inout [(String, String)]) -> String {
        if Self.isPlainName(entity.name) { return entity.name }
        lines.append(("t = db.entity(\(Row.python(.text(table.name))))", "a table whose name is not a plain word"))
        return "t"
    }

    /// Whether `name` alone reads as a name that reaches a table.
    static func isPlainName(_ name: String) -> Bool {
        guard Builtin(rawValue: name) == nil, name != "db", !sessionCalls.contains(name),
            let statement = try? Parser.parse(name), statement.count == 1,
            case .expression(let expression) = statement[0].kind, case .name(name) = expression.kind
        else { return false }
        return true
    }

    /// The first row of `entity`, if it has one, read without flushing the session (help
    /// sends no pending writes) and without loading it into the identity map.
    private func firstRow(of entity: Entity) throws -> Record? {
        let compiled = compiler.compile(Query(entity: entity).sliced(from: 0, to: 1).statement)
        let cursor = try connection.query(compiled.sql, compiled.parameters)
        let values = try cursor.next()
        while try cursor.next() != nil {}
        return values.map { Record(columns: cursor.columns, values: $0) }
    }

    /// A relation of one of `tables`, with the name its table is typed as: many-to-one to
    /// another table first (the likeliest to lead somewhere from the first row), then to the
    /// table itself, then a list.
    private func firstRelation(among tables: [Table]) throws -> (String, Relation)? {
        var found: [(rank: Int, owner: String, relation: Relation)] = []
        for table in tables where Self.isPlainName(table.name.name) {
            let entity = try self.entity(named: table.name.name)
            for relation in try relationList(of: entity) where Self.isPlainName(relation.name) {
                let rank = relation.isList ? 2 : (relation.target == table.name ? 1 : 0)
                if rank == 0 { return (entity.name, relation) }
                found.append((rank, entity.name, relation))
            }
        }
        return found.min { $0.rank < $1.rank }.map { ($0.owner, $0.relation) }
    }
}

import Foundation
import SoupDriver
import SoupReflection
import SoupTestSupport
import Testing

@Suite("Rendering schemas as text, JSON, DOT and Mermaid")
struct RenderingTests {
    /// The feature database's tables (views, composite and self-referencing keys, quoted names,
    /// another schema) plus SQLSoup's fixture.
    private func tables(_ engine: Engine) throws -> [Table] {
        let (connection, catalog) = try FeatureTests.database(engine)
        try connection.executeScript(FixtureTests.ddl(for: engine))
        return try catalog.allTables()
    }

    @Test("text reads like psql's \\d", arguments: Engine.allCases)
    func text(engine: Engine) throws {
        let (connection, catalog) = try FeatureTests.database(engine)
        try connection.executeScript(FixtureTests.ddl(for: engine))
        let users = SchemaFormat.text.render([try catalog.table(TableName("users"))], dialect: connection.dialect)
        let lines = users.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].trimmingCharacters(in: .whitespaces) == "Table \"\(engine.defaultSchema).users\"")
        #expect(lines[1].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } == ["Column", "Type", "Nullable", "Default"])
        #expect(lines[2].allSatisfy { $0 == "-" || $0 == "+" })
        #expect(lines.contains { $0.hasPrefix(" email ") && $0.contains("| not null") })
        #expect(lines.contains("Primary key: (name)"))
        #expect(lines.contains("Indexes:"))
        #expect(lines.contains("Referenced by:"))
        #expect(lines.contains { $0.hasPrefix("    TABLE loans ") && $0.contains("FOREIGN KEY (user_name) REFERENCES users(name) ON UPDATE CASCADE ON DELETE SET NULL") })

        let child = SchemaFormat.text.render([try catalog.table(TableName("child"))], dialect: connection.dialect)
        #expect(child.contains("Foreign-key constraints:\n"))
        #expect(child.contains("FOREIGN KEY (part, other) REFERENCES \"Odd Table\"(\"Key Part\", \"Other\") ON UPDATE CASCADE"))
        #expect(child.contains("FOREIGN KEY (parent_id) REFERENCES child(id) ON DELETE CASCADE"))
        #expect(child.contains("\"child_other\" UNIQUE"))
        #expect(child.contains("WHERE other IS NOT NULL"))
        let nopk = SchemaFormat.text.render([try catalog.table(TableName("nopk"))], dialect: connection.dialect)
        #expect(nopk.contains(engine == .sqlite ? "Primary key: none; rows are identified by the rowid" : "Primary key: none\n"))
        let view = SchemaFormat.text.render([try catalog.table(TableName("child_names"))], dialect: connection.dialect)
        #expect(view.contains("View \"\(engine.defaultSchema).child_names\"") && view.contains("View definition:\n"))
    }

    @Test("json is the documented structure and parses", arguments: Engine.allCases)
    func json(engine: Engine) throws {
        let tables = try tables(engine)
        let text = SchemaFormat.json.render(tables, dialect: engine == .sqlite ? .sqlite : .postgres)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "soup-schema")
        #expect(document["version"] as? Int == 1)
        #expect(document["engine"] as? String == engine.rawValue)
        let entries = try #require(document["tables"] as? [[String: Any]])
        #expect(entries.count == tables.count)
        let keys = [
            "schema", "name", "kind", "has_rowid", "estimated_rows", "comment", "view_definition", "columns",
            "primary_key", "foreign_keys", "referenced_by", "unique_constraints", "indexes", "error",
        ]
        for entry in entries { #expect(Set(entry.keys) == Set(keys)) }
        let loans = try #require(entries.first { $0["name"] as? String == "loans" })
        let columns = try #require(loans["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["book_id", "user_name", "loan_date"])
        #expect(columns[1]["normalized_type"] as? String == "text(32)")
        #expect(columns[1]["position"] as? Int == 2)
        #expect(columns[0]["generated"] is NSNull)
        let foreignKeys = try #require(loans["foreign_keys"] as? [[String: Any]])
        let byUser = try #require(foreignKeys.first { ($0["columns"] as? [String]) == ["user_name"] })
        #expect(byUser["on_delete"] as? String == "set null" && byUser["on_update"] as? String == "cascade")
        let references = try #require(byUser["references"] as? [String: Any])
        #expect(references["table"] as? String == "users" && references["columns"] as? [String] == ["name"])
        let child = try #require(entries.first { $0["name"] as? String == "child" })
        let indexes = try #require(child["indexes"] as? [[String: Any]])
        let lower = try #require(indexes.first { $0["name"] as? String == "child_lower" })
        let firstKey = try #require((lower["keys"] as? [[String: String]])?.first)
        #expect(firstKey["expression"]?.hasPrefix("lower(other") == true)
        let people = try #require(entries.first { $0["name"] as? String == "people" })
        let fullName = try #require((people["columns"] as? [[String: Any]])?.last)
        #expect((fullName["generated"] as? [String: Any])?["storage"] as? String == "stored")
    }

    @Test("dot renders with Graphviz and has an edge per foreign key", arguments: Engine.allCases)
    func dot(engine: Engine) throws {
        let tables = try tables(engine)
        let text = SchemaFormat.dot.render(tables, dialect: .sqlite)
        let foreignKeyCount = tables.reduce(0) { $0 + $1.foreignKeys.count }
        #expect(text.split(separator: "\n").filter { $0.contains(" -> ") }.count == foreignKeyCount)
        #expect(text.contains("\"\(engine.defaultSchema).Odd Table\" [label=<"))
        let result = try ProcessRunner.run(executable: "/usr/bin/dot", arguments: ["-Tsvg"], stdin: Array(text.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("<svg"))
        #expect(result.stdout.contains("Key Part"))
    }

    @Test("mermaid is a well-formed erDiagram with an entity per table and a line per foreign key", arguments: Engine.allCases)
    func mermaid(engine: Engine) throws {
        let tables = try tables(engine)
        let text = SchemaFormat.mermaid.render(tables, dialect: .sqlite)
        let diagram = try MermaidDiagram(parsing: text)
        let labels = tables.map { $0.name.name }
        // `loose` exists in two schemas, so both are drawn qualified.
        let expected = Set(labels.filter { $0 != "loose" } + ["\(engine.defaultSchema).loose", "audit.loose"])
        #expect(Set(diagram.entities.keys) == expected)
        #expect(diagram.entities["Odd Table"]?.contains { $0.name == "Key_Part" && $0.keys == ["PK"] && $0.comment == "Key Part" } == true)
        #expect(diagram.entities["nopk"] == [])
        #expect(diagram.entities["loans"]?.map(\.name) == ["book_id", "user_name"])
        let expectedRelations = tables.flatMap { table in
            table.foreignKeys.map { MermaidDiagram.Relation(parent: $0.referencedTable.name, child: table.name.name, label: $0.columns.joined(separator: ", ")) }
        }
        #expect(Set(diagram.relations.map { MermaidDiagram.Relation(parent: $0.parent, child: $0.child, label: $0.label) }) == Set(expectedRelations))
        #expect(diagram.cardinalities["users->loans"] == "|o--o{")
        #expect(diagram.cardinalities["child->child"] == "|o--o{")
    }
}

/// A small reader for the subset of Mermaid's erDiagram syntax soup writes, strict about the
/// rest: any other line is an error.
struct MermaidDiagram {
    struct Attribute: Equatable {
        var type: String
        var name: String
        var keys: [String]
        var comment: String?
    }

    struct Relation: Hashable {
        var parent: String
        var child: String
        var label: String
    }

    var entities: [String: [Attribute]] = [:]
    var relations: [Relation] = []
    /// `parent->child` to the relationship operator (`||--o{`).
    var cardinalities: [String: String] = [:]

    init(parsing text: String) throws {
        var lines = text.split(separator: "\n").map(String.init)[...]
        guard lines.popFirst() == "erDiagram" else { throw TestFailure("no erDiagram header") }
        let entityName = #"("[^"%\\]+"|[A-Za-z_][A-Za-z0-9_]*)"#
        let word = #"[A-Za-z_][A-Za-z0-9_\[\]]*"#
        let open = try Regex(#"^    "# + entityName + #" \{( \})?$"#)
        let attribute = try Regex(#"^        ("# + word + ") (" + word + #")( (PK|FK|PK, FK|UK))?( "([^"]*)")?$"#)
        let relation = try Regex(#"^    "# + entityName + #" (\|\||\|o)--(o\||o\{) "# + entityName + #" : "([^"]*)"$"#)
        var current: String?
        while let line = lines.popFirst() {
            if let name = current {
                if line == "    }" {
                    current = nil
                } else if let match = try attribute.wholeMatch(in: line) {
                    let keys = match.output[4].substring.map { $0.components(separatedBy: ", ") } ?? []
                    entities[name, default: []].append(
                        Attribute(type: String(match.output[1].substring ?? ""), name: String(match.output[2].substring ?? ""),
                                  keys: keys, comment: match.output[6].substring.map(String.init)))
                } else {
                    throw TestFailure("bad attribute line: \(line)")
                }
            } else if let match = try open.wholeMatch(in: line) {
                let name = Self.unquote(match.output[1].substring)
                entities[name] = []
                if match.output[2].substring == nil { current = name }
            } else if let match = try relation.wholeMatch(in: line) {
                let parent = Self.unquote(match.output[1].substring)
                let child = Self.unquote(match.output[4].substring)
                relations.append(Relation(parent: parent, child: child, label: String(match.output[5].substring ?? "")))
                cardinalities["\(parent)->\(child)"] = "\(match.output[2].substring ?? "")--\(match.output[3].substring ?? "")"
            } else {
                throw TestFailure("unexpected line: \(line)")
            }
        }
        if current != nil { throw TestFailure("an entity block is not closed") }
        for relation in relations where entities[relation.parent] == nil || entities[relation.child] == nil {
            throw TestFailure("relation to an undeclared entity: \(relation)")
        }
    }

    private static func unquote(_ text: Substring?) -> String {
        String(text ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

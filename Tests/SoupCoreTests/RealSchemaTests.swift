import SoupCore
import SoupDriver
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Testing

extension Engine {
    var dialectEngine: Dialect.Engine { self == .sqlite ? .sqlite : .postgres }

    /// A fresh database holding ``RealSchema``, wrapped in a soup.
    func realSoup() throws -> Soup {
        let connection: any Connection
        switch self {
        case .sqlite: connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        case .postgres: connection = try PostgresConnection(conninfo: try PostgresServer.shared().makeDatabase())
        }
        try connection.executeScript(RealSchema.sql(for: dialectEngine))
        return Soup(connection: connection)
    }
}

/// Self-references, two keys to one table, bare session calls: the shapes of real schemas.
@Suite("Relations of real schemas")
struct RealSchemaTests {
    @Test("a key to the table itself gives both sides; two such keys add _by_<column>", arguments: Engine.allCases)
    func selfReferenceNames(engine: Engine) throws {
        let db = try engine.realSoup()
        let employees = try db.entity(named: "employees")
        let listed = try db.relationList(of: employees).map { "\($0.name) \($0.isList ? "many" : "one")" }
        #expect(listed == ["employees one", "employees_collection many"])
        let person = try db.entity(named: "person")
        #expect(try db.relationList(of: person).map(\.name) == [
            "person_by_father_id", "person_by_father_id_collection", "person_by_mother_id",
            "person_by_mother_id_collection",
        ])
        let film = try db.entity(named: "film")
        #expect(try db.relationList(of: film).map(\.name).prefix(2) == [
            "language_by_language_id", "language_by_original_language_id",
        ])
        // The other side of two keys to one table is unchanged.
        let language = try db.entity(named: "language")
        #expect(try db.relationList(of: language).map(\.name).contains("film_by_original_language_id"))
    }

    @Test("the manager is one row or None; the reports a list in key order", arguments: Engine.allCases)
    func selfReferenceValues(engine: Engine) throws {
        let db = try engine.realSoup()
        #expect(try db.repr("employees.get(3).employees.last_name") == "'Edwards'")
        #expect(try db.repr("employees.get(3).employees.employees.last_name") == "'Adams'")
        #expect(try db.repr("employees.get(1).employees") == "None")
        // An updated row moves to the end of a PostgreSQL heap: only ORDER BY keeps key order.
        try db.connection.executeScript("UPDATE employees SET title = title || '' WHERE employee_id = 3")
        let reports = try db.repr("employees.get(2).employees_collection")
        let third = try #require(reports.firstRange(of: "employee_id=3"))
        let fourth = try #require(reports.firstRange(of: "employee_id=4"))
        #expect(third.lowerBound < fourth.lowerBound, "\(reports)")
        #expect(try db.repr("len(person.get(1).person_by_mother_id_collection)") == "3")
        #expect(try db.repr("person.get(6).person_by_father_id.name") == "'Cain'")
        #expect(try db.repr("person.get(6).person_by_mother_id") == "None")
    }

    @Test("join() through a self-reference aliases the table; any() and has() correlate", arguments: Engine.allCases)
    func selfReferenceJoins(engine: Engine) throws {
        let db = try engine.realSoup()
        let bosses = """
            employees.join(employees.employees).with_entities(employees.last_name, \
            employees.employees.last_name.label('boss')).order_by(employees.employee_id)
            """
        #expect(try db.repr(bosses + ".all()")
            == "[('Edwards', 'Adams'), ('Peacock', 'Edwards'), ('Park', 'Edwards'), ('Mitchell', 'Adams')]")
        #expect(try db.repr(bosses).contains("JOIN \(engine == .sqlite ? "main" : "public").employees AS employees_1 ON employees.reports_to = employees_1.employee_id"))
        let counts = """
            employees.outerjoin(employees.employees_collection).with_entities(employees.last_name, \
            func.count(employees.employees_collection.employee_id).label('n')).group_by(employees.last_name) \
            .order_by(employees.last_name).all()
            """
        #expect(try db.repr(counts)
            == "[('Adams', 2), ('Edwards', 2), ('Mitchell', 0), ('Park', 0), ('Peacock', 0)]")
        #expect(try db.repr("employees.filter(employees.employees_collection.any()).count()") == "2")
        #expect(try db.repr("employees.filter(~employees.employees.has()).one().last_name") == "'Adams'")
        #expect(try db.repr("person.filter(person.person_by_mother_id.has(person.person_by_mother_id.name == 'Eve')).count()") == "3")
        // Two keys to another table: the relation picks the key; the table keeps its name.
        #expect(try db.repr("film.join(film.language_by_original_language_id).filter(language.name == 'Italian').count()") == "2")
        #expect(try db.repr("film.join(film.language_by_language_id).filter(language.name == 'Italian').count()") == "0")
        let error = try #require(throws: EvaluationError.self) { try db.run("employees.join(employees).all()") }
        #expect(error.message.contains("'employees' cannot be joined to itself by name"))
        #expect(error.hint == "its relations to itself are employees, employees_collection")
    }

    @Test("a flush inserts a new manager before the new report, deletes reports first", arguments: Engine.allCases)
    func selfReferenceFlushOrder(engine: Engine) throws {
        let db = try engine.realSoup()
        try db.run("""
            report = employees.insert(employee_id=11, last_name='Report', first_name='R', reports_to=10)
            boss = employees.insert(employee_id=10, last_name='Boss', first_name='B', reports_to=1)
            other = employees.insert(employee_id=12, last_name='Other', first_name='O')
            """)
        let pending = try db.pendingStatements()
        #expect(pending.map { $0.parameters.first } == [.integer(10), .integer(11), .integer(12)])
        try db.run("commit()")
        #expect(try db.repr("employees.get(11).employees.last_name") == "'Boss'")
        try db.run("delete(boss)\ndelete(report)\ndelete(other)")
        #expect(try db.pendingStatements().map { $0.parameters.first } == [.integer(11), .integer(10), .integer(12)])
        try db.run("commit()")
        #expect(try db.repr("employees.count()") == "5")
        // Three generations, given youngest first.
        try db.run("""
            person.insert(person_id=9, name='Grandchild', mother_id=8)
            person.insert(person_id=8, name='Child', father_id=7)
            person.insert(person_id=7, name='Parent')
            flush()
            """)
        #expect(try db.repr("person.get(9).person_by_mother_id.person_by_father_id.name") == "'Parent'")
    }

    @Test("a flush of thousands of self-referencing rows, given children first, writes every parent before its children")
    func manySelfReferencingRows() throws {
        let db = try Engine.sqlite.realSoup()
        // A tree of 3,000 people, each the child of person n / 2, inserted youngest first: every
        // row waits for another, and whole generations become ready at once.
        let count = 3_000
        let script = (1...count).reversed().map { id in
            "person.insert(person_id=\(id + 100), name='P\(id)'" + (id > 1 ? ", mother_id=\(id / 2 + 100))" : ")")
        }
        try db.run(script.joined(separator: "\n"))
        let order = try db.pendingStatements().compactMap { statement -> Int? in
            guard case .integer(let id)? = statement.parameters.first else { return nil }
            return Int(id) - 100
        }
        #expect(order.count == count)
        var position: [Int: Int] = [:]
        for (index, id) in order.enumerated() { position[id] = index }
        #expect((2...count).allSatisfy { position[$0 / 2]! < position[$0]! })
        // Of the rows ready together, the one given first goes first: 3 was given before 2.
        #expect(order.first == 1 && order[1] == 3)
        try db.run("flush()")
        #expect(try db.repr("person.get(3100).person_by_mother_id.person_by_mother_id.name") == "'P750'")
    }

    @Test("rows that point at each other are refused with the way out", arguments: Engine.allCases)
    func selfReferenceCycle(engine: Engine) throws {
        let db = try engine.realSoup()
        try db.run("""
            a = person.insert(person_id=20, name='A', mother_id=21)
            b = person.insert(person_id=21, name='B', mother_id=20)
            """)
        let error = try #require(throws: EvaluationError.self) { try db.run("flush()") }
        #expect(error.message.hasPrefix("cannot insert these 'person' rows in any order, they reference each other: "))
        #expect(error.message.contains("person_id=20") && error.message.contains("person_id=21"))
        #expect(error.hint == "insert one of them with 'father_id' or 'mother_id' None, flush(), then set it")
        try db.run("a.mother_id = None\nflush()\na.mother_id = 21\ncommit()")
        #expect(try db.repr("person.get(20).person_by_mother_id.name") == "'B'")
        // A row that references itself is no loop.
        try db.run("person.insert(person_id=30, name='Self', father_id=30)\ncommit()")
        #expect(try db.repr("person.get(30).person_by_father_id.name") == "'Self'")
    }

    @Test("did-you-mean for an attribute offers relations and methods; the hint lists relations", arguments: Engine.allCases)
    func attributeErrors(engine: Engine) throws {
        let db = try engine.realSoup()
        let film = try #require(throws: EvaluationError.self) { try db.run("film.get(1).language") }
        #expect(film.message == "'film' has no column or relation 'language'; did you mean 'language_by_language_id', 'language_by_original_language_id' or 'language_id'?")
        let relations = "language_by_language_id, language_by_original_language_id" + (engine == .postgres ? ", payment" : "")
        #expect(film.hint
            == "its columns are film_id, title, language_id, original_language_id, special_features, details; its relations are "
            + relations)
        let method = try #require(throws: EvaluationError.self) { try db.run("employees.fitler_by(title='x')") }
        #expect(method.message.contains("did you mean 'filter_by'"))
        let relation = try #require(throws: EvaluationError.self) { try db.run("employees.get(1).employee_collection") }
        #expect(relation.message.contains("did you mean 'employees_collection'"))
        let column = try #require(throws: EvaluationError.self) { try db.run("employees.employees.lastname") }
        #expect(column.message == "relation 'employees' (table 'employees') has no column 'lastname'; did you mean 'last_name'?")
    }

    @Test("help(entity) lists the relations: name, table, one or many, columns", arguments: Engine.allCases)
    func helpListsRelations(engine: Engine) throws {
        let db = try engine.realSoup()
        var printed: [String] = []
        db.printLine = { printed.append($0) }
        try db.run("help(employees)")
        let text = printed.joined(separator: "\n")
        #expect(text.contains("""
            Relations:
                employees             employees  one   reports_to = employees.employee_id
                employees_collection  employees  many  employee_id = employees.reports_to
            """), "\(text)")
    }

    @Test("commit(), rollback(), flush(), pending(), delete(), expunge(), refresh() are db's", arguments: Engine.allCases)
    func bareSessionCalls(engine: Engine) throws {
        let db = try engine.realSoup()
        try db.run("l = language.insert(language_id=4, name='French')")
        #expect(try db.repr("pending()").contains("INSERT INTO"))
        try db.run("flush()\nrollback()")
        #expect(try db.repr("language.count()") == "3")
        try db.run("l = language.insert(language_id=4, name='French')\ncommit()")
        #expect(try db.repr("language.count()") == "4")
        try db.run("delete(language.get(4))\ncommit()")
        #expect(try db.repr("language.count()") == "3")
        try db.run("e = language.get(1)")
        try db.connection.executeScript("UPDATE language SET name = 'Changed' WHERE language_id = 1")
        #expect(try db.repr("e.name") == "'English'")
        try db.run("refresh(e)")
        #expect(try db.repr("e.name") == "'Changed'")
        try db.run("n = language.insert(language_id=5, name='Dutch')\nexpunge(n)")
        #expect(try db.repr("pending()") == "None")
        try db.run("n = language.insert(language_id=5, name='Dutch')\nexpunge_all()")
        #expect(try db.repr("pending()") == "None")
        // A variable, then a table, of the same name wins.
        try db.run("commit = 5")
        #expect(try db.repr("commit + 1") == "6")
        try db.connection.executeScript("CREATE TABLE refresh (id integer PRIMARY KEY)")
        #expect(try db.repr("refresh.count()") == "0")
        let unknown = try #require(throws: EvaluationError.self) { try db.run("comit()") }
        #expect(unknown.message.contains("did you mean 'commit'"))
    }
}

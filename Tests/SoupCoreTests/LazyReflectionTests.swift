import SoupCore
import Testing

/// A table's first use reads what querying needs; its foreign keys, unique constraints and
/// indexes are read when a relation, `help()` or a flush needs them.
@Suite("What a first use reflects")
struct LazyReflectionTests {
    /// A catalog query for foreign keys (PostgreSQL reads them, both ways, with the constraints).
    static func readsForeignKeys(_ sql: String) -> Bool {
        sql.contains("pragma_foreign_key_list") || sql.contains("confrelid")
    }

    @Test("a query reads no foreign keys; a relation does", arguments: Engine.allCases)
    func relationReadsForeignKeys(engine: Engine) throws {
        let counting = try Engine.countingSoup(try engine.soup())
        #expect(try counting.soup.repr("loans.first().book_id") == "1")
        #expect(try counting.soup.repr("users.filter(users.admin == 0).all()").contains("Joe Student"))
        #expect(!counting.connection.statements.contains(where: Self.readsForeignKeys))
        #expect(try counting.soup.repr("loans.first().users.name") == "'Joe Student'")
        #expect(counting.connection.statements.contains(where: Self.readsForeignKeys))
    }

    @Test("a first use on PostgreSQL asks the catalog once and describes its SELECT *; the key waits")
    func firstUseReadsLittle() throws {
        let counting = try Engine.countingSoup(try Engine.postgres.soup())
        #expect(try counting.soup.repr("loans.first().book_id") == "1")
        // The name resolved, `SELECT *` described (not run), then the SELECT: no catalog table
        // is planned, and the primary key is not read, as nothing needed it.
        let sends = counting.connection.sends
        #expect(sends.map(\.count) == [1, 1, 1], "\(sends)")
        #expect(sends.first?.first?.contains("to_regclass") == true)
        #expect(sends.dropFirst().first?.first == "SELECT * FROM public.loans")
        #expect(sends.last?.first?.contains("LIMIT") == true)
        #expect(!counting.connection.statements.contains { $0.contains("pg_attribute") || $0.contains("pg_constraint") })
    }

    @Test("help() and db.pending() read the whole table", arguments: Engine.allCases)
    func helpAndPending(engine: Engine) throws {
        let first = try Engine.countingSoup(try engine.soup())
        _ = try first.soup.run("users.count()")
        #expect(!first.connection.statements.contains(where: Self.readsForeignKeys))
        var printed: [String] = []
        first.soup.printLine = { printed.append($0) }
        try first.soup.run("help(loans)")
        #expect(printed.joined().contains("users(name)"), "\(printed)")

        // Parents are inserted before children though only queries had read the two tables.
        let second = try Engine.countingSoup(try engine.soup())
        try second.soup.run("""
            n = loans.count()
            u = users.count()
            loans.insert(book_id=2, user_name='New Reader')
            users.insert(name='New Reader', email='n@example.ed', password='p', admin=0)
            """)
        #expect(!second.connection.statements.contains(where: Self.readsForeignKeys))
        let pending = try second.soup.repr("db.pending()")
        let usersInsert = try #require(pending.firstRange(of: ".users ("))
        let loansInsert = try #require(pending.firstRange(of: ".loans ("))
        #expect(usersInsert.lowerBound < loansInsert.lowerBound)
        try second.soup.run("db.commit()")
        #expect(try second.soup.repr("loans.filter_by(book_id=2).one().users.email") == "'n@example.ed'")
    }
}

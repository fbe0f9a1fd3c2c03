import SoupCore
import SoupDriver
import Testing

/// On PostgreSQL a table's first read leaves its primary key unread (a one-off read never needs
/// it); whatever needs a row's identity reads the key first, and the rows read before it are
/// mapped then, so the identity map holds one object per row as always.
@Suite("Rows read before their table's key")
struct PendingIdentityTests {
    static func readsKey(_ sql: String) -> Bool { sql.contains("contype = 'p'") }

    @Test("a second read finds the first read's rows in the identity map")
    func secondReadMapsTheFirst() throws {
        let counting = try Engine.countingSoup(try Engine.postgres.soup())
        try counting.soup.run("a = users.filter_by(name='Joe Student').first()")
        #expect(!counting.connection.statements.contains(where: Self.readsKey))
        #expect(try counting.soup.repr("users.filter_by(name='Joe Student').first() is a") == "True")
        #expect(counting.connection.statements.filter(Self.readsKey).count == 1)
        #expect(try counting.soup.repr("users.order_by(users.name).all()[1] is a") == "True")
        #expect(counting.connection.statements.filter(Self.readsKey).count == 1)
    }

    @Test("get(), a change, a delete and a bulk update read the key first")
    func writesReadTheKey() throws {
        let db = try Engine.postgres.soup()
        #expect(try db.repr("users.get('Joe Student').email") == "'student@example.ed'")

        let changing = try Engine.postgres.soup()
        try changing.run("""
            u = users.filter_by(name='Joe Student').one()
            u.email = 'joe@example.ed'
            commit()
            """)
        #expect(try changing.connection.scalar("SELECT email FROM users WHERE name = 'Joe Student'") == .text("joe@example.ed"))

        let deleting = try Engine.postgres.soup()
        try deleting.run("""
            b = books.order_by(books.title).all()[1]
            db.delete(b)
            commit()
            """)
        #expect(try deleting.connection.scalar("SELECT count(*) FROM books") == .integer(1))

        let updating = try Engine.postgres.soup()
        try updating.run("u = users.filter_by(name='Joe Student').one()")
        #expect(try updating.repr("users.filter_by(name='Joe Student').update({'admin': 1})") == "1")
        #expect(try updating.repr("u.admin") == "1")
    }

    @Test("a join that repeats a row gives one object")
    func joinRepeats() throws {
        let db = try Engine.postgres.soup()
        try db.connection.execute("UPDATE loans SET book_id = (SELECT max(id) FROM books)")
        try db.connection.execute(
            "INSERT INTO loans (book_id, user_name) VALUES ((SELECT min(id) FROM books), 'Joe Student')")
        try db.run("rows = users.join(loans).all()")
        #expect(try db.repr("len(rows)") == "2")
        #expect(try db.repr("rows[0] is rows[1]") == "True")
    }

    @Test("a row expunged before the key is read stays out of the identity map")
    func expungedStaysOut() throws {
        let db = try Engine.postgres.soup()
        try db.run("""
            a = users.filter_by(name='Joe Student').first()
            db.expunge(a)
            """)
        #expect(try db.repr("users.filter_by(name='Joe Student').first() is a") == "False")
    }

    @Test("after a commit, a row read before the key reads its values again")
    func expiresOnceKeyed() throws {
        let db = try Engine.postgres.soup()
        try db.run("""
            a = users.filter_by(name='Joe Student').first()
            db.execute("UPDATE users SET email = 'moved@example.ed' WHERE name = 'Joe Student'")
            commit()
            """)
        #expect(try db.repr("a.email") == "'moved@example.ed'")
    }
}

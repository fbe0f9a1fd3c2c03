import SoupCore
import SoupDriver
import Testing

/// SQLSoup's write-side tests (SQLSoup 0.9.1's own test suite) and the unit of work of
/// soup-language(7), WRITES AND THE SESSION.
@Suite("SQLSoup's write-side tests and the unit of work")
struct SQLSoupWriteTests {
    @Test("test_crud: insert, autoflush, equality, expunge, delete", arguments: Engine.allCases)
    func crud(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("""
            book_id = db.books.filter(db.books.title == 'Regional Variation in Moss').first().id
            loan = db.loans.insert(book_id=book_id, user_name='Bhargan Basepair')
            """)
        #expect(try db.repr("db.loans.filter_by(book_id=2, user_name='Bhargan Basepair').one() is loan") == "True")
        #expect(try db.repr("db.loans.filter_by(book_id=2, user_name='Bhargan Basepair').one() == loan") == "True")
        try db.run("db.delete(loan)")
        #expect(try db.repr("db.loans.filter_by(book_id=2, user_name='Bhargan Basepair').first()") == "None")
    }

    @Test("test_cls_crud: a bulk update that changes the primary key", arguments: Engine.allCases)
    func clsCrud(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("b = db.users.get('Bhargan Basepair')")
        #expect(try db.repr("db.users.filter_by(name='Bhargan Basepair').update({'name': 'Some New Name'})") == "1")
        #expect(try db.repr("db.users.filter_by(name='Some New Name').one()") == bhargan.replacing("Bhargan Basepair", with: "Some New Name"))
        #expect(try db.repr("db.users.filter_by(name='Some New Name').one() is b") == "True")
        #expect(try db.repr("b.name") == "'Some New Name'")
        // ON UPDATE CASCADE is not at play: Bhargan has no loan. Older forms work too.
        #expect(try db.repr("db.users.update(db.users.name == 'Some New Name', email='new@x')") == "1")
        #expect(try db.repr("b.email") == "'new@x'")
        #expect(try db.repr("db.users.delete(db.users.name == 'Some New Name')") == "1")
        #expect(try db.repr("db.users.count()") == "1")
    }

    @Test("test_raw_sql: execute sees the session's transaction; rollback undoes it", arguments: Engine.allCases)
    func rawSQL(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.begin()
        try db.run("db.execute(\"update users set email='foo bar'\")")
        #expect(try db.repr("db.execute('select distinct email from users')") == "[('foo bar',)]")
        try db.run("db.rollback()")
        #expect(try db.repr("db.execute('select email from users order by email')") == "[('basepair@example.ed',), ('student@example.ed',)]")
    }

    @Test("test_clear: expunge_all drops a pending insert", arguments: Engine.allCases)
    func clear(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.loans.count()") == "1")
        try db.run("l = db.loans.insert(book_id=2, user_name='Bhargan Basepair')")
        try db.run("db.expunge_all()")
        try db.run("db.flush()")
        #expect(try db.repr("db.loans.count()") == "1")
    }

    @Test("expunge forgets one pending row", arguments: Engine.allCases)
    func expunge(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("l2 = db.loans(book_id=2, user_name='Bhargan Basepair')")
        try db.run("db.expunge(l2)")
        #expect(try db.repr("db.pending()") == "None")
        #expect(try db.repr("db.loans.count()") == "1")
    }

    @Test("an unknown column in insert() names it and lists the real ones", arguments: Engine.allCases)
    func unknownColumn(engine: Engine) throws {
        let db = try engine.soup()
        let error = try #require(throws: EvaluationError.self) { try db.run("users.insert(nmae='x')") }
        #expect(error.message.contains("'users' has no column 'nmae'; did you mean 'name'?"))
        #expect(error.hint == "its columns are name, email, password, classname, admin")
    }

    @Test("tables without a primary key and views refuse edits with a way out", arguments: Engine.allCases)
    func readOnly(engine: Engine) throws {
        let db = try engine.soup()
        if engine == .postgres {
            let error = try #require(throws: EvaluationError.self) { try db.run("nopk.insert(i=1)") }
            #expect(error.message.contains("table 'nopk' has no primary key; pass pk=[...] to db.entity to edit it"))
        } else {
            // On SQLite the hidden rowid identifies rows, so a key-less table is writable.
            #expect(try db.repr("nopk.insert(i=1)") == "MappedNopk(i=1)")
            #expect(try db.repr("nopk.count()") == "1")
        }
        try db.run("n = db.entity('nopk', pk=['i'])")
        try db.run("n.insert(i=5)")
        #expect(try db.repr("n.get(5).i") == "5")
        try db.connection.execute("CREATE VIEW admins AS SELECT * FROM users WHERE admin = 1")
        #expect(try db.repr("admins.count()") == "1")
        #expect(throws: EvaluationError.self) { try db.run("admins.insert(name='x')") }
    }

    @Test("attribute assignment sends an UPDATE of the changed columns only", arguments: Engine.allCases)
    func dirtyTracking(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("u = users.get('Joe Student')")
        try db.run("u.email = 'joe@new'")
        let p = engine == .sqlite ? "?" : "$"
        let pending = try db.repr("db.pending()")
        #expect(pending.contains("UPDATE users SET email = \(p)") || pending.contains("UPDATE main.users SET email = \(p)") || pending.contains("UPDATE public.users SET email = \(p)"))
        #expect(!pending.contains("password"))
        // Re-querying flushes first, and keeps the edited object.
        #expect(try db.repr("users.filter_by(email='joe@new').one() is u") == "True")
        try db.run("db.rollback()")
        #expect(try db.repr("u.email") == "'student@example.ed'")
    }

    @Test("commit makes changes visible to a second connection; rollback drops pending rows", arguments: Engine.allCases)
    func commitAndRollback(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("users.insert(name='Cy', email='cy@x', password='p', admin=0)")
        try db.run("db.rollback()")
        #expect(try db.repr("users.count()") == "2")
        try db.run("users.insert(name='Cy', email='cy@x', password='p', admin=0)")
        try db.run("db.commit()")
        #expect(db.connection.transactionStatus == .idle)
        #expect(try db.repr("users.count()") == "3")
    }

    @Test("a flush orders inserts parents first and deletes children first, by foreign keys", arguments: Engine.allCases)
    func flushOrder(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.executeScript("""
            CREATE TABLE grandparent (id integer PRIMARY KEY);
            CREATE TABLE parent (id integer PRIMARY KEY, grandparent_id integer NOT NULL REFERENCES grandparent(id));
            CREATE TABLE child (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES parent(id));
            """)
        try db.run("""
            child.insert(id=1, parent_id=10)
            parent.insert(id=10, grandparent_id=100)
            grandparent.insert(id=100)
            db.flush()
            """)
        #expect(try db.repr("[child.count(), parent.count(), grandparent.count()]") == "[1, 1, 1]")
        // Load first: a query autoflushes, so deletes marked between queries would go out early.
        try db.run("""
            g = grandparent.get(100); p = parent.get(10); c = child.get(1)
            db.delete(g)
            db.delete(p)
            db.delete(c)
            db.commit()
            """)
        #expect(try db.repr("[child.count(), parent.count(), grandparent.count()]") == "[0, 0, 0]")
    }

    @Test("generated keys are read back after an INSERT", arguments: Engine.allCases)
    func generatedKeys(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("b = books.insert(title='New', published_year='2024', authors='Me')")
        try db.run("db.flush()")
        #expect(try db.repr("b.id") == "3")
        #expect(try db.repr("books.get(3) is b") == "True")
        try db.run("l = loans.insert(book_id=3, user_name='Joe Student'); db.flush()")
        #expect(try db.repr("l.loan_date != None") == "True")
    }

    @Test("SQLite rowid tables use the rowid as identity and are writable")
    func rowid() throws {
        let db = try Engine.sqlite.soup()
        try db.connection.execute("CREATE TABLE notes (body text)")
        try db.run("notes.insert(body='one'); notes.insert(body='two'); db.flush()")
        try db.run("n = notes.filter_by(body='one').one()")
        try db.run("n.body = 'uno'")
        #expect(try db.repr("notes.order_by(notes.body).all()") == "[MappedNotes(body='two'), MappedNotes(body='uno')]")
        #expect(try db.repr("notes.get(1) is n") == "True")
    }
}

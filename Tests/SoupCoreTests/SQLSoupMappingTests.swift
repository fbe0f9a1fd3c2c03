import SoupCore
import SoupDriver
import Testing

/// SQLSoup's tests of map_to, map, join, with_labels, relate and selectables (SQLSoup 0.9.1's own
/// test suite).
@Suite("SQLSoup's mapping and relation tests")
struct SQLSoupMappingTests {
    private func message(_ db: Soup, _ source: String) -> String {
        do {
            try db.run(source)
            return "no error"
        } catch let error as EvaluationError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("test_map_to_*: SQLSoup's checks and messages", arguments: Engine.allCases)
    func mapToChecks(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("db.users")
        #expect(message(db, "db.map_to('users', tablename='users')").contains("Attribute 'users' is already mapped to 'users'"))
        #expect(message(db, "db.map_to('users2', tablename=db.users)").contains("'tablename' argument must be a string."))
        #expect(message(db, "db.map_to('users2', tablename='users', selectable=db.users)").contains("mutually exclusive"))
        #expect(message(db, "db.map_to('users2', selectable=db.users, schema='hoho')").contains("'tablename' argument is required when using 'schema'."))
        #expect(message(db, "db.map_to('users2')").contains("'tablename' or 'selectable' argument is required."))
        #expect(message(db, "db.map_to('users2', selectable='users')").contains("'selectable' argument must be a table, select, join, or other selectable construct."))
        try db.run("db.map_to('people', tablename='users')")
        #expect(try db.repr("db.people.order_by(db.people.name).first().name") == "'Bhargan Basepair'")
        #expect(try db.repr("people.count()") == "2")
    }

    @Test("test_map_table: map() of a table", arguments: Engine.allCases)
    func mapTable(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("m = db.map(db.users)")
        #expect(try db.repr("m.order_by(m.name).all()") == "[\(bhargan), \(joe)]")
    }

    @Test("test_mapped_join: joins, joins of joins, with_labels", arguments: Engine.allCases)
    func mappedJoin(engine: Engine) throws {
        let db = try engine.soup()
        let loanDate = engine == .sqlite ? "'2006-07-12 0:0:0'" : "'2006-07-12 00:00:00'"
        try db.run("join1 = db.join(db.users, db.loans, isouter=True)")
        #expect(try db.repr("join1.filter_by(name='Joe Student').all()")
            == "[MappedJoin(name='Joe Student',email='student@example.ed',password='student',classname=None,admin=0,book_id=1,user_name='Joe Student',loan_date=\(loanDate))]")
        try db.run("join2 = db.join(join1, db.books)")
        #expect(try db.repr("join2.all()")
            == "[MappedJoin(name='Joe Student',email='student@example.ed',password='student',classname=None,admin=0,book_id=1,user_name='Joe Student',loan_date=\(loanDate),id=1,title='Mustards I Have Known',published_year='1989',authors='Jones')]")
        #expect(try db.repr("db.with_labels(join1).c.keys()")
            == "['users_name', 'users_email', 'users_password', 'users_classname', 'users_admin', 'loans_book_id', 'loans_user_name', 'loans_loan_date']")
        #expect(try db.repr("db.join(db.users, db.with_labels(db.loans), isouter=True).c.keys()")
            == "['name', 'email', 'password', 'classname', 'admin', 'loans_book_id', 'loans_user_name', 'loans_loan_date']")
        #expect(message(db, "join1.insert(name='x')").contains("only tables can be edited"))
    }

    @Test("joins of tables that share column names label them; labels never collide", arguments: Engine.allCases)
    func sharedColumnNames(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.executeScript("""
            CREATE TABLE a (id integer PRIMARY KEY, name text, b_id integer);
            CREATE TABLE b (id integer PRIMARY KEY, name text, a_id integer REFERENCES a(id));
            INSERT INTO a VALUES (1, 'first a', NULL);
            INSERT INTO b VALUES (10, 'first b', 1);
            """)
        try db.run("j = db.join(a, b)")
        #expect(try db.repr("j.c.keys()") == "['a_id', 'a_name', 'b_id', 'b_id_1', 'b_name', 'a_id_1']")
        #expect(try db.repr("j.all()") == "[MappedJoin(a_id=1,a_name='first a',b_id=None,b_id_1=10,b_name='first b',a_id_1=1)]")
    }

    @Test("test_relations: relate(), lazy lists, any(), order_by and cascade options", arguments: Engine.allCases)
    func relations(engine: Engine) throws {
        let db = try engine.soup()
        let loanDate = engine == .sqlite ? "'2006-07-12 0:0:0'" : "'2006-07-12 00:00:00'"
        try db.run("db.users.relate('loans', db.loans)")
        #expect(try db.repr("db.users.get('Joe Student').loans") == "[MappedLoans(book_id=1,user_name='Joe Student',loan_date=\(loanDate))]")
        #expect(try db.repr("db.users.filter(~db.users.loans.any()).all()") == "[\(bhargan)]")
        try db.run("db.refresh_schema()")
        try db.run("db.users.relate('loans', db.loans, order_by=db.loans.loan_date, cascade='all, delete-orphan')")
        try db.run("db.delete(db.users.get('Joe Student')); db.flush()")
        #expect(try db.repr("db.loans.count()") == "0")
    }

    @Test("test_relate_m2o: a many-to-one relation", arguments: Engine.allCases)
    func relateManyToOne(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("db.loans.relate('user', db.users)")
        #expect(try db.repr("db.loans.first().user == db.users.filter(db.users.c.name == 'Joe Student').one()") == "True")
        #expect(try db.repr("db.loans.first().user is db.users.get('Joe Student')") == "True")
    }

    @Test("relations derived from foreign keys, without relate()", arguments: Engine.allCases)
    func derivedRelations(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("loans.first().users.name") == "'Joe Student'")
        #expect(try db.repr("loans.first().books.title") == "'Mustards I Have Known'")
        #expect(try db.repr("len(users.get('Joe Student').loans)") == "1")
        #expect(try db.repr("users.get('Bhargan Basepair').loans") == "[]")
        try db.connection.executeScript("""
            CREATE TABLE pets (id integer PRIMARY KEY, owner_id varchar(32) REFERENCES users(name), sitter_id varchar(32) REFERENCES users(name));
            INSERT INTO pets VALUES (1, 'Joe Student', 'Bhargan Basepair');
            """)
        #expect(try db.repr("pets.get(1).users_by_owner_id.name") == "'Joe Student'")
        #expect(try db.repr("pets.get(1).users_by_sitter_id.name") == "'Bhargan Basepair'")
        try db.run("db.refresh_schema()")
        #expect(try db.repr("len(users.get('Joe Student').pets_by_owner_id)") == "1")
    }

    @Test("test_selectable and test_dont_persist_alias", arguments: Engine.allCases)
    func selectable(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("""
            s = select(db.books.published_year, func.count().label('n')).group_by(db.books.published_year).alias('years_with_count')
            years_with_count = db.map(s, pk=['published_year'])
            """)
        #expect(try db.repr("years_with_count.filter_by(published_year='1989').all()") == "[MappedYears_with_count(published_year='1989',n=1)]")
        #expect(message(db, "years_with_count.insert(published_year='2007', n=1)").contains("only tables can be edited"))
        try db.run("t = db.map(text('SELECT name, admin FROM users WHERE admin = 1'), pk=['name'])")
        #expect(try db.repr("t.all()[0].name") == "'Bhargan Basepair'")
    }

    @Test("test_connection and test_entity with a schema", arguments: Engine.allCases)
    func connectionAndSchema(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.execute('select name, email from users order by name')") == "[('Bhargan Basepair', 'basepair@example.ed'), ('Joe Student', 'student@example.ed')]")
        if engine == .postgres {
            try db.connection.executeScript("CREATE SCHEMA audit; CREATE TABLE audit.events (id integer PRIMARY KEY, what text); INSERT INTO audit.events VALUES (1, 'x');")
        } else {
            try db.connection.executeScript("ATTACH ':memory:' AS audit; CREATE TABLE audit.events (id integer PRIMARY KEY, what text); INSERT INTO audit.events VALUES (1, 'x');")
        }
        #expect(try db.repr("audit.events.get(1).what") == "'x'")
        #expect(try db.repr("db.entity('events', schema='audit').count()") == "1")
        try db.run("db.schema = 'audit'")
        #expect(try db.repr("db.events.count()") == "1")
    }
}

/// The two SQLSoup tests about Python-only machinery, translated to what soup has.
@Suite("SQLSoup's session and selectable tests, translated")
struct SQLSoupTranslatedTests {
    @Test("test_map_to_no_pk_selectable: a key-less selectable maps read-only instead of failing", arguments: Engine.allCases)
    func noKeySelectable(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("v = db.map_to('names', selectable=select(db.users.name))")
        #expect(try db.repr("db.names.count()") == "2")
        let error = try #require(throws: EvaluationError.self) { try db.run("db.names.insert(name='x')") }
        #expect(error.message.contains("only tables can be edited"))
    }

    @Test("test_explicit_session: a new row is pending in db's one session until flushed", arguments: Engine.allCases)
    func session(engine: Engine) throws {
        let db = try engine.soup()
        try db.run("u = db.users.insert(name='new name', email='new email', password='p', admin=0)")
        #expect(try db.repr("db.pending()").contains("INSERT INTO"))
        #expect(try db.repr("db.users.get('new name') is u") == "True")
        // Flushed by the query, not committed: still what commit() would make permanent.
        #expect(try db.repr("db.pending()").contains("INSERT INTO"))
        try db.run("db.commit()")
        #expect(try db.repr("db.pending()") == "None")
    }
}

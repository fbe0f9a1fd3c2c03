import SoupCore
import SoupDriver
import Testing

/// SQLSoup's read-side tests (SQLSoup 0.9.1's own test suite), written as soup statements.
@Suite("SQLSoup's read-side tests")
struct SQLSoupReadTests {
    @Test("test_load: all() returns every user", arguments: Engine.allCases)
    func load(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.users.order_by(db.users.admin).all()") == "[\(joe), \(bhargan)]")
        #expect(try db.repr("len(users.all())") == "2")
    }

    @Test("test_order_by", arguments: Engine.allCases)
    func orderBy(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.users.order_by(db.users.name).all()") == "[\(bhargan), \(joe)]")
    }

    @Test("test_whereclause: or_ and desc", arguments: Engine.allCases)
    func whereClause(engine: Engine) throws {
        let db = try engine.soup()
        let source = """
            db.users.filter(or_(db.users.name == 'Bhargan Basepair', db.users.email == 'student@example.ed')).order_by(desc(db.users.name)).all()
            """
        #expect(try db.repr(source) == "[\(joe), \(bhargan)]")
        try db.run("where = or_(db.users.name == 'Bhargan Basepair', db.users.email == 'student@example.ed')")
        #expect(try db.repr("db.users.filter(where).order_by(db.users.name.desc()).all()") == "[\(joe), \(bhargan)]")
    }

    @Test("test_first: one(), get() and filter_by().one()", arguments: Engine.allCases)
    func first(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.users.filter(db.users.name == 'Bhargan Basepair').one()") == bhargan)
        #expect(try db.repr("db.users.get('Bhargan Basepair')") == bhargan)
        #expect(try db.repr("db.users.filter_by(name='Bhargan Basepair').one()") == bhargan)
        #expect(try db.repr("users.filter(users.name == 'nobody').first()") == "None")
        #expect(throws: EvaluationError.self) { try db.run("users.one()") }
        #expect(throws: EvaluationError.self) { try db.run("users.filter_by(name='nobody').one()") }
        #expect(try db.repr("users.filter_by(name='nobody').one_or_none()") == "None")
    }

    @Test("test_filter_by_order_by: filter_by(x=None) is IS NULL", arguments: Engine.allCases)
    func filterByNone(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.users.filter_by(classname=None).order_by(db.users.name).all()") == "[\(bhargan), \(joe)]")
    }

    @Test("test_entity: db.entity('loans') is db.loans", arguments: Engine.allCases)
    func entity(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.entity('loans') == db.loans") == "True")
        #expect(try db.repr("db.entity('loans') is loans") == "True")
    }

    @Test("test_bad_names: a column named query", arguments: Engine.allCases)
    func badNames(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.bad_names.c.query") .contains("query"))
        #expect(try db.repr("db.bad_names.c.keys()") == "['id', 'query']")
        #expect(try db.repr("bad_names.filter(bad_names.query == 'x').count()") == "0")
    }

    @Test("test_nosuchtable: an error with a suggestion", arguments: Engine.allCases)
    func noSuchTable(engine: Engine) throws {
        let db = try engine.soup()
        let error = try #require(throws: EvaluationError.self) { try db.run("db.nosuchtable") }
        #expect(error.message == "no table 'nosuchtable'")
        let typo = try #require(throws: EvaluationError.self) { try db.run("usres.all()") }
        #expect(typo.message == "no table or variable 'usres'; did you mean 'users'?")
    }

    @Test("test_no_pk_reflected: key-less tables are read-only, not refused", arguments: Engine.allCases)
    func noPrimaryKey(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.execute("INSERT INTO nopk VALUES (7)")
        #expect(try db.repr("db.nopk.all()") .contains("i=7"))
        #expect(try db.repr("nopk.count()") == "1")
    }

    @Test("get() of a loaded row answers from the identity map", arguments: Engine.allCases)
    func identityMap(engine: Engine) throws {
        let db = try engine.soup()
        let counting = try Engine.countingSoup(db)
        try counting.soup.run("a = users.get('Joe Student')")
        let sent = counting.connection.statements.count
        #expect(try counting.soup.repr("users.get('Joe Student') is a") == "True")
        #expect(counting.connection.statements.count == sent + 0)
        #expect(try counting.soup.repr("users.filter_by(name='Joe Student').first() is a") == "True")
    }

    @Test("chained queries: count, exists, scalar, slices and indexes", arguments: Engine.allCases)
    func terminals(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("users.count()") == "2")
        #expect(try db.repr("users.filter(users.admin == 1).exists()") == "True")
        #expect(try db.repr("users.filter(users.admin == 7).exists()") == "False")
        #expect(try db.repr("users.with_entities(users.email).order_by(users.email).scalar()") == "'basepair@example.ed'")
        #expect(try db.repr("users.order_by(users.name)[1]") == joe)
        #expect(try db.repr("users.order_by(users.name)[0:1]") == "[\(bhargan)]")
        #expect(try db.repr("users.order_by(users.name).offset(1).all()") == "[\(joe)]")
        #expect(try db.repr("users.order_by(users.name).slice(1, 2).all()") == "[\(joe)]")
        #expect(try db.repr("users.order_by('-name').limit(1).all()") == "[\(joe)]")
        #expect(try db.repr("users.with_entities(func.count()).scalar()") == "2")
        #expect(try db.repr("books.with_entities(books.published_year).distinct().count()") == "2")
    }

    @Test("joins infer the ON clause from foreign keys", arguments: Engine.allCases)
    func joins(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("users.join(loans).all()") == "[\(joe)]")
        #expect(try db.repr("users.outerjoin(loans).filter(loans.book_id == None).all()") == "[\(bhargan)]")
        #expect(try db.repr("loans.join(books).with_entities(books.title).all()") == "[('Mustards I Have Known',)]")
        #expect(try db.repr("books.join(users, books.authors == users.name).count()") == "0")
    }

    @Test("group_by and having", arguments: Engine.allCases)
    func grouping(engine: Engine) throws {
        let db = try engine.soup()
        let source = "users.with_entities(users.admin, func.count().label('n')).group_by(users.admin).having(func.count() > 0).order_by(users.admin).all()"
        #expect(try db.repr(source) == "[(0, 1), (1, 1)]")
    }

    @Test("lookup helpers: get_by_lower, find_similar, get_range, as_dict", arguments: Engine.allCases)
    func lookupHelpers(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("users.get_by_lower('name', 'JOE STUDENT')") == joe)
        #expect(try db.repr("users.get_by_lower(users.email, 'nobody@x')") == "None")
        #expect(try db.repr("users.get_by_lower('email', 'BASEPAIR@example.ed', many=True)") == "[\(bhargan)]")
        #expect(try db.repr("users.find_similar('name', 'jo')") == "[\(joe)]")
        #expect(try db.repr("users.find_similar('name', 'student', prefix_only=False)") == "[\(joe)]")
        #expect(try db.repr("users.get_range(offset=1, limit=1, order_by='name')") == "[\(joe)]")
        #expect(try db.repr("users.get_range(order_by=users.name, descending=True, limit=1)") == "[\(joe)]")
        #expect(try db.repr("users.get_range(filters=[users.admin == 1])") == "[\(bhargan)]")
        try db.connection.execute("INSERT INTO users (name, email, password, admin) VALUES ('50%_off', 'x', 'y', 0)")
        #expect(try db.repr("len(users.find_similar('name', '5'))") == "1")
        #expect(try db.repr("users.find_similar('name', '50%')") .contains("50%_off"))
        #expect(try db.repr("users.find_similar('name', '5_%')") == "[]")
        #expect(try db.repr("users.get('Joe Student').as_dict()['email']") == "'student@example.ed'")
    }

    @Test("column operators and methods", arguments: Engine.allCases)
    func columnMethods(engine: Engine) throws {
        let db = try engine.soup()
        let cases: [(String, String)] = [
            ("users.filter(users.name.like('J%')).count()", "1"),
            ("users.filter(users.name.notlike('J%')).count()", "1"),
            ("users.filter(users.name.ilike('j%')).count()", "1"),
            ("users.filter(users.name.in_(['Joe Student', 'x'])).count()", "1"),
            ("users.filter(users.name.notin_(['Joe Student'])).count()", "1"),
            ("users.filter(users.classname.is_(None)).count()", "2"),
            ("users.filter(users.classname.isnot(None)).count()", "0"),
            ("users.filter(users.admin.between(0, 1)).count()", "2"),
            ("users.filter(users.email.startswith('stud')).count()", "1"),
            ("users.filter(users.email.endswith('.ed')).count()", "2"),
            ("users.filter(users.email.contains('@')).count()", "2"),
            ("users.filter(users.email.contains('%')).count()", "0"),
            ("users.filter((users.admin == 1) | (users.name == 'Joe Student')).count()", "2"),
            ("users.filter((users.admin == 1) & (users.name == 'Joe Student')).count()", "0"),
            ("users.filter(~(users.admin == 1)).count()", "1"),
            ("users.filter(not_(users.admin == 1)).count()", "1"),
            ("users.filter(users.admin + 1 > 1).count()", "1"),
            ("users.filter(users.admin != 1).count()", "1"),
            ("users.filter(users.name != None).count()", "2"),
            ("users.filter(and_(users.admin == 0, users.name == 'Joe Student')).count()", "1"),
            ("users.filter(func.lower(users.name) == 'joe student').count()", "1"),
            ("users.with_entities(func.max(users.admin)).scalar()", "1"),
            ("books.with_entities(books.published_year.cast('integer') + 1).order_by(books.id).scalar()", "1990"),
            ("users.filter(text(\"admin = 1\")).count()", "1"),
            ("users.filter(users.admin == literal(1)).count()", "1"),
            ("users.with_entities(users.admin.label('a')).filter(users.admin == 1).all()[0].a", "1"),
            ("users.with_entities(func.count(users.admin.distinct())).scalar()", "2"),
        ]
        for (source, expected) in cases {
            #expect(try db.repr(source) == expected, "\(source)")
        }
    }

    @Test("db.execute binds named parameters", arguments: Engine.allCases)
    func execute(engine: Engine) throws {
        let db = try engine.soup()
        #expect(try db.repr("db.execute('select name, email from users order by name')") == "[('Bhargan Basepair', 'basepair@example.ed'), ('Joe Student', 'student@example.ed')]")
        #expect(try db.repr("db.execute('select name from users where admin = :a', a=1)") == "[('Bhargan Basepair',)]")
        #expect(try db.repr("db.execute('select name from users where name = :n', params={'n': \"Joe Student\"})") == "[('Joe Student',)]")
        #expect(throws: EvaluationError.self) { try db.run("db.execute('select :missing')") }
    }
}

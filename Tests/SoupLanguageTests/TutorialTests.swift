import SoupLanguage
import Testing

/// Lines a SQLSoup user types (SQLSoup's tutorial and soup-language(7)), read as the trees the
/// evaluator needs.
@Suite struct TutorialTests {
    @Test func filterWithOrAndOrderBy() throws {
        let source =
            "db.users.filter(or_(db.users.name=='Bhargan Basepair', db.users.email=='student@example.edu')).order_by(db.users.name).all()"
        #expect(
            tree(try expression(source)) == "db.users.filter(or_((db.users.name == 'Bhargan Basepair'), "
                + "(db.users.email == 'student@example.edu'))).order_by(db.users.name).all()")
    }

    @Test func insertWithKeywordArguments() throws {
        let call = try expression("db.loans.insert(book_id=1, user_name='Bhargan Basepair')")
        guard case .call(let function, let arguments) = call.kind else {
            Issue.record("not a call")
            return
        }
        #expect(tree(function) == "db.loans.insert")
        let labels = arguments.map(label(of:))
        #expect(labels.map { $0?.name } == ["book_id", "user_name"])
        #expect(labels.map { $0?.range.offsets } == [16..<23, 27..<36])
        #expect(arguments.map { tree($0.value) } == ["1", "'Bhargan Basepair'"])
    }

    func label(of argument: Argument) -> Identifier? {
        if case .keyword(let label) = argument.kind { return label }
        return nil
    }

    @Test func whereVariableThenFilter() throws {
        let statements = try Parser.parse(
            "where = and_(db.users.name == 'Bhargan Basepair', db.users.email == 'x'); db.users.filter(where).all()"
        )
        #expect(
            statements.map(\.description) == [
                "where = and_(db.users.name == 'Bhargan Basepair', db.users.email == 'x')",
                "db.users.filter(where).all()",
            ])
        guard case .assignment(let target, _) = statements[0].kind else {
            Issue.record("no assignment")
            return
        }
        #expect(target.kind == .name("where"))
    }

    @Test(
        arguments: [
            ("db.with_labels(join1).c.keys()", "db.with_labels(join1).c.keys()"),
            ("users.c.name.like('A%')", "users.c.name.like('A%')"),
            ("q[1:3]", "q[1:3:_]"),
            (
                "db.users.filter(db.users.name=='Bhargan Basepair').one()",
                "db.users.filter((db.users.name == 'Bhargan Basepair')).one()"
            ),
            ("db.users.get('Bhargan Basepair')", "db.users.get('Bhargan Basepair')"),
            (
                "db.users.filter_by(name='Bhargan Basepair').one()",
                "db.users.filter_by(name='Bhargan Basepair').one()"
            ),
            (
                "db.loans.filter(db.loans.book_id==2).update({'book_id':1})",
                "db.loans.filter((db.loans.book_id == 2)).update({'book_id': 1})"
            ),
            ("join1 = db.join(db.users, db.loans, isouter=True)", nil),
            (
                "db.join(db.users, db.loans, db.users.name==db.loans.user_name, isouter=True)",
                "db.join(db.users, db.loans, (db.users.name == db.loans.user_name), isouter=True)"
            ),
            (
                "db.users.relate('loans', db.loans, order_by=db.loans.loan_date, cascade='all, delete-orphan')",
                "db.users.relate('loans', db.loans, order_by=db.loans.loan_date, cascade='all, delete-orphan')"
            ),
            (
                "db.users.filter(~db.users.loans.any()).all()",
                "db.users.filter((~db.users.loans.any())).all()"
            ),
            (
                "db.users.filter(where).order_by(desc(db.users.name)).all()",
                "db.users.filter(where).order_by(desc(db.users.name)).all()"
            ),
            (
                "db.execute('select name, email from users where name like :name order by name', params={'name': '%Bhargan%'})",
                "db.execute('select name, email from users where name like :name order by name', params={'name': '%Bhargan%'})"
            ),
            (
                "select(books.published_year, func.count().label('n')).group_by(books.published_year).alias('y')",
                "select(books.published_year, func.count().label('n')).group_by(books.published_year).alias('y')"
            ),
            ("db.entity('Odd Name', schema='s')", "db.entity('Odd Name', schema='s')"),
            ("db.users.filter(db.users.name == None)", "db.users.filter((db.users.name == None))"),
            (
                "users.filter((users.admin == 1) | users.name.in_(['a', 'b']))",
                "users.filter(((users.admin == 1) | users.name.in_(['a', 'b'])))"
            ),
            (
                "users.filter(users.name.between('A', 'M') & ~users.email.endswith('.edu'))",
                "users.filter((users.name.between('A', 'M') & (~users.email.endswith('.edu'))))"
            ),
            (
                "db.users.get_by_lower(db.users.name, 'joe student', many=False)",
                "db.users.get_by_lower(db.users.name, 'joe student', many=False)"
            ),
            ("func.lower(users.name).label('n')", "func.lower(users.name).label('n')"),
            ("db.tables()", "db.tables()"),
            ("help(db.users); print(repr(row)); len(db.users.all())", nil),
        ] as [(String, String?)])
    func tutorialLine(source: String, expected: String?) throws {
        let statements = try Parser.parse(source)
        if let expected {
            guard case .expression(let expression) = try #require(statements.first).kind else {
                Issue.record("not an expression: \(source)")
                return
            }
            #expect(tree(expression) == expected)
        }
        // Printing gives the same text back, apart from spacing.
        let printed = statements.map(\.description).joined(separator: "; ")
        #expect(printed.filter { !$0.isWhitespace } == source.filter { !$0.isWhitespace })
    }

    @Test func attributeAssignmentAndCommit() throws {
        let statements = try Parser.parse(
            """
            user = db.users.get('Bhargan Basepair')
            user.email = 'basepair+nospam@example.edu'
            db.commit()
            commit
            """)
        #expect(statements.count == 4)
        guard case .assignment(let target, let value) = statements[1].kind,
            case .attribute(let base, let name) = target.kind
        else {
            Issue.record("no attribute assignment")
            return
        }
        #expect(
            tree(base) == "user" && name.name == "email" && tree(value) == "'basepair+nospam@example.edu'")
        #expect(statements[3].kind == .commit)
    }

    @Test func aScriptMixingSoupSQLAndMetaCommands() throws {
        let script = """
            # load the fixture
            \\timing
            CREATE TABLE notes (id integer primary key, body text);
            INSERT INTO notes (body) VALUES ('a; b'), ('it''s');
            notes = db.notes
            n = notes.insert(body='from soup')
            db.flush()
            SELECT count(*)
              FROM notes;
            notes.filter(notes.body.contains('b')).count()
            .mode csv
            rollback
            """
        let kinds = try Parser.parse(script).map { statement -> String in
            switch statement.kind {
            case .expression: "expression"
            case .assignment: "assignment"
            case .sql: "sql"
            case .meta: "meta"
            case .commit: "commit"
            case .rollback: "rollback"
            }
        }
        #expect(
            kinds == [
                "meta", "sql", "sql", "assignment", "assignment", "expression", "sql", "expression", "meta",
                "rollback",
            ])
        let statements = try Parser.parse(script)
        #expect(statements[6].range.start.description == "8:1")
        #expect(statements[6].range.end.description == "9:13")
    }
}

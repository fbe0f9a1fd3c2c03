import SoupLanguage
import Testing

/// Raw SQL, meta commands and statement boundaries: what is decided by the raw text at the start
/// of a statement.
@Suite struct StatementStartTests {
    func kinds(_ source: String, sqlTermination: SQLTermination = .semicolonOrEndOfInput) throws -> [Statement
        .Kind]
    {
        try Parser.parse(source, sqlTermination: sqlTermination).map { $0.stripped().kind }
    }

    @Test(arguments: [
        "SELECT 1", "select * from users", "WITH x AS (SELECT 1) SELECT * FROM x",
        "INSERT INTO t VALUES (1)", "UPDATE t SET a = 1", "DELETE FROM t", "CREATE TABLE t (a int)",
        "DROP TABLE t", "ALTER TABLE t ADD b int", "EXPLAIN SELECT 1", "PRAGMA table_info(t)", "BEGIN",
        "BEGIN TRANSACTION", "COMMIT WORK", "ROLLBACK TO SAVEPOINT s", "SAVEPOINT s", "RELEASE s",
        "VALUES (1, 2)", "SHOW search_path", "SET search_path = x", "ANALYZE", "VACUUM",
        "GRANT ALL ON t TO u",
        "REVOKE ALL ON t FROM u", "TRUNCATE t", "COPY t TO STDOUT", "MERGE INTO t USING s ON true",
        "REPLACE INTO t VALUES (1)", "ATTACH 'x.db' AS x", "DETACH x", "REINDEX", "CALL p()",
        "DO $$ BEGIN END $$", "COMMENT ON TABLE t IS 'x'", "LOCK TABLE t", "REFRESH MATERIALIZED VIEW v",
        "TABLE users", "SeLeCt 1", "select\n  a,\n  b\nfrom t", "select\t1", "delete (x)", "select (1)",
        "values == 3", "table  .c", "START TRANSACTION READ WRITE", "RESET ALL", "DISCARD ALL", "CHECKPOINT",
        "LISTEN ch", "NOTIFY ch, 'x'", "UNLISTEN *", "PREPARE q AS SELECT 1", "DEALLOCATE q",
        "DECLARE c CURSOR FOR SELECT 1", "FETCH 10 FROM c", "CLOSE c", "MOVE NEXT IN c", "CLUSTER t",
        "LOAD 'auto_explain'",
    ])
    func rawSQL(source: String) throws {
        #expect(try kinds(source) == [.sql(source)])
        #expect(try kinds(source + ";") == [.sql(source)])
        #expect(try kinds(source + "  ;  \n") == [.sql(source)])
    }

    @Test(arguments: [
        "delete(x)", "select(users.name)", "update = 3", "values = [1]", "set = {1: 2}", "table.c.keys()",
        "values[0]", "selectx", "select_", "do_it()", "db.delete(row)", "users.update({users.name: 'x'})",
        "show_tables()", "Table.x", "commit()", "rollback()", "start = 1", "reset()", "close(x)",
        "fetch.x",
    ])
    func soupThatStartsLikeSQL(source: String) throws {
        let kinds = try kinds(source)
        #expect(kinds.count == 1)
        if case .sql = kinds.first { Issue.record("read as SQL: \(source)") }
    }

    @Test func sqlEndsAtTheSemicolonOutsideQuotesAndComments() throws {
        let source = """
            SELECT 'a;b', "c;d", E'e\\';f', $$g;h$$, $tag$i;$$;j$tag$, [k;l], `m;n` -- o;p
            /* q; /* nested; */ r; */ FROM t; x = 1
            """
        let statements = try Parser.parse(source)
        #expect(statements.count == 2)
        guard case .sql(let text) = statements[0].kind else {
            Issue.record("no SQL")
            return
        }
        #expect(text.hasSuffix("FROM t") && text.hasPrefix("SELECT 'a;b'"))
        #expect(statements[0].range.offsets == 0..<(source.utf8.count - 7))
        #expect(statements[1].range.start.description == "2:35")
        #expect(
            try kinds("SELECT $1, a$b$c FROM t; x") == [
                .sql("SELECT $1, a$b$c FROM t"), .expression(expression("x").stripped()),
            ])
    }

    @Test func triggerBodiesKeepTheirSemicolons() throws {
        let trigger = """
            CREATE TRIGGER t AFTER INSERT ON a BEGIN
              UPDATE b SET n = CASE WHEN n > 0 THEN n + 1 ELSE 1 END;
              DELETE FROM c;
            END
            """
        #expect(try kinds(trigger + ";\nx") == [.sql(trigger), .expression(expression("x").stripped())])
    }

    @Test func sqlMixedWithSoupAcrossLines() throws {
        let source = """
            users = db.users
            SELECT name
              FROM users
             WHERE admin = 1;  users.filter(users.name == 'Joe').all()
            -- a SQL comment line
            /* soup:bind=reader */ SELECT count(*) FROM loans; db.commit()
            x = 1; UPDATE users SET admin = 0
            """
        let statements = try Parser.parse(source)
        #expect(
            statements.map(\.description) == [
                "users = db.users",
                "SELECT name\n  FROM users\n WHERE admin = 1;",
                "users.filter(users.name == 'Joe').all()",
                "/* soup:bind=reader */ SELECT count(*) FROM loans;",
                "db.commit()",
                "x = 1",
                "UPDATE users SET admin = 0;",
            ])
        #expect(statements[3].range.start.description == "6:1")
    }

    @Test func theREPLWaitsForTheSemicolon() throws {
        #expect(!Parser.isComplete("SELECT 1"))
        #expect(!Parser.isComplete("x = 1; SELECT *\nFROM t"))
        #expect(Parser.isComplete("SELECT 1;"))
        #expect(Parser.isComplete("SELECT 1; x"))
        #expect(Parser.isComplete("SELECT 1", sqlTermination: .semicolonOrEndOfInput))
        #expect(parseError("SELECT 1", sqlTermination: .semicolon)?.needsMoreInput == true)
        #expect(try kinds("SELECT 1;", sqlTermination: .semicolon) == [.sql("SELECT 1")])
        // An open quote, dollar quote or comment needs more input in both modes.
        for source in ["SELECT 'abc", "SELECT $$abc", "SELECT /* abc", "SELECT \"abc", "/* abc"] {
            #expect(!Parser.isComplete(source, sqlTermination: .semicolonOrEndOfInput), "\(source)")
        }
        expectError(
            "SELECT 1️⃣'abc;\nx = 1", "unterminated string in SQL starting at 1:8", needsMoreInput: true)
        expectError(
            "x = 1; SELECT 1️⃣$f$ abc $$", "unterminated dollar-quoted string in SQL starting at 1:15",
            needsMoreInput: true)
        expectError("1️⃣/* abc", "unterminated comment starting at 1:1", needsMoreInput: true)
    }

    @Test func metaCommands() throws {
        let source = """
            \\d users
              \\dt+   big*  
            .schema users
            .tables
            \\?
            \\x
            x = .5
            .5
            """
        #expect(
            try kinds(source) == [
                .meta(MetaCommand(style: .backslash, name: "d", argument: "users")),
                .meta(MetaCommand(style: .backslash, name: "dt+", argument: "big*")),
                .meta(MetaCommand(style: .dot, name: "schema", argument: "users")),
                .meta(MetaCommand(style: .dot, name: "tables", argument: "")),
                .meta(MetaCommand(style: .backslash, name: "?", argument: "")),
                .meta(MetaCommand(style: .backslash, name: "x", argument: "")),
                .assignment(
                    AssignmentTarget(.name("x"), range: .zero), Expression(.float(0.5), range: .zero)),
                .expression(Expression(.float(0.5), range: .zero)),
            ])
        #expect(
            try Parser.parse("\\i 'my file.soup'; x")[0].kind
                == .meta(MetaCommand(style: .backslash, name: "i", argument: "'my file.soup'; x")))
        #expect(try Parser.parse("  \\d users  ")[0].range.offsets == 2..<10)
    }

    @Test func metaCommandsOnlyStartLines() throws {
        expectError("x = 1; 1️⃣.tables", "unexpected '.'")
        expectError("x = 1; 1️⃣\\d", "unexpected '\\'")
        expectError("f(\n1️⃣.x)", "expected an expression after '('")
        #expect(try Parser.parse("db.users \\\n.all()").map(\.description) == ["db.users.all()"])
    }

    @Test func aMetaCommandLineEndsRawSQL() throws {
        #expect(
            try kinds("SELECT 1\n\\q", sqlTermination: .semicolon) == [
                .sql("SELECT 1"), .meta(MetaCommand(style: .backslash, name: "q", argument: "")),
            ])
        #expect(Parser.isComplete("SELECT 1\n\\g"))
        #expect(try kinds("SELECT 'a\n\\q'") == [.sql("SELECT 'a\n\\q'")])
        #expect(try kinds("SELECT a\n.b") == [.sql("SELECT a\n.b")])
    }

    @Test func sqlCommentsAtStatementStart() throws {
        #expect(try kinds("-- heading\n/* block */\nx") == [.expression(expression("x").stripped())])
        #expect(try kinds("/* a */ /* b */ SELECT 1") == [.sql("/* a */ /* b */ SELECT 1")])
        #expect(try kinds("/* a */\nSELECT 1") == [.sql("SELECT 1")])
        #expect(try kinds("x = - -1").count == 1)
    }

    @Test func continuation() {
        #expect(!Parser.isComplete("db.users.filter("))
        #expect(!Parser.isComplete("x = [1,\n 2"))
        #expect(!Parser.isComplete("x = {'a':"))
        #expect(!Parser.isComplete("x = '''abc"))
        #expect(!Parser.isComplete("x = 1 + \\"))
        #expect(!Parser.isComplete("f(a,\n  b=\\\n"))
        #expect(Parser.isComplete(""))
        #expect(Parser.isComplete("# only a comment"))
        #expect(Parser.isComplete("db.users.all()"))
        #expect(Parser.isComplete("x = 1 +"))  // an error, not more input
        #expect(Parser.isComplete("f(x y"))  // the error is already certain
        #expect(Parser.isComplete("f(x]"))
        #expect(Parser.isComplete("x = 'abc"))
        #expect(Parser.isComplete("commit"))
        #expect(Parser.isComplete("\\d"))
    }
}

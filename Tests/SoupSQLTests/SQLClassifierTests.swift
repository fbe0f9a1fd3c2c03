import SoupDriver
import SoupSQL
import Testing

@Suite("SQL classifier")
struct SQLClassifierTests {
    typealias Kind = SQLClassification.Kind

    /// The statement table of docs/routing-rules.md (section 3), statement by statement (the
    /// classes that need no database).
    static let table: [(String, Kind)] = [
        ("SELECT count(*) FROM items", .read),
        ("VALUES (1), (2)", .read),
        ("TABLE items", .read),
        ("WITH x AS (SELECT * FROM items) SELECT count(*) FROM x", .read),
        ("SHOW statement_timeout", .read),
        ("EXPLAIN INSERT INTO items(name) VALUES ('e')", .read),
        ("EXPLAIN ANALYZE SELECT * FROM items", .read),
        ("EXPLAIN ANALYZE INSERT INTO items(name) VALUES ('e')", .write),
        ("EXPLAIN (ANALYZE, BUFFERS) DELETE FROM items", .write),
        ("COPY items TO STDOUT", .read),
        ("COPY (SELECT * FROM items) TO STDOUT", .read),
        ("COPY items(name) FROM STDIN", .write),
        ("INSERT INTO items(name) VALUES ('x')", .write),
        ("UPDATE items SET name = 'y'", .write),
        ("DELETE FROM items", .write),
        ("MERGE INTO items t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET name = 'z'", .write),
        ("TRUNCATE items", .write),
        ("WITH n AS (INSERT INTO items(name) VALUES ('w') RETURNING id) SELECT * FROM n", .write),
        ("SELECT * FROM items FOR UPDATE", .write),
        ("SELECT * FROM items WHERE false FOR SHARE", .write),
        ("SELECT * FROM items FOR NO KEY UPDATE", .write),
        ("SELECT * INTO new_items FROM items", .write),
        ("SELECT nextval('audit_seq')", .write),
        ("SELECT setval('audit_seq', 5)", .write),
        ("SELECT txid_current()", .write),
        ("SELECT pg_current_xact_id()", .write),
        ("CREATE TABLE t2(id int)", .write),
        ("CREATE TEMP TABLE tmp1(id int)", .write),
        ("GRANT SELECT ON items TO PUBLIC", .write),
        ("COMMENT ON TABLE items IS 'x'", .write),
        ("VACUUM items", .write),
        ("ANALYZE items", .write),
        ("CLUSTER items USING items_pkey", .write),
        ("REINDEX TABLE items", .write),
        ("REFRESH MATERIALIZED VIEW item_mv", .write),
        ("LOCK items IN EXCLUSIVE MODE", .write),
        ("LOCK items IN ROW EXCLUSIVE MODE", .write),
        ("LOCK items", .write),
        ("LOCK items IN ACCESS SHARE MODE", .transactionControl),
        ("LISTEN soup_events", .write),
        ("NOTIFY soup_events", .write),
        ("SELECT pg_notify('soup_events', 'x')", .write),
        ("SET transaction_read_only = off", .write),
        ("BEGIN READ WRITE", .begin),
        ("BEGIN ISOLATION LEVEL SERIALIZABLE", .begin),
        ("SELECT pg_current_wal_lsn()", .write),
        ("DO $$ BEGIN INSERT INTO items(name) VALUES ('do'); END $$", .write),
        ("CALL add_item_proc()", .write),
        ("EXECUTE pi", .write),
        ("PREPARE pi AS INSERT INTO items(name) VALUES ('p')", .session),
        ("SELECT pg_advisory_lock(5)", .write),
        ("SELECT set_config('work_mem', '8MB', false)", .read),
        ("CHECKPOINT", .write),
        ("SET statement_timeout = '5s'", .session),
        ("SET LOCAL statement_timeout = '5s'", .transactionControl),
        ("RESET statement_timeout", .session),
        ("SAVEPOINT a", .transactionControl),
        ("RELEASE a", .transactionControl),
        ("ROLLBACK TO SAVEPOINT a", .transactionControl),
        ("COMMIT", .end),
        ("ROLLBACK", .end),
        ("SELECT now(), random(), clock_timestamp()", .read),
        ("PRAGMA table_info(t)", .read),
        ("PRAGMA foreign_keys = ON", .session),
        ("PRAGMA user_version = 3", .write),
        ("frobnicate the database", .write),
        ("", .session),
    ]

    @Test("every statement class of the routing rules has the class the table gives")
    func statementTable() {
        for (sql, kind) in Self.table {
            #expect(SQLClassifier.classify(sql).kind == kind, "\(sql)")
        }
    }

    @Test("words in strings, quoted names and comments are not keywords")
    func quoting() {
        #expect(SQLClassifier.classify("SELECT 'insert into x' AS a -- delete\n FROM t").kind == .read)
        #expect(SQLClassifier.classify("SELECT \"update\" FROM t /* for update */").kind == .read)
        #expect(SQLClassifier.classify("SELECT $q$ nextval('s') $q$").kind == .read)
        #expect(SQLClassifier.classify("SELECT E'it\\'s; delete' ").kind == .read)
        #expect(SQLClassifier.classify("SELECT 1; DELETE FROM t").kind == .write)
    }

    @Test("EXPLAIN of a write reads, but is planned on the writer; of a read, anywhere")
    func explainedWrites() {
        #expect(SQLClassifier.classify("EXPLAIN UPDATE items SET name = 'y'").plansWrite)
        #expect(SQLClassifier.classify("EXPLAIN (FORMAT JSON) DELETE FROM items").plansWrite)
        #expect(SQLClassifier.classify("EXPLAIN QUERY PLAN INSERT INTO items(name) VALUES ('q')").plansWrite)
        #expect(!SQLClassifier.classify("EXPLAIN QUERY PLAN SELECT * FROM items").plansWrite)
        #expect(!SQLClassifier.classify("EXPLAIN (COSTS OFF) SELECT * FROM items").plansWrite)
    }

    @Test("BEGIN READ ONLY may go to a reader; SERIALIZABLE may not")
    func begins() {
        #expect(SQLClassifier.classify("BEGIN READ ONLY").beginsReadOnly)
        #expect(SQLClassifier.classify("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").beginsReadOnly)
        #expect(!SQLClassifier.classify("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY").beginsReadOnly)
        #expect(!SQLClassifier.classify("BEGIN").beginsReadOnly)
    }

    @Test(
        "the statements that make a session read-write are escapes from read-only mode",
        arguments: [
            "SET default_transaction_read_only = off", "SET SESSION default_transaction_read_only TO false",
            "SET transaction_read_only = off", "SET LOCAL transaction_read_only = 0",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "SET TRANSACTION READ WRITE", "BEGIN READ WRITE",
            "START TRANSACTION READ WRITE", "RESET ALL", "RESET default_transaction_read_only", "DISCARD ALL",
            "SELECT set_config('default_transaction_read_only', 'off', false)", "SELECT set_config($1, 'off', false)",
            "PRAGMA query_only = 0", "PRAGMA query_only = false",
        ])
    func escapes(sql: String) {
        #expect(SQLClassifier.classify(sql).isRefusedWhenReadOnly, "\(sql)")
    }

    @Test("a cheap look at the first word finds every session statement")
    func mayBeSessionStatement() {
        for sql in ["SET x = 1", "  set\tx = 1", "Reset all", "DISCARD ALL", "\nSET LOCAL x = 1"] {
            #expect(SQLClassifier.mayBeSessionStatement(sql), "\(sql)")
        }
        for sql in ["SELECT 1", "SETTLE", "settings", "UPDATE t SET x = 1", "", "S", "set_x", "  "] {
            #expect(!SQLClassifier.mayBeSessionStatement(sql), "\(sql)")
        }
        // A comment first hides the word: only classifying can tell, so the cheap look says maybe.
        for sql in ["/* app */ SET work_mem = '8MB'", "-- note\nRESET ALL"] {
            #expect(SQLClassifier.mayBeSessionStatement(sql), "\(sql)")
            #expect(SQLClassifier.classify(sql).kind == .session, "\(sql)")
        }
    }

    @Test("an UPDATE or DELETE without WHERE names its table; the first word turns the rest away untokenized")
    func unfilteredWrites() {
        #expect(SQLShape.unfilteredWriteTable(in: "UPDATE tracks SET ms = 0") == "tracks")
        #expect(SQLShape.unfilteredWriteTable(in: "  delete from only public.tracks") == "public.tracks")
        #expect(SQLShape.unfilteredWriteTable(in: "/* bulk */ DELETE FROM \"Play List\"") == "Play List")
        #expect(SQLShape.unfilteredWriteTable(in: "UPDATE tracks SET ms = 0 WHERE id = (SELECT 1)") == nil)
        #expect(SQLShape.unfilteredWriteTable(in: "UPDATE_LOG") == nil)
        #expect(SQLShape.unfilteredWriteTable(in: "SELECT * FROM tracks") == nil)
        #expect(SQLShape.unfilteredWriteTable(in: "Update_Tracks()") == nil)
    }

    @Test("words are lowercased whatever their script; strings and quoted names keep their case")
    func tokenText() {
        let ascii = SQLClassifier.classify("SeLeCt Name FROM Items WHERE note = 'MiXeD'")
        #expect(ascii.kind == .read && ascii.reason == "SELECT")
        // Non-ASCII words take the slow path and are lowercased too (a function named in
        // Greek is still looked up by its lowercase name).
        #expect(SQLClassifier.classify("SELECT ΑΒΓ(1)").functions == ["αβγ"])
        #expect(SQLClassifier.classify("SELECT Upper_Case(1)").functions == ["upper_case"])
    }

    @Test("a statement classified again, by the next layer it passes, gets the same answer")
    func repeatedClassification() {
        let statements = (0..<10).map { "SELECT f\($0)(x) FROM t WHERE id = \($0)" } + ["INSERT INTO t VALUES (1)", "SET x = 1"]
        let first = statements.map(SQLClassifier.classify)
        for _ in 0..<3 {
            for (sql, expected) in zip(statements, first) { #expect(SQLClassifier.classify(sql) == expected, "\(sql)") }
            for (sql, expected) in zip(statements, first).reversed() { #expect(SQLClassifier.classify(sql) == expected, "\(sql)") }
        }
        #expect(first[10].kind == .write && first[11].kind == .session && first[3].functions == ["f3"])
    }

    @Test("harmless settings are not escapes")
    func notEscapes() {
        for sql in ["SET default_transaction_read_only = on", "SET work_mem = '8MB'", "PRAGMA query_only = 1", "SHOW ALL"] {
            #expect(!SQLClassifier.classify(sql).isRefusedWhenReadOnly, "\(sql)")
        }
    }

    @Test("a soup:bind hint in a comment names the binding")
    func hint() {
        #expect(SQLClassifier.classify("/* soup:bind=writer */ SELECT 1").hintedBinding == "writer")
        #expect(SQLClassifier.classify("SELECT 1 -- soup:bind=reader").hintedBinding == "reader")
        #expect(SQLClassifier.classify("SELECT 'soup:bind=reader'").hintedBinding == nil)
    }

    @Test("functions of a read that are not known are listed for the volatility check")
    func functions() {
        #expect(SQLClassifier.classify("SELECT add_item('x'), count(*) FROM items").functions == ["add_item"])
        #expect(SQLClassifier.classify("SELECT x FROM t WHERE y IN (1, 2)").functions.isEmpty)
    }

    @Test("statements that manage transactions or are refused inside one cannot be wrapped in one")
    func cannotRunInTransaction() {
        let outside = [
            "BEGIN", "begin transaction", "START TRANSACTION", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT a",
            "RELEASE a", "ROLLBACK TO SAVEPOINT a", "VACUUM", "vacuum t", "CREATE DATABASE x", "DROP DATABASE x",
            "ALTER SYSTEM SET work_mem = '8MB'", "CREATE INDEX CONCURRENTLY i ON t (a)", "REINDEX DATABASE x",
            "CREATE TABLESPACE s LOCATION '/x'", "/* a comment */ VACUUM", "SELECT 1; COMMIT",
            "DROP INDEX CONCURRENTLY i", "REINDEX INDEX CONCURRENTLY i", "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)",
        ]
        for sql in outside {
            #expect(SQLClassifier.classify(sql).cannotRunInTransaction, "\(sql)")
        }
        let inside = [
            "SELECT 1", "CREATE TABLE database (id int)", "CREATE INDEX i ON t (a)", "INSERT INTO t VALUES ('commit')",
            "CREATE TABLE \"concurrently\" (id int)", "DROP TABLE t", "LOCK t", "SET TRANSACTION READ ONLY", "",
        ]
        for sql in inside {
            #expect(!SQLClassifier.classify(sql).cannotRunInTransaction, "\(sql)")
        }
    }

    @Test("COMMIT and END commit; ROLLBACK and COMMIT PREPARED do not count")
    func commits() {
        for sql in ["COMMIT", "commit work", "END", "END TRANSACTION"] {
            #expect(SQLClassifier.classify(sql).commits, "\(sql)")
        }
        for sql in ["ROLLBACK", "COMMIT PREPARED 'x'", "SELECT 'commit'", "ABORT", "BEGIN"] {
            #expect(!SQLClassifier.classify(sql).commits, "\(sql)")
        }
    }

    @Test("a comment saying soup:read-only does not make BEGIN read-only: that is a typed flag now")
    func noCommentProtocol() {
        #expect(!SQLClassifier.classify("BEGIN /* soup:read-only */").beginsReadOnly)
        #expect(SQLClassification(.begin(readOnly: true)).beginsReadOnly)
        #expect(!SQLClassification(.begin(readOnly: false)).beginsReadOnly)
    }

    @Test("a typed transaction step has the class its SQL has")
    func typedSteps() {
        let steps: [TransactionControl] = [
            .begin(readOnly: false), .begin(readOnly: true), .commit, .rollback, .savepoint("s"), .releaseSavepoint("s"),
            .rollbackToSavepoint("s"),
        ]
        for dialect in [Dialect.postgres, .sqlite] {
            for step in steps {
                let typed = SQLClassification(step)
                let read = SQLClassifier.classify(dialect.sql(for: step))
                #expect(typed.kind == read.kind, "\(step)")
                #expect(typed.commits == read.commits, "\(step)")
                #expect(typed.cannotRunInTransaction == read.cannotRunInTransaction, "\(step)")
                #expect(typed.escapesReadOnly == read.escapesReadOnly, "\(step)")
            }
        }
    }

    @Test("SecretMask hides parameters bound to secret-looking columns")
    func secretMask() {
        #expect(SecretMask.parameters(of: "UPDATE u SET password = $1 WHERE id = $2", [.text("x"), .integer(1)]) == ["***", "1"])
        #expect(SecretMask.parameters(of: "INSERT INTO u (name, api_key) VALUES (?, ?)", [.text("a"), .text("k")]) == ["'a'", "***"])
    }

    @Test("SecretMask hides password literals in SQL text, where the tokenizer finds them")
    func secretMaskText() {
        let cases: [(String, String)] = [
            ("ALTER ROLE x PASSWORD 'p'", "ALTER ROLE x PASSWORD '***'"),
            (
                "alter user x with encrypted password 'it''s' valid until '2030-01-01'",
                "alter user x with encrypted password '***' valid until '2030-01-01'"
            ),
            ("CREATE USER \"Odd\" PASSWORD E'a\\'b'; SELECT 'password'", "CREATE USER \"Odd\" PASSWORD '***'; SELECT 'password'"),
            ("CREATE ROLE r WITH LOGIN PASSWORD $pw$ x 'y' $pw$ CREATEDB", "CREATE ROLE r WITH LOGIN PASSWORD '***' CREATEDB"),
            ("UPDATE u SET api_token = 'é-t', name = 'n'", "UPDATE u SET api_token = '***', name = 'n'"),
            (
                "INSERT INTO u (name, password) VALUES ('a', 'b'), ('c', 'd')",
                "INSERT INTO u (name, password) VALUES ('a', '***'), ('c', '***')"
            ),
            // Not passwords: a quoted name, a string that says "password", no literal at all.
            ("SELECT \"password\" FROM u WHERE note = 'password ''x'''", "SELECT \"password\" FROM u WHERE note = 'password ''x'''"),
            ("ALTER ROLE x PASSWORD NULL", "ALTER ROLE x PASSWORD NULL"),
        ]
        for (sql, masked) in cases {
            #expect(SecretMask.text(sql) == masked, "\(sql)")
        }
    }
}

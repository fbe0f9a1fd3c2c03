import Foundation
import SoupDriver
import SoupTestSupport
import Testing

/// The shapes of real schemas (``RealSchema``) through the built binary, on both engines:
/// self-references, two keys to one table, bare session calls, arrays and JSON.
@Suite("real schemas, end to end")
struct RealSchemaCommandTests {
    enum Engine: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
        var dialect: Dialect.Engine { self == .sqlite ? .sqlite : .postgres }
    }

    /// A fresh database holding the schema; the directory holds a SQLite file.
    private func database(_ engine: Engine) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        return (directory, try RealSchema.makeDatabase(engine.dialect, in: directory))
    }

    private func query(_ db: String, _ arguments: [String]) throws -> ProcessResult {
        try SoupBinary.run(["query", db] + arguments)
    }

    @Test("self-references: the manager, the reports in key order, a self-join, any()", arguments: Engine.allCases)
    func selfReference(engine: Engine) throws {
        let (directory, db) = try database(engine)
        defer { directory.remove() }
        let read = try query(db, [
            "-f", "csv", "employees.get(3).employees.last_name",
            "employees.get(2).employees_collection",
            "employees.join(employees.employees).with_entities(employees.last_name, employees.employees.last_name.label('boss')).order_by(employees.employee_id).all()",
            "employees.filter(employees.employees_collection.any()).count()",
            "person.get(6).person_by_father_id.name",
        ])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == """
            Edwards
            employee_id,last_name,first_name,title,reports_to
            3,Peacock,Jane,Sales Support Agent,2
            4,Park,Margaret,Sales Support Agent,2
            last_name,boss
            Edwards,Adams
            Peacock,Edwards
            Park,Edwards
            Mitchell,Adams
            2
            Cain

            """)
    }

    @Test("one flush inserts a new manager before the new report; rows that point at each other are refused", arguments: Engine.allCases)
    func flushOrder(engine: Engine) throws {
        let (directory, db) = try database(engine)
        defer { directory.remove() }
        let written = try query(db, [
            "--echo", "report = employees.insert(employee_id=11, last_name='Report', first_name='R', reports_to=10)",
            "boss = employees.insert(employee_id=10, last_name='Boss', first_name='B', reports_to=1)",
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let inserts = written.stderr.split(separator: "\n").filter { $0.hasPrefix("INSERT INTO") }
        #expect(inserts.count == 2 && inserts[0].contains("= 10,") && inserts[1].contains("= 11,"), "\(inserts)")
        let check = try query(db, ["employees.get(11).employees.last_name"])
        #expect(check.stdout == "Boss\n", "\(check.stderr)")

        let loop = try query(db, [
            "person.insert(person_id=20, name='A', mother_id=21)", "person.insert(person_id=21, name='B', mother_id=20)",
        ])
        #expect(loop.status == 1)
        #expect(loop.stderr.contains("cannot insert these 'person' rows in any order, they reference each other"), "\(loop.stderr)")
        #expect(loop.stderr.contains("hint: insert one of them with 'father_id' or 'mother_id' None, flush(), then set it"))
        #expect(try query(db, ["person.count()"]).stdout == "6\n")
    }

    @Test("errors offer relations and methods; help(entity) and printing an entity list relations", arguments: Engine.allCases)
    func relationsInErrorsAndHelp(engine: Engine) throws {
        let (directory, db) = try database(engine)
        defer { directory.remove() }
        let error = try query(db, ["film.get(1).language"])
        #expect(error.status == 1)
        #expect(error.stderr.contains(
            "arg1:1:1: 'film' has no column or relation 'language'; did you mean 'language_by_language_id', "
                + "'language_by_original_language_id' or 'language_id'?"), "\(error.stderr)")
        #expect(error.stderr.contains(
            "hint: its columns are film_id, title, language_id, original_language_id, special_features, details; "
                + "its relations are language_by_language_id, language_by_original_language_id"))
        let method = try query(db, ["film.fitler(film.film_id == 1)"])
        #expect(method.stderr.contains("did you mean 'filter'"), "\(method.stderr)")
        for statement in ["help(film)", "film"] {
            let help = try query(db, [statement])
            #expect(help.status == 0, "\(help.stderr)")
            // PostgreSQL's film also has the payments (many) that reference it.
            let expected = engine == .sqlite
                ? """
                    Relations:
                        language_by_language_id           language  one  language_id = language.language_id
                        language_by_original_language_id  language  one  original_language_id = language.language_id
                    """
                : """
                    Relations:
                        language_by_language_id           language  one   language_id = language.language_id
                        language_by_original_language_id  language  one   original_language_id = language.language_id
                        payment                           payment   many  film_id = payment.film_id
                    """
            #expect(help.stdout.contains(expected), "\(help.stdout)")
        }
    }

    @Test("commit(), delete(row), pending() and the rest are db's; a variable of that name wins", arguments: Engine.allCases)
    func bareSessionCalls(engine: Engine) throws {
        let (directory, db) = try database(engine)
        defer { directory.remove() }
        let run = try SoupBinary.run([
            "query", db, "--tx", "none", "l = language.insert(language_id=4, name='French')", "pending()", "commit()",
            "delete(language.get(4))", "flush()", "rollback()", "language.count()",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("INSERT INTO") == true, "\(run.stdout)")
        #expect(lines.last == "4")
        let shadowed = try query(db, ["flush = 41", "flush + 1", "expunge_all()"])
        #expect(shadowed.stdout == "42\n", "\(shadowed.stderr)")
    }

    @Test("arrays on PostgreSQL: filters bind every value and print like any query")
    func arrays() throws {
        let (directory, db) = try database(.postgres)
        defer { directory.remove() }
        let run = try query(db, [
            "--echo", "-f", "csv",
            "film.filter(film.special_features.contains(['Trailers'])).with_entities(film.title).all()",
            "film.filter(film.special_features.overlap(['Trailers', 'Commentaries'])).count()",
            "film.filter(film.special_features.any('Behind the Scenes')).with_entities(film.title, film.special_features[1], func.array_length(film.special_features, 1)).all()",
            "film.special_features.contained_by(['Trailers'])",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == """
            title
            ACE GOLDFINGER
            2
            title,special_features,array_length
            ACADEMY DINOSAUR,Deleted Scenes,2
            film.special_features <@ $1  -- '{Trailers}'

            """)
        #expect(run.stderr.contains("WHERE film.special_features @> $1;  -- $1 = '{Trailers}'"), "\(run.stderr)")
        #expect(run.stderr.contains("WHERE $3 = ANY(film.special_features);  -- $1 = 1, $2 = 1, $3 = 'Behind the Scenes'"))
    }

    @Test("JSON: keys and indexes, astext and as_*(), on both engines, every key bound", arguments: Engine.allCases)
    func json(engine: Engine) throws {
        let (directory, db) = try database(engine)
        defer { directory.remove() }
        let run = try query(db, [
            "--echo", "-f", "csv",
            "film.filter(film.details['info']['year'].as_integer() > 2000).with_entities(film.title, film.details['cast'][0].astext.label('star')).all()",
            "film.filter(film.details['rating'].astext == 'G').count()",
            "film.details['rating'].astext == 'G'",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let printed = engine == .postgres
            ? "film.details ->> $1 = $2  -- 'rating', 'G'" : "film.details ->> ? = ?  -- '$.\"rating\"', 'G'"
        #expect(run.stdout == "title,star\nACADEMY DINOSAUR,Penelope\n1\n\(printed)\n")
        if engine == .postgres {
            #expect(run.stderr.contains("film.details -> $1 ->> $2 AS star FROM public.film WHERE CAST(film.details -> $3 ->> $4 AS integer) > $5;  -- $1 = 'cast', $2 = 0, $3 = 'info', $4 = 'year', $5 = 2000"), "\(run.stderr)")
        } else {
            #expect(run.stderr.contains("film.details ->> ? AS star FROM main.film WHERE CAST(film.details ->> ? AS INTEGER) > ?;  -- ?1 = '$.\"cast\"[0]', ?2 = '$.\"info\".\"year\"', ?3 = 2000"), "\(run.stderr)")
        }
    }

    @Test("soup schema describes a partitioned table, a materialized view and an FTS5 table", arguments: Engine.allCases)
    func schemaOfEveryKind(engine: Engine) throws {
        let (directory, db) = try database(engine)
        defer { directory.remove() }
        let result = try SoupBinary.run(["schema", db])
        #expect(result.status == 0, "\(result.stderr)")
        let titles = engine == .postgres
            ? ["Partitioned table \"public.payment\"", "Materialized view \"public.film_count\"", "Table \"public.employees\""]
            : ["Virtual table \"main.film_text\"", "Table \"main.employees\""]
        for title in titles { #expect(result.stdout.contains(title), "\(result.stdout)") }
    }

    @Test("a SQLite view over a dropped table: soup schema describes the rest and shows the view with its error")
    func viewOverDroppedTable() throws {
        let (directory, db) = try database(.sqlite)
        defer { directory.remove() }
        let setup = try ProcessRunner.run(
            executable: "/usr/bin/sqlite3", arguments: [db],
            stdin: Array("CREATE TABLE gone (x int); CREATE VIEW ghost AS SELECT x FROM gone; DROP TABLE gone;".utf8))
        #expect(setup.status == 0, "\(setup.stderr)")
        let text = try SoupBinary.run(["schema", db])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("View \"main.ghost\"\nError: cannot be read: no such table: main.gone\n"), "\(text.stdout)")
        for title in ["Table \"main.employees\"", "Table \"main.person\"", "Virtual table \"main.film_text\""] {
            #expect(text.stdout.contains(title))
        }
        let alone = try SoupBinary.run(["schema", db, "ghost"])
        #expect(alone.status == 0 && alone.stdout == "View \"main.ghost\"\nError: cannot be read: no such table: main.gone\n")
        let json = try SoupBinary.run(["schema", db, "-f", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let tables = try #require(document["tables"] as? [[String: Any]])
        #expect(tables.first { $0["name"] as? String == "ghost" }?["error"] as? String == "no such table: main.gone")
        #expect(tables.first { $0["name"] as? String == "film" }?["error"] is NSNull)
        #expect(tables.count == 6)
        for format in ["dot", "mermaid"] {
            #expect(try SoupBinary.run(["schema", db, "-f", format]).status == 0)
        }
        // The REPL's help() still builds its examples, and the view says why it cannot be used.
        let help = try query(db, ["help()", "ghost.all()"])
        #expect(help.stdout.contains("employees.get(1)"), "\(help.stdout)")
        #expect(help.stderr.contains("no such table: main.gone"), "\(help.stderr)")
    }
}

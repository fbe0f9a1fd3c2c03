import Foundation
import SoupCore
import SoupDriver
import Testing

/// The SQL that soup expressions compile to, checked against golden files per dialect.
/// `SOUP_UPDATE_GOLDEN=1` rewrites the goldens.
@Suite("Compiled SQL")
struct CompiledSQLTests {
    static let expressions = [
        "users.name == 'x'",
        "users.name != 'x'",
        "users.name == None",
        "users.name != None",
        "users.admin < 1",
        "users.admin <= 1",
        "users.admin > 1",
        "users.admin >= 1",
        "users.admin + 1",
        "users.admin - 1",
        "users.admin * 2",
        "users.admin / 2",
        "users.admin % 2",
        "-users.admin",
        "(users.admin + 1) * 2",
        "users.admin + 1 * 2",
        "(users.admin == 1) & (users.name == 'x')",
        "(users.admin == 1) | (users.name == 'x')",
        "~(users.admin == 1)",
        "users.admin == 1 and users.name == 'x'",
        "users.admin == 1 or users.name == 'x' and users.email == 'y'",
        "or_(users.admin == 1, and_(users.name == 'x', users.email == 'y'))",
        "and_()",
        "not_(or_(users.admin == 1, users.admin == 2))",
        "users.name.like('A%')",
        "users.name.notlike('A%')",
        "users.name.ilike('a%')",
        "users.name.like('a/%', escape='/')",
        "users.name.in_(['a', 'b', 'c'])",
        "users.name.notin_(['a'])",
        "users.name.in_([])",
        "users.name.in_(users.with_entities(users.name).filter(users.admin == 1))",
        "users.classname.is_(None)",
        "users.classname.isnot(None)",
        "users.admin.between(0, 5)",
        "users.email.startswith('a%b_')",
        "users.email.endswith('.ed')",
        "users.email.contains('50%')",
        "users.name.asc()",
        "users.name.desc()",
        "desc(users.name)",
        "users.name.label('n')",
        "users.admin.cast('varchar(10)')",
        "func.count()",
        "func.count(users.name.distinct())",
        "func.lower(users.name) == func.lower('X')",
        "func.coalesce(users.classname, 'none')",
        "text('admin = 1')",
        "literal(5)",
        "users.name == '; DROP TABLE users; --'",
        "users.filter(users.admin == 1).order_by(users.name)",
        "users.filter_by(name='x', admin=None)",
        "users.order_by(users.name).limit(10).offset(20)",
        "users.offset(5)",
        "users.distinct().with_entities(users.admin)",
        "users.with_entities(users.admin, func.count().label('n')).group_by(users.admin).having(func.count() > 1)",
        "users.join(loans)",
        "users.outerjoin(loans).filter(loans.book_id == None)",
        "loans.join(books).join(users)",
        "books.join(users, books.authors == users.name)",
        "users.order_by(users.name)[10:20]",
        "bad_names.filter(bad_names.query == 'select')",
        "select(books.published_year, func.count().label('n')).group_by(books.published_year)",
    ]

    @Test("every expression compiles as the golden file says", arguments: Engine.allCases)
    func golden(engine: Engine) throws {
        let db = try engine.soup()
        var text = ""
        for expression in Self.expressions {
            let compiled = try db.repr(expression)
            text += expression + "\n    " + compiled + "\n"
        }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/compiled.\(engine.rawValue).txt").path
        if ProcessInfo.processInfo.environment["SOUP_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == golden)
        #expect(Self.expressions.count >= 50)
    }

    @Test("values are bound, never spliced; odd identifiers are quoted", arguments: Engine.allCases)
    func injection(engine: Engine) throws {
        let db = try engine.soup()
        let hostile = ["'; DROP TABLE users; --", "\" OR 1=1 --", "\\", "x' || (SELECT 1) || '", "$1", "?", ":name"]
        for value in hostile {
            let literal = "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
            #expect(try db.repr("users.filter(users.name == \(literal)).count()") == "0")
            #expect(try db.repr("users.filter_by(email=\(literal)).all()") == "[]")
            #expect(try db.repr("users.find_similar('name', \(literal))") == "[]")
        }
        #expect(try db.repr("users.count()") == "2")
        try db.connection.executeScript(#"""
            CREATE TABLE "odd ""name""" ("it's" int PRIMARY KEY, "Mixed Case" text);
            INSERT INTO "odd ""name""" VALUES (1, 'one');
            """#)
        try db.run("odd = db.entity('odd \"name\"')")
        #expect(try db.repr("odd.get(1).as_dict()") == "{'it\\'s': 1, 'Mixed Case': 'one'}")
        #expect(try db.repr("odd.filter_by(**{'Mixed Case': 'one'}).count()") == "1")
    }
}

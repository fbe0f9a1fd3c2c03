import SoupCore
import SoupDriver
import Testing

/// PostgreSQL arrays and JSON (json/jsonb, SQLite's JSON text) under SQLAlchemy's names.
@Suite("Arrays and JSON")
struct ContainerTests {
    /// The titles a filter selects, in key order.
    private func titles(_ db: Soup, _ criterion: String) throws -> String {
        try db.repr("film.filter(\(criterion)).order_by(film.film_id).with_entities(film.title).all()")
    }

    @Test("array operators: contains, contained_by, overlap, any, all, [i], array_length")
    func arrays() throws {
        let db = try Engine.postgres.realSoup()
        let features = "film.special_features"
        #expect(try titles(db, "\(features).contains(['Deleted Scenes'])") == "[('ACADEMY DINOSAUR',), ('ACE GOLDFINGER',)]")
        #expect(try titles(db, "\(features).contains(['Deleted Scenes', 'Trailers'])") == "[('ACE GOLDFINGER',)]")
        // One value is a one-element array; a string on an array column is no LIKE.
        #expect(try titles(db, "\(features).contains('Trailers')") == "[('ACE GOLDFINGER',)]")
        #expect(try titles(db, "\(features).contained_by(['Commentaries', 'Trailers'])") == "[('AFRICAN EGG',)]")
        #expect(try titles(db, "\(features).overlap(['Trailers', 'Commentaries'])") == "[('ACE GOLDFINGER',), ('AFRICAN EGG',)]")
        #expect(try titles(db, "\(features).any('Behind the Scenes')") == "[('ACADEMY DINOSAUR',)]")
        #expect(try titles(db, "\(features).all('Commentaries')") == "[('AFRICAN EGG',)]")
        #expect(try titles(db, "\(features)[1] == 'Trailers'") == "[('ACE GOLDFINGER',)]")
        #expect(try db.repr("film.order_by(film.film_id).with_entities(\(features)[2]).all()")
            == "[('Behind the Scenes',), ('Deleted Scenes',), (None,)]")
        #expect(try db.repr("film.with_entities(func.array_length(\(features), 1)).order_by(film.film_id).all()")
            == "[(2,), (2,), (1,)]")
        // Every value, key and index is a bound parameter.
        #expect(try db.repr("\(features).contains(['a', 'b'])") == "film.special_features @> $1  -- '{a,b}'")
        #expect(try db.repr("\(features).overlap(['x'])") == "film.special_features && $1  -- '{x}'")
        #expect(try db.repr("\(features).contained_by(['x'])") == "film.special_features <@ $1  -- '{x}'")
        #expect(try db.repr("\(features).any('x')") == "$1 = ANY(film.special_features)  -- 'x'")
        #expect(try db.repr("\(features).all('x')") == "$1 = ALL(film.special_features)  -- 'x'")
        #expect(try db.repr("\(features)[1]") == "film.special_features[$1]  -- 1")
        let string = try #require(throws: EvaluationError.self) { try db.run("\(features)['a']") }
        #expect(string.message == "an array is indexed by an integer (1 is the first element)")
        let text = try #require(throws: EvaluationError.self) { try db.run("film.title[1]") }
        #expect(text.message.contains("cannot be indexed; [ ] reads arrays and json/jsonb values"))
    }

    @Test("JSON: ['key'], chained, [0], astext, as_integer/as_float/as_boolean/as_string", arguments: Engine.allCases)
    func json(engine: Engine) throws {
        let db = try engine.realSoup()
        let details = "film.details"
        #expect(try titles(db, "\(details)['rating'].astext == 'G'") == "[('ACE GOLDFINGER',)]")
        #expect(try titles(db, "\(details)['info']['year'].as_integer() > 2000") == "[('ACADEMY DINOSAUR',)]")
        #expect(try titles(db, "\(details)['cast'][0].astext == 'Bob'") == "[('ACE GOLDFINGER',)]")
        #expect(try titles(db, "\(details)['score'].as_float() < 4") == "[('ACE GOLDFINGER',)]")
        #expect(try titles(db, "\(details)['info']['color'].as_boolean() == True") == "[('ACADEMY DINOSAUR',)]")
        #expect(try titles(db, "\(details)['rating'].as_string().in_(['PG', 'R'])") == "[('ACADEMY DINOSAUR',)]")
        #expect(try titles(db, "\(details)['length'].as_integer().between(40, 50)") == "[('ACE GOLDFINGER',)]")
        #expect(try db.repr("film.order_by(film.film_id).with_entities(\(details)['info']['year'].as_integer()).all()")
            == "[(2006,), (1999,), (None,)]")
        #expect(try db.repr("film.order_by(film.film_id).with_entities(\(details)['cast'][-1].astext).all()")
            == "[('Christian',), ('Bob',), (None,)]")
        // An element that is itself JSON stays JSON.
        let element = try db.repr("film.filter(film.film_id == 1).with_entities(\(details)['info']).scalar()")
        #expect(element.contains("2006") && element.contains("\"color\""), "\(element)")
        // Keys and indexes are bound: PostgreSQL chains ->, SQLite reads one JSON path.
        let compiled = try db.repr("\(details)['info']['year'].as_integer()")
        let lookup = try db.repr("\(details)['a.b'][0].astext")
        switch engine {
        case .postgres:
            #expect(compiled == "CAST(film.details -> $1 ->> $2 AS integer)  -- 'info', 'year'")
            #expect(lookup == "film.details -> $1 ->> $2  -- 'a.b', 0")
        case .sqlite:
            #expect(compiled == "CAST(film.details ->> ? AS INTEGER)  -- '$.\"info\".\"year\"'")
            #expect(lookup == "film.details ->> ?  -- '$.\"a.b\"[0]'")
        }
        let astext = try #require(throws: EvaluationError.self) { try db.run("film.title.astext") }
        #expect(astext.message == "astext reads an element of a JSON column, such as col['key'].astext")
        let after = try #require(throws: EvaluationError.self) { try db.run("\(details)['a'].astext['b']") }
        #expect(after.message.contains("astext is the last step of a JSON path"))
    }

    @Test("array operators on SQLite say it has no arrays")
    func noArraysOnSQLite() throws {
        let db = try Engine.sqlite.realSoup()
        let error = try #require(throws: EvaluationError.self) { try db.run("film.special_features.contains(['x'])") }
        #expect(error.message == "contains() works on PostgreSQL arrays; SQLite has none")
        // A string is still the substring test.
        #expect(try titles(db, "film.special_features.contains('Trailers')") == "[('ACE GOLDFINGER',)]")
        // SQLite keeps JSON in text: [ ] reads it whatever the declared type.
        #expect(try titles(db, "film.special_features[0].astext == 'Commentaries'") == "[('AFRICAN EGG',)]")
    }
}

import SoupDriver
import SoupPostgres
import SoupSQLite

/// A small database shaped like the public sample schemas users point soup at first (a music
/// store's `employees`, a film-rental database's `film` and `language`, a genealogy's `person`):
/// the shapes that broke soup on them.
///
/// - `employees.reports_to` references `employees` (one key to itself);
/// - `person.mother_id` and `person.father_id` both reference `person` (two keys to itself);
/// - `film.language_id` and `film.original_language_id` both reference `language`;
/// - `film.special_features` is `text[]` on PostgreSQL (JSON text on SQLite) and
///   `film.details` is `jsonb` (`json` text on SQLite);
/// - PostgreSQL adds a partitioned `payment` table with one partition and a materialized view
///   `film_count`; SQLite adds an FTS5 table `film_text`.
public enum RealSchema {
    /// The schema and rows, spelled for `engine`.
    public static func sql(for engine: Dialect.Engine) -> String {
        let postgres = engine == .postgres
        let key = postgres ? "serial PRIMARY KEY" : "integer PRIMARY KEY"
        let features = postgres ? "text[]" : "text"
        let details = postgres ? "jsonb" : "json"
        func array(_ items: [String]) -> String {
            postgres
                ? "ARRAY[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]::text[]"
                : "'[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]'"
        }
        var sql = """
            CREATE TABLE employees (
                employee_id \(key), last_name text NOT NULL, first_name text NOT NULL, title text,
                reports_to integer REFERENCES employees (employee_id));
            INSERT INTO employees (employee_id, last_name, first_name, title, reports_to) VALUES
                (1, 'Adams', 'Andrew', 'General Manager', NULL),
                (2, 'Edwards', 'Nancy', 'Sales Manager', 1),
                (3, 'Peacock', 'Jane', 'Sales Support Agent', 2),
                (4, 'Park', 'Margaret', 'Sales Support Agent', 2),
                (5, 'Mitchell', 'Michael', 'IT Manager', 1);
            CREATE TABLE person (
                person_id integer PRIMARY KEY, name text NOT NULL,
                mother_id integer REFERENCES person (person_id), father_id integer REFERENCES person (person_id));
            INSERT INTO person VALUES (1, 'Eve', NULL, NULL), (2, 'Adam', NULL, NULL), (3, 'Cain', 1, 2),
                (4, 'Abel', 1, 2), (5, 'Seth', 1, 2), (6, 'Enoch', NULL, 3);
            CREATE TABLE language (language_id \(key), name text NOT NULL);
            INSERT INTO language (language_id, name) VALUES (1, 'English'), (2, 'Italian'), (3, 'Japanese');
            CREATE TABLE film (
                film_id \(key), title text NOT NULL,
                language_id integer NOT NULL REFERENCES language (language_id),
                original_language_id integer REFERENCES language (language_id),
                special_features \(features), details \(details));
            INSERT INTO film (film_id, title, language_id, original_language_id, special_features, details) VALUES
                (1, 'ACADEMY DINOSAUR', 1, NULL, \(array(["Deleted Scenes", "Behind the Scenes"])),
                    '{"rating": "PG", "length": 86, "score": 4.5, "cast": ["Penelope", "Christian"], "info": {"year": 2006, "color": true}}'),
                (2, 'ACE GOLDFINGER', 1, 2, \(array(["Trailers", "Deleted Scenes"])),
                    '{"rating": "G", "length": 48, "score": 3.25, "cast": ["Bob"], "info": {"year": 1999, "color": false}}'),
                (3, 'AFRICAN EGG', 3, 2, \(array(["Commentaries"])), NULL);

            """
        if postgres {
            sql += """
                SELECT setval('employees_employee_id_seq', 5);
                SELECT setval('language_language_id_seq', 3);
                SELECT setval('film_film_id_seq', 3);
                CREATE TABLE payment (
                    payment_id integer NOT NULL, film_id integer REFERENCES film (film_id),
                    amount numeric(5,2) NOT NULL, paid_on date NOT NULL,
                    PRIMARY KEY (payment_id, paid_on)) PARTITION BY RANGE (paid_on);
                CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                INSERT INTO payment VALUES (1, 1, 2.99, '2024-03-01'), (2, 2, 4.99, '2024-03-02');
                CREATE MATERIALIZED VIEW film_count AS
                    SELECT language_id, count(*) AS films FROM film GROUP BY language_id;

                """
        } else {
            sql += """
                CREATE VIRTUAL TABLE film_text USING fts5 (title, description);
                INSERT INTO film_text VALUES ('ACADEMY DINOSAUR', 'An epic drama of a feminist and a mad scientist');

                """
        }
        return sql
    }

    /// A new database holding the schema: a SQLite file in `directory`, or a new database on
    /// the test server; returns the DB argument soup takes.
    public static func makeDatabase(_ engine: Dialect.Engine, in directory: TemporaryDirectory) throws -> String {
        switch engine {
        case .sqlite:
            let path = directory.file(named: "real.db")
            let connection = try SQLiteConnection(location: .file(path: path), mode: .readWriteCreate)
            defer { connection.close() }
            try connection.executeScript(sql(for: .sqlite))
            return path
        case .postgres:
            let url = try PostgresServer.shared().makeDatabase()
            let connection = try PostgresConnection(conninfo: url)
            defer { connection.close() }
            try connection.executeScript(sql(for: .postgres))
            return url
        }
    }
}

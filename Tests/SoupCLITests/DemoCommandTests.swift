import Foundation
import SoupTestSupport
import Testing

@Suite("soup demo, and soup query beside the sqlite3 CLI", .serialized)
struct DemoCommandTests {
    /// One demo database for the suite, made by `soup demo` itself, deleted when the test
    /// process exits.
    static let demo: Result<(TemporaryDirectory, String), any Error> = Result {
        let directory = try TemporaryDirectory()
        directory.removeAtExit()
        let path = directory.file(named: "demo.db")
        let result = try SoupBinary.run(["demo", "--path", path])
        guard result.status == 0 else { throw TestSupportError("soup demo failed: \(result.stderr)") }
        return (directory, path)
    }

    private var path: String {
        get throws { try Self.demo.get().1 }
    }

    @Test("soup demo creates the database once, in the XDG data directory by default")
    func createsInDataHome() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let environment = ["HOME": home.path, "XDG_DATA_HOME": home.path + "/data"]
        let first = try SoupBinary.run(["demo"], environment: environment)
        #expect(first.status == 0)
        #expect(first.stderr.contains("created the demo database at \(home.path)/data/soup/demo.db"))
        #expect(first.stdout.contains("soup query \(home.path)/data/soup/demo.db"))
        let second = try SoupBinary.run(["demo"], environment: environment)
        #expect(second.status == 0)
        #expect(second.stderr == "")
    }

    @Test("the tour printed without a terminal shows soup's language first, and every command of it runs")
    func tourRuns() throws {
        let path = try path
        let tour = try SoupBinary.run(["demo", "--path", path])
        #expect(tour.status == 0, "\(tour.stderr)")
        let text = tour.stdout
        let soupPart = try #require(text.range(of: "In soup's language:"))
        let sqlPart = try #require(text.range(of: "And in SQL:"))
        #expect(soupPart.upperBound < sqlPart.lowerBound)
        let soupCommands = String(text[soupPart.upperBound..<sqlPart.lowerBound])
        for shown in ["filter_by(", "order_by(", "with_entities(", "func.count(", "db.pending()", "db.rollback()", ".loans"] {
            #expect(soupCommands.contains(shown), "the soup part lacks \(shown)")
        }
        #expect(!soupCommands.contains("SELECT"))
        let commands = text.split(separator: "\n").filter { $0.hasPrefix("  soup query ") }
        #expect(commands.count >= 8)
        for command in commands {
            // `soup query [-f F] PATH "stmt" "stmt" ...`: the statements hold no double quote.
            let words = command.dropFirst("  soup query ".count).components(separatedBy: " \"")
            var arguments = ["query"] + words[0].split(separator: " ").map(String.init)
            arguments += words.dropFirst().map { String($0.dropLast()) }
            let result = try SoupBinary.run(arguments)
            #expect(result.status == 0, "\(command)\n\(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(command)")
        }
        // The edit is shown as pending, then rolled back: the email is as before.
        let edit = try #require(commands.first { $0.contains("db.pending()") })
        let words = edit.dropFirst("  soup query ".count).components(separatedBy: " \"")
        let result = try SoupBinary.run(["query", path] + words.dropFirst().map { String($0.dropLast()) })
        #expect(result.stdout.contains("UPDATE main.users SET email = ?"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("student@example.ed\n"), "\(result.stdout)")
    }

    /// Twenty assorted SELECTs: joins, aggregates, NULLs, unicode, views, CTEs, window functions.
    static let queries = [
        "SELECT * FROM users ORDER BY name LIMIT 50",
        "SELECT * FROM books ORDER BY id LIMIT 100",
        "SELECT * FROM loans ORDER BY book_id",
        "SELECT name, classname FROM users WHERE classname IS NULL ORDER BY name LIMIT 40",
        "SELECT name, email FROM users WHERE name GLOB '*[^ -~]*' ORDER BY name",
        "SELECT b.title, l.user_name, l.loan_date FROM loans l JOIN books b ON b.id = l.book_id ORDER BY b.id",
        "SELECT u.name, count(h.id) AS n FROM users u LEFT JOIN loan_history h ON h.user_name = u.name GROUP BY u.name ORDER BY n DESC, u.name LIMIT 30",
        "SELECT admin, count(*) AS n, min(name) AS first, max(name) AS last FROM users GROUP BY admin ORDER BY admin",
        "SELECT published_year, count(*) AS n FROM books GROUP BY published_year HAVING count(*) > 20 ORDER BY published_year",
        "SELECT avg(length(title)) AS mean, sum(id) AS total, total(id) / 3 AS third FROM books",
        "SELECT book_id, avg(julianday(returned_at) - julianday(loaned_at)) AS days FROM loan_history GROUP BY book_id ORDER BY book_id LIMIT 40",
        "SELECT * FROM overdue_loans ORDER BY loan_id LIMIT 25",
        "SELECT user_name, returned_at FROM loan_history WHERE returned_at IS NULL OR user_name IS NULL ORDER BY id LIMIT 60",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25) SELECT i, i * i AS sq, i / 7.0 AS frac FROM n",
        "SELECT name, row_number() OVER (ORDER BY name) AS rn, lag(name) OVER (ORDER BY name) AS prev FROM users ORDER BY name LIMIT 30",
        "SELECT upper(name) AS shout, lower(email) AS quiet, substr(name, 2, 3) AS mid FROM users ORDER BY name LIMIT 30",
        "SELECT title, authors FROM books WHERE title LIKE '%a%' AND authors LIKE '%n%' ORDER BY title LIMIT 50",
        "SELECT b.authors, group_concat(b.title, ' | ') AS titles FROM books b GROUP BY b.authors ORDER BY b.authors LIMIT 20",
        "SELECT 1 AS one, NULL AS nil, '' AS empty, 'a\nb, \"c\"' AS tricky, 3.25 AS real, 1e300 * 10 AS big",
        "SELECT count(*) AS loans, count(DISTINCT user_name) AS readers, count(returned_at) AS returned FROM loan_history",
    ]

    @Test("soup query -f csv gives the same rows as sqlite3 -csv", arguments: Array(queries.indices))
    func sameRowsAsSQLite3(index: Int) throws {
        let sql = Self.queries[index]
        let soup = try SoupBinary.run(["query", try path, "-f", "csv", sql])
        #expect(soup.status == 0, "\(soup.stderr)")
        let reference = try ProcessRunner.run(executable: "sqlite3", arguments: ["-csv", "-header", try path, sql])
        #expect(reference.status == 0, "\(reference.stderr)")
        let ours = CSV.parse(soup.stdout)
        let theirs = CSV.parse(reference.stdout)
        #expect(ours.count == theirs.count, "row counts differ for \(sql)")
        #expect(ours.count > 1, "no rows for \(sql)")
        for (line, (mine, other)) in zip(ours, theirs).enumerated() {
            #expect(mine.count == other.count)
            for (a, b) in zip(mine, other) where !Self.sameCell(a, b) {
                Issue.record("line \(line + 1) of \(sql): soup \(a) vs sqlite3 \(b)")
            }
        }
    }

    /// Cells agree when their text is equal, or when both are numbers with the same value
    /// (sqlite3 prints 15 significant digits and `2.0`; soup prints the shortest exact form).
    static func sameCell(_ ours: String, _ theirs: String) -> Bool {
        if ours == theirs { return true }
        guard let a = Double(ours), let b = Double(theirs) else { return false }
        return a == b || abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    }
}

/// A small RFC 4180 reader for the tests.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters = characters.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r", characters.first == "\n" { characters = characters.dropFirst() }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}

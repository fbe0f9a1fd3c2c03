import SoupDriver
import SoupPlatform
import SoupSQLite
import Testing

@testable import SoupDemo

@Suite struct DemoDatabaseTests {
    // MARK: - Generator building blocks

    @Test func splitMix64MatchesTheReferenceSequence() {
        // Values from the reference C implementation (Vigna, prng.di.unimi.it/splitmix64.c).
        var random = SplitMix64(seed: 1_234_567)
        #expect(random.next() == 6_457_827_717_110_365_317)
        #expect(random.next() == 3_203_168_211_198_807_973)
        #expect(random.next() == 9_817_491_932_198_370_423)
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func boundedRandomNumbersStayInRange() {
        var random = SplitMix64(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let value = random.next(in: 3...9)
            #expect((3...9).contains(value))
            seen.insert(value)
        }
        #expect(seen == Set(3...9))
    }

    @Test func weightedPickerNeverPicksAZeroWeight() {
        var random = SplitMix64(seed: 11)
        let picker = WeightedIndexPicker(weights: [0, 5, 0, 1, 0])
        var counts = [0, 0, 0, 0, 0]
        for _ in 0..<6000 { counts[picker.pick(using: &random)] += 1 }
        #expect(counts[0] == 0 && counts[2] == 0 && counts[4] == 0)
        #expect(counts[1] > 4 * counts[3])
    }

    @Test func calendarConvertsDaysAndText() {
        #expect(DemoCalendar.dayNumber(year: 1970, month: 1, day: 1) == 0)
        #expect(DemoCalendar.dayNumber(year: 2000, month: 3, day: 1) == 11_017)
        #expect(
            DemoCalendar.dateText(dayNumber: DemoCalendar.dayNumber(year: 2024, month: 2, day: 29))
                == "2024-02-29")
        #expect(DemoCalendar.timestampText(seconds: 1_700_000_000) == "2023-11-14 22:13:20")
        let first = DemoCalendar.dayNumber(year: 2014, month: 1, day: 1)
        for day in first..<first + 365 * 13 {
            let date = DemoCalendar.date(dayNumber: day)
            #expect(
                DemoCalendar.dayNumber(year: date.year, month: date.month, day: date.day) == day)
        }
    }

    @Test func foldsLatinNamesToASCII() {
        #expect(DemoVocabulary.foldToASCII("José Ñúñez") == "josenunez")
        #expect(DemoVocabulary.foldToASCII("O'Brien") == "obrien")
        #expect(DemoVocabulary.foldToASCII("Weiß") == "weiss")
        #expect(DemoVocabulary.foldToASCII("Þóra Guðrún") == "thoragudrun")
        // Every letter of every Latin name has an ASCII spelling.
        for name in DemoVocabulary.latin.givenNames + DemoVocabulary.latin.familyNames {
            let letters = name.text.filter(\.isLetter).count
            #expect(name.ascii.count >= letters, "\(name.text) folds to \(name.ascii)")
        }
    }

    // MARK: - The generated library

    @Test func generatedPeopleAreUniqueWithASCIIEmails() {
        let library = DemoLibrary()
        #expect(library.users.count == DemoLibrary.userCount)
        let names = Set(library.users.map(\.name) + DemoLibrary.Fixture.userNames)
        #expect(names.count == DemoLibrary.userCount + 2)
        #expect(Set(library.users.map(\.email)).count == library.users.count)
        for user in library.users {
            #expect(user.name.count <= 32)
            #expect(user.email.allSatisfy { $0.isASCII && !$0.isWhitespace }, "\(user.email)")
        }
        #expect(Set(library.books.map(\.title)).count == library.books.count)
    }

    @Test func generatedLoansOfABookNeverOverlap() {
        let library = DemoLibrary()
        let years = Dictionary(
            uniqueKeysWithValues: library.books.map { ($0.id, $0.publishedYear) }
                + DemoLibrary.Fixture.books.map { ($0.id, $0.publishedYear) })
        #expect(library.loanHistory.count == DemoLibrary.loanCount + 1)
        #expect(library.loanHistory.map(\.id) == Array(1...library.loanHistory.count))
        var lastLoan: [Int: DemoLibrary.Loan] = [:]
        for loan in library.loanHistory {
            if let previous = lastLoan[loan.bookID] {
                #expect((previous.returnedAt ?? .max) < loan.loanedAt, "loan \(previous.id)")
            }
            if let returned = loan.returnedAt { #expect(returned > loan.loanedAt) }
            #expect(loan.dueDay * DemoCalendar.secondsPerDay > loan.loanedAt)
            let year = DemoCalendar.date(dayNumber: loan.loanedAt / DemoCalendar.secondsPerDay).year
            #expect(year >= years[loan.bookID, default: .max])
            lastLoan[loan.bookID] = loan
        }
    }

    // MARK: - The database

    @Test func populateFillsEveryTable() throws {
        let db = try populatedDatabase()
        let counts = try [
            "users", "books", "loans", "nopk", "bad_names", "loan_history",
        ].map { try count("SELECT count(*) FROM \($0)", db) }
        let current = try count("SELECT count(*) FROM loan_history WHERE returned_at IS NULL", db)
        #expect(counts == [10_002, 2_002, current, 0, 0, 50_001])
        #expect(current > 100)
        let objects = try db.fetchAll(
            "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'view') AND sql IS NOT NULL"
                + " ORDER BY name")
        #expect(
            objects == [
                [.text("index"), .text("loan_history_book_id")],
                [.text("index"), .text("loan_history_user_name")],
                [.text("view"), .text("overdue_loans")],
            ])
        #expect(db.transactionStatus == .idle)
    }

    @Test func populateLeavesAConsistentDatabase() throws {
        let db = try populatedDatabase()
        #expect(try db.fetchAll("PRAGMA foreign_key_check").isEmpty)
        #expect(try db.fetchAll("PRAGMA integrity_check") == [[.text("ok")]])
    }

    @Test func fixtureRowsAreSQLSoups() throws {
        let db = try populatedDatabase()
        #expect(
            try db.fetchAll(
                "SELECT name, email, password, classname, admin FROM users ORDER BY rowid LIMIT 2")
                == [
                    [
                        .text("Bhargan Basepair"), .text("basepair@example.ed"), .text("basepair"),
                        .null, .integer(1),
                    ],
                    [
                        .text("Joe Student"), .text("student@example.ed"), .text("student"), .null,
                        .integer(0),
                    ],
                ])
        #expect(
            try db.fetchAll(
                "SELECT id, title, published_year, authors FROM books WHERE id <= 2 ORDER BY id")
                == [
                    [.integer(1), .text("Mustards I Have Known"), .text("1989"), .text("Jones")],
                    [
                        .integer(2), .text("Regional Variation in Moss"), .text("1971"),
                        .text("Flim and Flam"),
                    ],
                ])
        #expect(
            try db.fetchAll("SELECT book_id, user_name, loan_date FROM loans WHERE book_id = 1")
                == [[.integer(1), .text("Joe Student"), .text("2006-07-12 0:0:0")]])
        #expect(
            try db.fetchAll("SELECT * FROM loan_history WHERE id = 1")
                == [
                    [
                        .integer(1), .integer(1), .text("Joe Student"),
                        .text("2006-07-12 00:00:00"), .text("2006-08-02"), .null,
                    ]
                ])
        let schema = try db.fetchAll("SELECT sql FROM sqlite_master WHERE name = 'bad_names'")
        #expect(
            schema == [
                [
                    .text(
                        "CREATE TABLE bad_names (\n   id int primary key,\n   query  varchar(100)\n)"
                    )
                ]
            ])
    }

    @Test func dataHasNullsAndNamesOutsideASCII() throws {
        let db = try populatedDatabase()
        #expect(try count("SELECT count(*) FROM users WHERE classname IS NULL", db) > 2000)
        #expect(try count("SELECT count(*) FROM loan_history WHERE user_name IS NULL", db) > 100)
        #expect(try count("SELECT count(*) FROM users WHERE admin = 1", db) > 10)
        #expect(try count("SELECT count(*) FROM users WHERE name GLOB '*[^ -~]*'", db) > 1000)
        for name in [
            "José Ñúñez", "李雷", "韩梅梅", "Ἀθηνᾶ Παύλου", "Zoë Müller", "Øystein O'Brien",
            "Олена Шевченко",
        ] {
            #expect(
                try count("SELECT count(*) FROM users WHERE name = ?", db, [.text(name)]) == 1,
                "\(name)")
        }
        #expect(try count("SELECT count(*) FROM users WHERE name LIKE '%''%'", db) > 100)
        #expect(try count("SELECT count(*) FROM users WHERE email GLOB '*[^ -~]*'", db) == 0)
        #expect(try count("SELECT count(*) FROM books WHERE title = '红楼梦'", db) == 1)
    }

    @Test func loansAreTheOpenEndsOfTheLoanHistory() throws {
        let db = try populatedDatabase()
        // Each open loan is its book's latest; each is in `loans`, and `loans` holds nothing else.
        let latestOpen = """
            SELECT h.book_id, h.user_name, h.loaned_at FROM loan_history AS h
            WHERE h.returned_at IS NULL
              AND h.loaned_at = (SELECT max(loaned_at) FROM loan_history WHERE book_id = h.book_id)
            ORDER BY h.book_id
            """
        let open = try db.fetchAll(latestOpen)
        #expect(
            open.count
                == (try count("SELECT count(*) FROM loan_history WHERE returned_at IS NULL", db)))
        let loans = try db.fetchAll(
            "SELECT book_id, user_name, loan_date FROM loans ORDER BY book_id")
        #expect(loans.count == open.count)
        #expect(loans.dropFirst() == open.dropFirst())
        #expect(loans.first?.first == .integer(1) && open.first?.first == .integer(1))
        #expect(try count("SELECT count(*) FROM loans WHERE user_name IS NULL", db) == 0)
        // Loans of one book never overlap.
        let overlapping = """
            SELECT count(*) FROM loan_history AS a JOIN loan_history AS b
              ON b.book_id = a.book_id AND b.id > a.id
            WHERE b.loaned_at < coalesce(a.returned_at, '9999')
            """
        #expect(try count(overlapping, db) == 0)
        #expect(try count("SELECT count(*) FROM overdue_loans", db) == open.count)
    }

    @Test func datesAreWellFormedAndInRange() throws {
        let db = try populatedDatabase()
        let malformed = """
            SELECT count(*) FROM loan_history
            WHERE datetime(loaned_at) IS NOT loaned_at OR date(due_at) IS NOT due_at
               OR datetime(returned_at) IS NOT returned_at OR due_at <= loaned_at
               OR returned_at <= loaned_at
            """
        #expect(try count(malformed, db) == 0)
        let range = try db.fetchAll(
            "SELECT min(loaned_at), max(due_at), max(returned_at) FROM loan_history WHERE id > 1")
        let texts = range.first?.map { $0.text ?? "" } ?? []
        #expect(
            texts.count == 3 && texts.allSatisfy { $0 >= "2015-01-01" && $0 < "2026" }, "\(texts)")
        let years =
            "SELECT count(*) FROM books WHERE length(published_year) <> 4 OR published_year GLOB '*[^0-9]*'"
        #expect(try count(years, db) == 0)
    }

    @Test func populatingTwiceGivesTheSameContent() throws {
        let first = try populatedDatabase()
        let second = try populatedDatabase()
        #expect(try dump(first) == dump(second))
    }

    @Test func populatedFilesAreByteIdentical() throws {
        var template = Array("/tmp/soup-demo-tests-XXXXXX".utf8CString)
        let directory = try String(
            cString: #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }))
        defer { rmdir(directory) }
        var files: [[UInt8]] = []
        for name in ["a.db", "b.db"] {
            let path = directory + "/" + name
            defer { unlink(path) }
            let db = try SQLiteConnection(path: path, mode: .readWriteCreate)
            try DemoDatabase.populate(db)
            db.close()
            files.append(try readFile(path))
        }
        #expect(files[0].count > 1_000_000)
        #expect(files[0] == files[1])
    }

    @Test func aFailedPopulationLeavesNothingBehind() throws {
        let db = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
        try db.execute("CREATE TABLE loan_history (x)")
        #expect(throws: DatabaseError.self) { try DemoDatabase.populate(db) }
        #expect(db.transactionStatus == .idle)
        #expect(try db.fetchAll("SELECT name FROM sqlite_master") == [[.text("loan_history")]])
    }

    // MARK: - Paths and the tour

    @Test func defaultPathFollowsXDG() {
        #expect(
            DemoDatabase.defaultPath(environment: ["HOME": "/home/ann"])
                == "/home/ann/.local/share/soup/demo.db")
        #expect(
            DemoDatabase.defaultPath(environment: ["HOME": "/home/ann", "XDG_DATA_HOME": "/data/"])
                == "/data/soup/demo.db")
        #expect(
            DemoDatabase.defaultPath(environment: [
                "HOME": "/home/ann/", "XDG_DATA_HOME": "relative",
            ])
                == "/home/ann/.local/share/soup/demo.db")
        #expect(DemoDatabase.defaultPath(environment: ["XDG_DATA_HOME": ""]) == "soup-demo.db")
    }

    @Test func tourShowsRunnableCommands() throws {
        let tour = DemoDatabase.tour(path: "/home/ann/.local/share/soup/demo.db")
        let commands = tour.split(separator: "\n").filter { $0.hasPrefix("  soup query ") }
        #expect((8...12).contains(commands.count))
        // soup's language comes first, then SQL.
        let firstSQL = try #require(commands.firstIndex { $0.contains("\"SELECT ") })
        #expect(firstSQL >= 5)
        #expect(commands[firstSQL...].allSatisfy { $0.contains("\"SELECT ") })
        #expect(commands.allSatisfy { $0.contains(" /home/ann/.local/share/soup/demo.db \"") })
        #expect(commands.contains { $0.hasPrefix("  soup query -f csv ") })
        #expect(commands.contains { $0.hasPrefix("  soup query -f json ") })
        #expect(
            DemoDatabase.tour(path: "/tmp/it's here.db").contains(" '/tmp/it'\\''s here.db' \""))

        let db = try populatedDatabase()
        for query in DemoDatabase.tourQueries {
            for statement in query.statements {
                #expect(!statement.contains { "\"$`\\!".contains($0) }, "\(statement)")
            }
        }
        // The SQL part runs here; DemoCommandTests runs every command through the binary.
        for query in DemoDatabase.tourQueries[DemoDatabase.firstSQLQuery...] {
            #expect(try !db.fetchAll(query.statements[0]).isEmpty, "\(query.statements)")
        }
    }

    // MARK: - Helpers

    private func populatedDatabase() throws -> SQLiteConnection {
        let db = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
        try DemoDatabase.populate(db)
        return db
    }

    private func count(_ sql: String, _ db: SQLiteConnection, _ parameters: [Value] = []) throws
        -> Int64
    {
        guard case .integer(let value)? = try db.scalar(sql, parameters) else {
            Issue.record("no count from \(sql)")
            return -1
        }
        return value
    }

    /// The schema and every row of every table, in rowid order.
    private func dump(_ db: SQLiteConnection) throws -> [[[Value]]] {
        let objects = try db.fetchAll(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
        var dump = [objects]
        for object in objects where object[0] == .text("table") {
            guard case .text(let name) = object[1] else { continue }
            dump.append(try db.fetchAll("SELECT * FROM \"\(name)\" ORDER BY rowid"))
        }
        return dump
    }

    private func readFile(_ path: String) throws -> [UInt8] {
        let file = try #require(fopen(path, "rb"))
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let read = fread(&buffer, 1, buffer.count, file)
            if read == 0 { break }
            bytes += buffer[..<read]
        }
        return bytes
    }
}

import SoupDriver

/// The demo database that `soup demo` creates: SQLSoup's test fixture plus a generated library.
///
/// The five SQLSoup tables (`books`, `users`, `loans`, `nopk`, `bad_names`) and their rows are
/// exactly those of SQLSoup's own test suite, so SQLSoup's documentation works on them as
/// written. Around them sits a lending library generated from a fixed seed: 10,000 more users
/// (names in five scripts, some with apostrophes, some `classname`s NULL), 2,000 more books and
/// 50,000 loans in `loan_history`, which `loans` agrees with: it holds one row for each book whose
/// latest loan is not returned. Every build produces the same rows.
///
/// ```swift
/// let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
/// try DemoDatabase.populate(connection)
/// print(DemoDatabase.tour(path: path))
/// ```
public enum DemoDatabase {
    /// Creates the demo tables, indexes and view in an empty SQLite database and fills them, in
    /// one transaction: on an error nothing is left behind.
    ///
    /// The SQL is SQLite's; `connection` must be a SQLite connection with no open transaction.
    public static func populate(_ connection: any Connection) throws {
        let library = DemoLibrary()
        try connection.begin()
        do {
            try connection.executeScript(fixtureSchema)
            try connection.executeScript(fixtureData)
            try connection.executeScript(loanHistorySchema)
            try insert(library, into: connection)
            try connection.executeScript(indexesViewsAndCurrentLoans)
            try connection.commit()
        } catch {
            try? connection.rollback()
            throw error
        }
    }

    /// Where `soup demo` keeps the demo database: `$XDG_DATA_HOME/soup/demo.db`, by default
    /// `$HOME/.local/share/soup/demo.db`.
    ///
    /// A relative `XDG_DATA_HOME` is ignored, as the XDG Base Directory specification asks.
    /// Without a home directory the database is `soup-demo.db` in the working directory.
    public static func defaultPath(environment: [String: String]) -> String {
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return withoutTrailingSlashes(dataHome) + "/soup/demo.db"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return withoutTrailingSlashes(home) + "/.local/share/soup/demo.db"
        }
        return "soup-demo.db"
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.last == "/" { path.removeLast() }
        return String(path)
    }

    /// A few `soup query` commands to try on the demo database at `path`, one per line with a
    /// comment above each, ready to paste into a shell: soup's own language first (it is what
    /// a new user has not seen elsewhere), then a little SQL.
    public static func tour(path: String) -> String {
        let quotedPath = shellQuoted(path)
        var lines = [
            "The demo database is \(quotedPath): SQLSoup's users, books and loans, plus a",
            "generated library of about 10,000 users, 2,000 books and 50,000 loans (loan_history).",
            "Each table is an entity you query and edit in soup's language (SQLSoup's, like",
            "SQLAlchemy's); SQL works too. Run `soup demo` in a terminal for the REPL. Some things to try:",
        ]
        for (index, query) in tourQueries.enumerated() {
            if index == 0 { lines += ["", "In soup's language:"] }
            if index == firstSQLQuery { lines += ["", "And in SQL:"] }
            let options = query.format.map { "-f \($0) " } ?? ""
            lines.append("")
            lines.append("  # \(query.purpose)")
            lines.append("  soup query \(options)\(quotedPath) " + query.statements.map { "\"\($0)\"" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One command of the tour: statements of soup or SQL, each a shell argument. They go
    /// inside shell double quotes, so they hold no `"`, `$`, `` ` ``, `\\` or `!`.
    struct TourQuery {
        let purpose: String
        let format: String?
        let statements: [String]

        init(_ purpose: String, format: String? = nil, _ statements: String...) {
            self.purpose = purpose
            self.format = format
            self.statements = statements
        }
    }

    /// Where the SQL commands start in ``tourQueries``.
    static let firstSQLQuery = 6

    static let tourQueries: [TourQuery] = [
        TourQuery(
            "An entity: the users table, reflected on first use (columns, keys, relations)",
            "users"),
        TourQuery(
            "filter_by and order_by, as in SQLAlchemy; every value is a bound parameter",
            "users.filter_by(admin=1).order_by(users.name).limit(5).all()"),
        TourQuery(
            "A row, and relations followed from it: Joe's loans, then the book of the oldest loan",
            "users.get('Joe Student').loans", "loans.order_by(loans.loan_date).first().books"),
        TourQuery(
            "with_entities and func: the keenest readers",
            "loan_history.filter(loan_history.user_name.isnot(None))"
                + ".with_entities(loan_history.user_name, func.count(loan_history.id).label('loans'))"
                + ".group_by(loan_history.user_name).order_by(func.count(loan_history.id).desc()).limit(5).all()"),
        TourQuery(
            "An edit: db.pending() shows what a commit would send; db.rollback() forgets it",
            "u = users.get('Joe Student')", "u.email = 'joe@example.net'", "db.pending()", "db.rollback()",
            "users.get('Joe Student').email"),
        TourQuery(
            "like() and a descending order",
            "users.filter(users.email.like('%.org')).order_by(users.name.desc()).limit(5).all()"),
        TourQuery(
            "Books out right now, oldest loan first",
            "SELECT b.title, l.user_name, l.loan_date FROM loans AS l"
                + " JOIN books AS b ON b.id = l.book_id ORDER BY l.loan_date LIMIT 10"),
        TourQuery(
            "Overdue books, from a view",
            "SELECT title, user_name, due_at, days_overdue FROM overdue_loans"
                + " ORDER BY days_overdue DESC LIMIT 10"),
        TourQuery(
            "The most prolific authors, as CSV", format: "csv",
            "SELECT authors, count(*) AS books FROM books"
                + " GROUP BY authors ORDER BY books DESC, authors LIMIT 10"),
        TourQuery(
            "Who has read SQLSoup's book on moss, as JSON", format: "json",
            "SELECT h.id, h.user_name, h.loaned_at, h.returned_at FROM loan_history AS h"
                + " JOIN books AS b ON b.id = h.book_id"
                + " WHERE b.title = 'Regional Variation in Moss' ORDER BY h.id"),
    ]

    /// `path` as one shell word: unchanged when it is plain, else in single quotes.
    private static func shellQuoted(_ path: String) -> String {
        let plain =
            !path.isEmpty
            && path.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic && scalar.isASCII
                    || "0123456789/._-+=:@%,".unicodeScalars.contains(scalar)
            }
        if plain { return path }
        return "'" + path.replacing("'", with: "'\\''") + "'"
    }

    // MARK: - SQL

    /// SQLSoup's `_ddl`, verbatim (with the `;` its last statement lacks).
    static let fixtureSchema = """
        CREATE TABLE books (
            id                   integer PRIMARY KEY, -- auto-increments in sqlite
            title                text NOT NULL,
            published_year       char(4) NOT NULL,
            authors              text NOT NULL
        );

        CREATE TABLE users (
            name                 varchar(32) PRIMARY KEY,
            email                varchar(128) NOT NULL,
            password             varchar(128) NOT NULL,
            classname            text,
            admin                int NOT NULL -- 0 = false
        );

        CREATE TABLE loans (
            book_id              int PRIMARY KEY REFERENCES books(id),
            user_name            varchar(32) references users(name)
                ON DELETE SET NULL ON UPDATE CASCADE,
            loan_date            datetime DEFAULT current_timestamp
        );

        CREATE TABLE nopk (
            i                    int
        );

        CREATE TABLE bad_names (
           id int primary key,
           query  varchar(100)
        )
        ;
        """

    /// SQLSoup's `_data`, verbatim.
    static let fixtureData = """
        insert into users(name, email, password, admin)
        values('Bhargan Basepair', 'basepair@example.ed', 'basepair', 1);
        insert into users(name, email, password, admin)
        values('Joe Student', 'student@example.ed', 'student', 0);

        insert into books(title, published_year, authors)
        values('Mustards I Have Known', '1989', 'Jones');
        insert into books(title, published_year, authors)
        values('Regional Variation in Moss', '1971', 'Flim and Flam');

        insert into loans(book_id, user_name, loan_date)
        values (
            (select min(id) from books),
            (select name from users where name like 'Joe%'),
            '2006-07-12 0:0:0')
        ;
        """

    /// Every loan ever made; `loans` (whose key is the book) only holds the current ones.
    static let loanHistorySchema = """
        CREATE TABLE loan_history (
            id                   integer PRIMARY KEY,
            book_id              int NOT NULL REFERENCES books(id),
            user_name            varchar(32) REFERENCES users(name)
                ON DELETE SET NULL ON UPDATE CASCADE,
            loaned_at            datetime NOT NULL,
            due_at               date NOT NULL,
            returned_at          datetime -- NULL while the book is out
        );
        """

    /// Run once the rows are in: indexes are cheaper to build at the end.
    static let indexesViewsAndCurrentLoans = """
        CREATE INDEX loan_history_book_id ON loan_history (book_id, loaned_at);
        CREATE INDEX loan_history_user_name ON loan_history (user_name);

        CREATE VIEW overdue_loans AS
        SELECT h.id AS loan_id, h.book_id, b.title, h.user_name, u.email, h.loaned_at, h.due_at,
               CAST(julianday('now', 'start of day') - julianday(h.due_at) AS integer)
                   AS days_overdue
        FROM loan_history AS h
        JOIN books AS b ON b.id = h.book_id
        LEFT JOIN users AS u ON u.name = h.user_name
        WHERE h.returned_at IS NULL AND h.due_at < date('now');

        INSERT INTO loans (book_id, user_name, loan_date)
        SELECT book_id, user_name, loaned_at FROM loan_history
        WHERE returned_at IS NULL AND book_id NOT IN (SELECT book_id FROM loans)
        ORDER BY book_id;
        """

    private static func insert(_ library: DemoLibrary, into connection: any Connection) throws {
        let insertUser =
            "INSERT INTO users (name, email, password, classname, admin) VALUES (?, ?, ?, ?, ?)"
        for user in library.users {
            try connection.execute(
                insertUser,
                [
                    .text(user.name), .text(user.email), .text(user.password),
                    user.classname.map(Value.text) ?? .null, .integer(user.isAdmin ? 1 : 0),
                ])
        }
        let insertBook =
            "INSERT INTO books (id, title, published_year, authors) VALUES (?, ?, ?, ?)"
        for book in library.books {
            try connection.execute(
                insertBook,
                [
                    .integer(Int64(book.id)), .text(book.title), .text(String(book.publishedYear)),
                    .text(book.authors),
                ])
        }
        let insertLoan = """
            INSERT INTO loan_history (id, book_id, user_name, loaned_at, due_at, returned_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """
        for loan in library.loanHistory {
            try connection.execute(
                insertLoan,
                [
                    .integer(Int64(loan.id)), .integer(Int64(loan.bookID)),
                    loan.userName.map(Value.text) ?? .null,
                    .text(DemoCalendar.timestampText(seconds: loan.loanedAt)),
                    .text(DemoCalendar.dateText(dayNumber: loan.dueDay)),
                    loan.returnedAt.map { .text(DemoCalendar.timestampText(seconds: $0)) } ?? .null,
                ])
        }
    }
}

/// The generated part of the demo database: a lending library's users, books and loan history,
/// built around SQLSoup's fixture rows.
///
/// Generation is pure and deterministic: the same seed gives the same library, row for row.
/// Loans of one book never overlap, no book is lent before the year it was published, and only
/// a book's latest loan can still be out.
struct DemoLibrary {
    struct User: Equatable {
        let name: String
        let email: String
        let password: String
        let classname: String?
        let isAdmin: Bool
    }

    struct Book: Equatable {
        let id: Int
        let title: String
        let publishedYear: Int
        let authors: String
    }

    struct Loan: Equatable {
        /// The row id; loans are numbered in the order they were made.
        var id: Int
        let bookID: Int
        /// `nil` when the borrower's account was deleted since (`ON DELETE SET NULL`).
        let userName: String?
        /// Seconds since 1970-01-01 00:00:00.
        let loanedAt: Int
        /// The day number of the due date.
        let dueDay: Int
        /// Seconds since 1970-01-01 00:00:00; `nil` while the book is still out.
        let returnedAt: Int?
    }

    /// What SQLSoup's fixture inserts, as far as the generated rows must agree with it.
    enum Fixture {
        static let userNames = ["Bhargan Basepair", "Joe Student"]
        static let books: [(id: Int, title: String, publishedYear: Int)] = [
            (1, "Mustards I Have Known", 1989), (2, "Regional Variation in Moss", 1971),
        ]
        /// The fixture's one loan: book 1 has been out to Joe Student since 2006-07-12. It opens
        /// the loan history too, so `loans` stays the set of books whose latest loan is open.
        static let loan = Loan(
            id: 0, bookID: 1, userName: "Joe Student",
            loanedAt: DemoCalendar.dayNumber(year: 2006, month: 7, day: 12)
                * DemoCalendar.secondsPerDay,
            dueDay: DemoCalendar.dayNumber(year: 2006, month: 8, day: 2), returnedAt: nil)
    }

    /// The seed of the library every `soup demo` builds.
    static let defaultSeed: UInt64 = 0x50_0F_DE_40
    /// Generated users, besides the fixture's two.
    static let userCount = 10_000
    /// Generated books, besides the fixture's two.
    static let bookCount = 2_000
    /// Generated loans, besides the fixture's one.
    static let loanCount = 50_000
    /// Loans are made from this day up to (not including) ``lastLoanDay``.
    static let firstLoanDay = DemoCalendar.dayNumber(year: 2015, month: 1, day: 1)
    static let lastLoanDay = DemoCalendar.dayNumber(year: 2025, month: 12, day: 1)

    /// The generated users, in insertion order.
    let users: [User]
    /// The generated books, numbered on from the fixture's.
    let books: [Book]
    /// Every loan, the fixture's included, ordered by ``Loan/id``.
    let loanHistory: [Loan]

    init(seed: UInt64 = DemoLibrary.defaultSeed) {
        var random = SplitMix64(seed: seed)
        users = Self.makeUsers(&random)
        books = Self.makeBooks(&random)
        loanHistory = Self.makeLoanHistory(
            borrowers: Fixture.userNames + users.map(\.name), books: books, &random)
    }

    // MARK: - Users

    private typealias Person = (
        given: DemoVocabulary.Name, family: DemoVocabulary.Name, culture: DemoVocabulary.Culture
    )

    private static func makeUsers(_ random: inout SplitMix64) -> [User] {
        let showcase: [Person] = DemoVocabulary.showcaseUsers
        var taken = Set(Fixture.userNames)
        for person in showcase {
            taken.insert(person.culture.fullName(given: person.given, family: person.family))
        }
        var generated: [Person] = []
        for (culture, count) in DemoVocabulary.culturesWithQuota {
            generated += people(count, from: culture, avoiding: &taken, &random)
        }
        let latinCount = userCount - showcase.count - generated.count
        generated += people(latinCount, from: DemoVocabulary.latin, avoiding: &taken, &random)
        random.shuffle(&generated)

        var mailboxUses: [String: Int] = [:]
        return (showcase + generated).map { person in
            var mailbox = person.given.ascii + "." + person.family.ascii
            let seen = mailboxUses[mailbox, default: 0] + 1
            mailboxUses[mailbox] = seen
            if seen > 1 { mailbox += String(seen) }
            let password = String(random.next(), radix: 16)
            return User(
                name: person.culture.fullName(given: person.given, family: person.family),
                email: mailbox + "@" + random.element(of: DemoVocabulary.emailDomains),
                password: String(repeating: "0", count: 16 - password.count) + password,
                classname: random.chance(percent: 30)
                    ? nil : random.element(of: DemoVocabulary.classNames),
                isAdmin: random.chance(percent: 1))
        }
    }

    /// `count` different people of one culture whose full names are not in `taken` yet.
    private static func people(
        _ count: Int, from culture: DemoVocabulary.Culture, avoiding taken: inout Set<String>,
        _ random: inout SplitMix64
    ) -> [Person] {
        var candidates: [Person] = []
        for given in culture.givenNames {
            for family in culture.familyNames { candidates.append((given, family, culture)) }
        }
        random.shuffle(&candidates)
        var chosen: [Person] = []
        for person in candidates where chosen.count < count {
            if taken.insert(culture.fullName(given: person.given, family: person.family)).inserted {
                chosen.append(person)
            }
        }
        precondition(chosen.count == count, "not enough distinct names")
        return chosen
    }

    // MARK: - Books

    private static func makeBooks(_ random: inout SplitMix64) -> [Book] {
        let fixtureTitles = Set(Fixture.books.map(\.title))
        var titles = DemoVocabulary.allTitles.filter { !fixtureTitles.contains($0) }
        random.shuffle(&titles)
        var books: [(title: String, year: Int, authors: String)] = DemoVocabulary.classics
        for title in titles.prefix(bookCount - books.count) {
            books.append((title, random.next(in: 1950...2025), makeAuthors(&random)))
        }
        let firstID = Fixture.books.count + 1
        return books.enumerated().map { offset, book in
            Book(
                id: firstID + offset, title: book.title, publishedYear: book.year,
                authors: book.authors)
        }
    }

    /// One to three different family names: `Jones`, `Flim and Flam`, `Ek, Flim and Flam`.
    private static func makeAuthors(_ random: inout SplitMix64) -> String {
        let roll = random.next(below: 100)
        let count = roll < 80 ? 1 : roll < 95 ? 2 : 3
        var authors: [String] = []
        while authors.count < count {
            let author = random.element(of: DemoVocabulary.authorNames)
            if !authors.contains(author) { authors.append(author) }
        }
        guard let last = authors.popLast() else { return "" }
        return authors.isEmpty ? last : authors.joined(separator: ", ") + " and " + last
    }

    // MARK: - Loans

    /// Shortest stretch of days one loan of a book gets, so loans of a book never overlap.
    private static let minimumDaysPerLoan = 8

    private static func makeLoanHistory(
        borrowers: [String], books: [Book], _ random: inout SplitMix64
    ) -> [Loan] {
        // Some people borrow a lot, some never do.
        let borrowerPicker = WeightedIndexPicker(
            weights: borrowers.map { _ in
                let roll = random.next(below: 100)
                return roll < 8 ? 0 : roll < 68 ? 1 : roll < 93 ? 3 : 10
            })

        // A book can be lent from the later of the first loan day and its publication; book 1
        // is left out, being out to Joe Student since 2006.
        let lendable: [(id: Int, publishedYear: Int)] =
            Fixture.books.dropFirst().map { ($0.id, $0.publishedYear) }
            + books.map { ($0.id, $0.publishedYear) }
        let firstDays = lendable.map { book in
            max(firstLoanDay, DemoCalendar.dayNumber(year: book.publishedYear, month: 1, day: 1))
        }
        let spans = firstDays.map { lastLoanDay - $0 }
        let bookPicker = WeightedIndexPicker(
            weights: spans.map { span in
                let roll = random.next(below: 100)
                return span * (roll < 5 ? 0 : roll < 55 ? 1 : roll < 85 ? 2 : 4)
            })

        var loanCounts = [Int](repeating: 0, count: lendable.count)
        var assigned = 0
        while assigned < loanCount {
            let book = bookPicker.pick(using: &random)
            if loanCounts[book] < spans[book] / minimumDaysPerLoan {
                loanCounts[book] += 1
                assigned += 1
            }
        }

        var history = [Fixture.loan]
        history.reserveCapacity(loanCount + 1)
        for (book, count) in loanCounts.enumerated() where count > 0 {
            // Cut the book's lendable days into `count` stretches, one loan in each.
            let firstDay = firstDays[book]
            for index in 0..<count {
                let stretchStart = firstDay + index * spans[book] / count
                let stretchEnd = firstDay + (index + 1) * spans[book] / count
                let loanDay = stretchStart + random.next(below: (stretchEnd - stretchStart) / 2)
                let days = random.element(of: [14, 21, 21, 28])
                let isStillOut = index == count - 1 && random.chance(percent: 20)
                var returnedAt: Int?
                if !isStillOut {
                    let kept =
                        random.chance(percent: 85)
                        ? random.next(in: 1...days) : random.next(in: days + 1...days + 30)
                    returnedAt = openingHoursTime(on: min(loanDay + kept, stretchEnd - 1), &random)
                }
                let borrower = borrowers[borrowerPicker.pick(using: &random)]
                history.append(
                    Loan(
                        id: 0, bookID: lendable[book].id,
                        userName: !isStillOut && random.chance(percent: 1) ? nil : borrower,
                        loanedAt: openingHoursTime(on: loanDay, &random), dueDay: loanDay + days,
                        returnedAt: returnedAt))
            }
        }

        history.sort { ($0.loanedAt, $0.bookID) < ($1.loanedAt, $1.bookID) }
        for index in history.indices { history[index].id = index + 1 }
        return history
    }

    /// A moment between 09:00:00 and 19:59:59 on `day`, in seconds since 1970-01-01.
    private static func openingHoursTime(on day: Int, _ random: inout SplitMix64) -> Int {
        day * DemoCalendar.secondsPerDay + 9 * 3600 + random.next(below: 11 * 3600)
    }
}

import SoupDriver
import SoupTestSupport
import Testing

/// `DatabaseLocator.parse` over generated and mutated `DB` arguments: no crash, no hang, every
/// rejection a `LocatorError` with a reason, every result consistent with the argument, and a
/// password never in an error message, whatever the scheme was spelled as.
///
/// `SOUP_FUZZ_ITERATIONS` (default 100,000) and `SOUP_FUZZ_SEED` set the run.
@Suite struct FuzzLocatorTests {
    static let secret = "S3CRETpw"

    @Test func generatedArguments() {
        var random = SeededRandom(seed: FuzzSettings.seed &+ 0x10C)
        var outcomes: [String: Int] = [:]
        for _ in 0..<FuzzSettings.iterations {
            var argument = Self.argument(&random)
            let mutated = Bool.random(using: &random)
            if mutated { Self.mutate(&argument, &random) }
            // Existing files: a few names, so the file branch is taken too.
            let exists: (String) -> Bool = { $0.hasSuffix("exists") }
            do {
                let locator = try DatabaseLocator.parse(argument, fileExists: exists)
                outcomes[Self.kind(locator), default: 0] += 1
                check(locator, for: argument)
                let padded = try? DatabaseLocator.parse(" \t" + argument + "\n", fileExists: exists)
                if padded != locator { Issue.record("\(argument.debugDescription) changes when padded") }
            } catch {
                outcomes["rejected", default: 0] += 1
                if error.reason.isEmpty { Issue.record("no reason for \(argument.debugDescription)") }
                if !mutated, error.description.contains(Self.secret) {
                    Issue.record("the password shows in \(error.description.debugDescription)")
                }
            }
        }
        print("locator fuzz: \(FuzzSettings.iterations) arguments: \(outcomes.sorted { $0.key < $1.key })")
        // Every kind of result stays common: with the default seed 33% PostgreSQL, 13% SQLite
        // files, 0.35% in-memory SQLite, 15% profiles, 39% rejected.
        let inputs = outcomes.values.reduce(0, +)
        let floors = ["postgres": 0.2, "sqlite file": 0.07, "sqlite memory": 0.001, "profile": 0.08, "rejected": 0.25]
        let problems = FuzzSettings.reachProblems(
            "locator fuzz", inputs: inputs, planned: FuzzSettings.iterations,
            shares: floors.sorted { $0.key < $1.key }.map { ($0.key, outcomes[$0.key, default: 0], $0.value) })
        for problem in problems { Issue.record("\(problem)") }
    }

    func check(_ locator: DatabaseLocator, for argument: String) {
        let trimmed = argument.trimmingWhitespace()
        switch locator {
        case .postgres(let conninfo):
            if conninfo != trimmed { Issue.record("\(argument.debugDescription) → \(conninfo.debugDescription)") }
        case .sqlite(.file(let path)):
            if path.isEmpty || !trimmed.contains(path) {
                Issue.record("\(argument.debugDescription) → file \(path.debugDescription)")
            }
        case .sqlite(.memory):
            break
        case .profile(let name):
            if name != trimmed || name.contains("/") { Issue.record("\(argument.debugDescription) → profile \(name)") }
        }
    }

    @Test("a password in a URL with a mistyped scheme stays masked in the error", arguments: [
        "postgress://ann:S3CRETpw@db/app", "pg://ann:S3CRETpw@db/app", "psql://ann:S3CRETpw@db:5432/app",
        "mysql://ann:S3CRETpw@db/app?password=S3CRETpw", "sqlite://ann:S3CRETpw@db/app.db",
    ])
    func mistypedSchemes(argument: String) throws {
        let error = try #require(throws: LocatorError.self) { try DatabaseLocator.parse(argument) }
        #expect(!error.description.contains(Self.secret), "\(error.description)")
    }

    static func kind(_ locator: DatabaseLocator) -> String {
        switch locator {
        case .postgres: return "postgres"
        case .sqlite(.memory): return "sqlite memory"
        case .sqlite(.file): return "sqlite file"
        case .profile: return "profile"
        }
    }

    static func argument(_ random: inout SeededRandom) -> String {
        let schemes = [
            "sqlite:", "sqlite://", "sqlite:///", "sqlite:////", "SQLite:///", "postgres://", "postgresql://",
            "POSTGRESQL://", "postgre://", "pg://", "postgresql:/", "mysql://", "file:", "", "", "",
        ]
        let users = ["", "u@", "u:\(secret)@", ":\(secret)@", "ann:p%40\(secret)@", "@", "名:\(secret)@"]
        let hosts = ["", "h", "db.example.org:5432", "[::1]:5433", "%2Ftmp", "localhost,other"]
        let paths = [
            "", "/app", "/", "data/app.db", "x.sqlite3", ":memory:", "/a b.db", "/😀.db3", "//",
            "file.exists", "plain", "dir/plain",
        ]
        let queries = ["", "?sslmode=disable", "?password=\(secret)", "?a=b&password=\(secret)&c", "?", "?mode=ro"]
        let keywords = [
            "host=/tmp", "password=\(secret)", "password = '\(secret) x'", "dbname=app", "user='a b'", "port=",
        ]
        if Int.random(in: 0..<4, using: &random) == 0 {
            return (0..<Int.random(in: 1...4, using: &random)).map { _ in keywords.randomElement(using: &random)! }
                .joined(separator: [" ", "  ", "\t"].randomElement(using: &random)!)
        }
        var text = schemes.randomElement(using: &random)!
        if text.hasSuffix("//") { text += users.randomElement(using: &random)! + hosts.randomElement(using: &random)! }
        return text + paths.randomElement(using: &random)! + queries.randomElement(using: &random)!
    }

    static func mutate(_ text: inout String, _ random: inout SeededRandom) {
        var bytes = Array(text.utf8)
        let interesting = Array(":/@?=&'\\ \t\n.%[]\0".utf8) + [0xC3, 0xFF, 0x80]
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: bytes.insert(interesting.randomElement(using: &random)!, at: position)
            case 1: if position < bytes.count { bytes.remove(at: position) }
            default: bytes.removeSubrange(position...)
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
    }
}

/// Where a database is, as named by the `DB` argument of every command.
///
/// ```swift
/// try DatabaseLocator.parse("sqlite:///data/app.db")           // .sqlite(.file("data/app.db"))
/// try DatabaseLocator.parse("postgresql://app@localhost/app")  // .postgres(...)
/// try DatabaseLocator.parse("host=/tmp dbname=app")           // .postgres(...)
/// ```
public enum DatabaseLocator: Hashable, Sendable {
    /// A SQLite database.
    case sqlite(SQLiteLocation)
    /// A PostgreSQL database, as a libpq URL or keyword/value connection string.
    case postgres(conninfo: String)
    /// A profile of the config file.
    case profile(String)

    /// Where a SQLite database lives.
    public enum SQLiteLocation: Hashable, Sendable {
        case memory
        case file(path: String)
    }

    /// File endings that mark a name as a SQLite database even before the file exists.
    public static let sqliteExtensions = ["db", "sqlite", "sqlite3", "db3"]

    /// Reads a `DB` argument.
    ///
    /// - Parameter fileExists: whether a path names an existing file (injected for tests).
    public static func parse(
        _ argument: String, fileExists: (String) -> Bool = FileSystem.isRegularFile
    ) throws(LocatorError) -> DatabaseLocator {
        let trimmed = argument.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw LocatorError(argument: argument, reason: "empty database name") }
        let lower = trimmed.lowercased()
        if lower == "sqlite://" || lower == "sqlite::memory:" || lower == ":memory:"
            || lower == "sqlite:///:memory:"
        {
            return .sqlite(.memory)
        }
        if lower.hasPrefix("sqlite:") {
            var rest = trimmed.dropFirst("sqlite:".count)
            guard rest.hasPrefix("///") else {
                throw LocatorError(
                    argument: argument,
                    reason: "a SQLite URL is sqlite:///relative/path.db or sqlite:////absolute/path.db")
            }
            rest = rest.dropFirst(3)
            if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
            guard !rest.isEmpty else { return .sqlite(.memory) }
            return .sqlite(.file(path: String(rest)))
        }
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            return .postgres(conninfo: trimmed)
        }
        if looksLikeKeywordString(trimmed) {
            return .postgres(conninfo: trimmed)
        }
        if fileExists(trimmed) {
            return .sqlite(.file(path: trimmed))
        }
        if let dot = trimmed.lastIndex(of: "."),
            sqliteExtensions.contains(trimmed[trimmed.index(after: dot)...].lowercased())
        {
            return .sqlite(.file(path: trimmed))
        }
        if trimmed.contains("/") {
            throw LocatorError(
                argument: argument, kind: .noSuchFile,
                reason: "no such database file (SQLite names end in .db, .sqlite, .sqlite3 or .db3)")
        }
        return .profile(trimmed)
    }

    /// A `key=value` libpq connection string: the first word is a keyword followed by `=`.
    private static func looksLikeKeywordString(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "=") else { return false }
        let key = text[..<equals].trimmingWhitespace()
        return !key.isEmpty && key.allSatisfy { $0.isLetter || $0 == "_" } && key.allSatisfy(\.isASCII)
    }
}

/// A `DB` argument that names no database.
public struct LocatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the argument, so a caller can add its own advice.
    public enum Kind: Sendable, Equatable {
        /// It is not a database name that soup can read.
        case malformed
        /// It reads as the path of a SQLite file, and no file is there.
        case noSuchFile
    }

    public var argument: String
    public var kind: Kind
    public var reason: String

    public init(argument: String, kind: Kind = .malformed, reason: String) {
        self.argument = argument
        self.kind = kind
        self.reason = reason
    }

    public var description: String {
        (ConnectionString.displayable(argument) ?? "the database argument (not shown: it may hold a password)") + ": \(reason)"
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space.
    public func trimmingWhitespace() -> String {
        // A Substring's scalar view slices straight into a String, without a generic copy.
        let scalars = Substring(self).unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? start
        return String(scalars[start...end])
    }
}

/// A PostgreSQL SQLSTATE: five characters, of which the first two name the class of the error.
///
/// ``DatabaseError`` carries one, so any layer can match a condition, or a whole class, in a
/// `switch` or with `~=`, by name:
///
/// ```swift
/// switch error.sqlState {
/// case SQLState.queryCanceled: …                                  // 57014
/// case SQLState.Class.connectionException, SQLState.adminShutdown: …  // 08xxx, 57P01
/// default: …
/// }
/// ```
///
/// The names are PostgreSQL's condition names in Swift's case. Related PostgreSQL
/// documentation: <https://www.postgresql.org/docs/current/errcodes-appendix.html>
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The five characters, such as `23505`.
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The class: the first two characters.
    public var errorClass: Class { Class(rawValue: String(rawValue.prefix(2))) }

    public var description: String { rawValue }

    /// A class of SQLSTATEs, such as `08` (connection exception); as a pattern it matches every
    /// SQLSTATE of the class.
    public struct Class: RawRepresentable, Hashable, Sendable {
        /// The two characters, such as `08`.
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// `08`: the connection broke or could not be made.
        public static let connectionException = Class(rawValue: "08")
        /// `23`: a constraint refused the change.
        public static let integrityConstraintViolation = Class(rawValue: "23")
        /// `40`: the transaction was rolled back (serialization failure, deadlock).
        public static let transactionRollback = Class(rawValue: "40")
        /// `57`: an operator or the server stopped the statement (cancel, shutdown).
        public static let operatorIntervention = Class(rawValue: "57")

        /// Whether `state` belongs to the class.
        public static func ~= (pattern: Class, state: SQLState) -> Bool {
            state.rawValue.utf8.starts(with: pattern.rawValue.utf8)
        }

        /// Whether `state` is present and belongs to the class.
        public static func ~= (pattern: Class, state: SQLState?) -> Bool {
            state.map { pattern ~= $0 } ?? false
        }
    }

    /// `0A000`: a feature the server does not support; among them, running a prepared statement
    /// whose result type changed since it was prepared (`cached plan must not change result type`).
    public static let featureNotSupported = SQLState(rawValue: "0A000")
    /// `23505`: a unique index or constraint refused a duplicate.
    public static let uniqueViolation = SQLState(rawValue: "23505")
    /// `25006`: a write in a read-only transaction, or on a standby.
    public static let readOnlySQLTransaction = SQLState(rawValue: "25006")
    /// `40001`: the transaction could not be serialized (or a standby cancelled a read that
    /// conflicted with recovery); running it again may succeed.
    public static let serializationFailure = SQLState(rawValue: "40001")
    /// `40P01`: the transaction was chosen as the victim of a deadlock.
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// `26000`: no prepared statement of that name.
    public static let invalidSQLStatementName = SQLState(rawValue: "26000")
    /// `42P05`: a prepared statement of that name exists already.
    public static let duplicatePreparedStatement = SQLState(rawValue: "42P05")
    /// `42601`: the SQL text does not parse.
    public static let syntaxError = SQLState(rawValue: "42601")
    /// `42P01`: no such table.
    public static let undefinedTable = SQLState(rawValue: "42P01")
    /// `42703`: no such column.
    public static let undefinedColumn = SQLState(rawValue: "42703")
    /// `57014`: the statement was cancelled (Ctrl-C, a cancel request, `statement_timeout`).
    public static let queryCanceled = SQLState(rawValue: "57014")
    /// `57P01`: the server is shutting down and ended the session.
    public static let adminShutdown = SQLState(rawValue: "57P01")
}

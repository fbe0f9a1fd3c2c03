/// A SQLite result code: a primary code (its low 8 bits) or an extended one that refines it,
/// such as `constraintUnique`, a kind of `constraint`.
///
/// ``DatabaseError`` carries the extended code when SQLite gives one. As a pattern a primary
/// code matches its extended codes too, and an extended code only itself (GRDB's rule):
///
/// ```swift
/// switch error.resultCode {
/// case SQLiteResultCode.constraintForeignKey?: …   // this one constraint
/// case SQLiteResultCode.constraint?: …             // any other constraint
/// default: …
/// }
/// ```
///
/// The numbers are SQLite's, which never change (they are part of its stable C interface);
/// the constants are computed properties so that they fold into the driver's row loop.
/// Related SQLite documentation: <https://www.sqlite.org/rescode.html>
public struct SQLiteResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    @inlinable
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The primary code: the low 8 bits.
    @inlinable
    public var primary: SQLiteResultCode { SQLiteResultCode(rawValue: rawValue & 0xff) }

    public var description: String { String(rawValue) }

    /// Whether `code` is `pattern`, or one of its extended codes when `pattern` is primary.
    @inlinable
    public static func ~= (pattern: SQLiteResultCode, code: SQLiteResultCode) -> Bool {
        pattern == pattern.primary ? pattern == code.primary : pattern == code
    }

    // Primary codes.
    @inlinable public static var ok: SQLiteResultCode { SQLiteResultCode(rawValue: 0) }
    @inlinable public static var error: SQLiteResultCode { SQLiteResultCode(rawValue: 1) }
    @inlinable public static var busy: SQLiteResultCode { SQLiteResultCode(rawValue: 5) }
    @inlinable public static var readOnly: SQLiteResultCode { SQLiteResultCode(rawValue: 8) }
    @inlinable public static var interrupt: SQLiteResultCode { SQLiteResultCode(rawValue: 9) }
    @inlinable public static var full: SQLiteResultCode { SQLiteResultCode(rawValue: 13) }
    @inlinable public static var cantOpen: SQLiteResultCode { SQLiteResultCode(rawValue: 14) }
    @inlinable public static var constraint: SQLiteResultCode { SQLiteResultCode(rawValue: 19) }
    @inlinable public static var misuse: SQLiteResultCode { SQLiteResultCode(rawValue: 21) }
    @inlinable public static var notADatabase: SQLiteResultCode { SQLiteResultCode(rawValue: 26) }
    /// `sqlite3_step` has a row ready.
    @inlinable public static var row: SQLiteResultCode { SQLiteResultCode(rawValue: 100) }
    /// `sqlite3_step` has finished.
    @inlinable public static var done: SQLiteResultCode { SQLiteResultCode(rawValue: 101) }

    // Extended codes of `constraint`.
    @inlinable public static var constraintForeignKey: SQLiteResultCode { SQLiteResultCode(rawValue: 19 | 3 << 8) }
    @inlinable public static var constraintNotNull: SQLiteResultCode { SQLiteResultCode(rawValue: 19 | 5 << 8) }
    @inlinable public static var constraintPrimaryKey: SQLiteResultCode { SQLiteResultCode(rawValue: 19 | 6 << 8) }
    @inlinable public static var constraintUnique: SQLiteResultCode { SQLiteResultCode(rawValue: 19 | 8 << 8) }
}

import SoupDriver

/// The type `soup import --create` gives a column: the narrowest that every value of the
/// column allows.
///
/// | inferred | when every non-NULL value is | PostgreSQL | SQLite |
/// | --- | --- | --- | --- |
/// | boolean | `t`, `f`, `true`, `false` (any case), or JSON `true`/`false` | `boolean` | `BOOLEAN` (stored 1 and 0) |
/// | integer | a canonical integer (no `+`, no leading zeros) within 32 bits | `integer` | `INTEGER` |
/// | bigint | the same within 64 bits | `bigint` | `INTEGER` |
/// | real | a number a double holds exactly as written: on PostgreSQL spelled as it prints the double back (`12.5`, `1e+20`); on SQLite of at most 15 significant digits | `double precision` | `REAL` |
/// | numeric | any other decimal number (`10.00`, 40 digits) | `numeric` | `TEXT`: SQLite has no exact decimal |
/// | date | `YYYY-MM-DD` | `date` | `DATE` |
/// | timestamp | a date and a time, with a space or `T` between (or a date) | `timestamp` | `TIMESTAMP` |
/// | timestamptz | a timestamp with a zone (`Z`, `+05`, `-05:30`) | `timestamptz` | `TEXT` |
/// | uuid | `8-4-4-4-12` hex digits | `uuid` | `TEXT` |
/// | json | a JSON object or array | `json` | `TEXT` |
/// | blob | `\x` and hex digits, as soup prints a blob | `bytea` | `BLOB` |
/// | text | anything else, and a column with no value at all | `text` | `TEXT` |
public enum InferredType: String, Sendable, CaseIterable {
    case boolean, integer, bigint, real, numeric, date, timestamp, timestamptz, uuid, json, blob, text

    /// The column type to declare on `engine`.
    public func declaration(for engine: Dialect.Engine) -> String {
        switch engine {
        case .postgres:
            switch self {
            case .real: return "double precision"
            case .blob: return "bytea"
            default: return rawValue
            }
        case .sqlite:
            switch self {
            case .boolean: return "BOOLEAN"
            case .integer, .bigint: return "INTEGER"
            case .real: return "REAL"
            case .date: return "DATE"
            case .timestamp: return "TIMESTAMP"
            case .blob: return "BLOB"
            case .numeric, .timestamptz, .uuid, .json, .text: return "TEXT"
            }
        }
    }

    /// The order of preference: the first type every value allows wins.
    static let narrowestFirst: [InferredType] = [
        .boolean, .integer, .bigint, .real, .numeric, .date, .timestamp, .timestamptz, .uuid, .json, .blob, .text,
    ]
}

/// Watches every value of one column and narrows the types it could have.
public struct ColumnInference: Sendable {
    private var possible: UInt16
    /// Whether any value was not NULL.
    public private(set) var sawValue = false
    private let engine: Dialect.Engine

    /// Each type's bit: its place in ``InferredType/narrowestFirst``.
    @inline(__always)
    private static func bit(_ type: InferredType) -> UInt16 {
        switch type {
        case .boolean: 1 << 0
        case .integer: 1 << 1
        case .bigint: 1 << 2
        case .real: 1 << 3
        case .numeric: 1 << 4
        case .date: 1 << 5
        case .timestamp: 1 << 6
        case .timestamptz: 1 << 7
        case .uuid: 1 << 8
        case .json: 1 << 9
        case .blob: 1 << 10
        case .text: 1 << 11
        }
    }

    private static let all: UInt16 = (1 << 12) - 1

    public init(engine: Dialect.Engine) {
        self.engine = engine
        possible = Self.all
    }

    /// The narrowest type that every value seen allows.
    public var type: InferredType {
        guard sawValue else { return .text }
        return InferredType.narrowestFirst.first { possible & Self.bit($0) != 0 } ?? .text
    }

    /// Takes one value into account.
    public mutating func observe(_ bytes: UnsafeBufferPointer<UInt8>, kind: FieldKind) {
        switch kind {
        case .null:
            return
        case .boolean:
            possible &= Self.bit(.boolean) | Self.bit(.text)
        case .document:
            possible &= Self.bit(.json) | Self.bit(.text)
        case .number, .text:
            // Only the types still possible are checked: after a few rows most columns have
            // one or two left, and a text column none.
            var allowed = Self.bit(.text)
            let candidates = possible & ~Self.bit(.text)
            if candidates != 0 { allowed |= shapes(of: bytes, among: candidates, isNumber: kind == .number) }
            possible &= allowed
        }
        sawValue = true
    }

    private func shapes(of bytes: UnsafeBufferPointer<UInt8>, among candidates: UInt16, isNumber: Bool) -> UInt16 {
        var allowed: UInt16 = 0
        func wants(_ type: InferredType) -> Bool { candidates & Self.bit(type) != 0 }
        guard let first = bytes.first else { return 0 }
        let numeric = ValueShape.isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: ".")
        if !isNumber, wants(.boolean), ValueShape.strictBoolean(bytes) != nil { allowed |= Self.bit(.boolean) }
        if numeric || isNumber {
            if wants(.integer) || wants(.bigint), let integer = ValueShape.integer(bytes) {
                allowed |= Self.bit(.bigint)
                if integer >= Int64(Int32.min), integer <= Int64(Int32.max) { allowed |= Self.bit(.integer) }
            }
            if wants(.real) || wants(.numeric), ValueShape.isDecimal(bytes), ValueShape.hasPlainStart(bytes) {
                // numeric prints `1e5` as 100000: only plain decimals keep their spelling.
                if !ValueShape.hasExponent(bytes) { allowed |= Self.bit(.numeric) }
                if wants(.real) {
                    switch engine {
                    case .postgres:
                        if ValueShape.isShortFloat8Spelling(bytes) {
                            allowed |= Self.bit(.real)
                        } else if let value = ValueShape.double(bytes), value.isFinite, ValueShape.isFloat8Spelling(bytes, value) {
                            allowed |= Self.bit(.real)
                        }
                    case .sqlite:
                        if ValueShape.significantDigits(bytes) <= 15,
                            !ValueShape.hasExponent(bytes) || ValueShape.double(bytes)?.isFinite == true
                        {
                            allowed |= Self.bit(.real)
                        }
                    }
                }
            }
            if !isNumber, bytes.count >= 10 {
                if wants(.date), ValueShape.isDate(bytes) { allowed |= Self.bit(.date) | Self.bit(.timestamp) }
                if wants(.timestamp), ValueShape.isTimestamp(bytes) { allowed |= Self.bit(.timestamp) }
                if wants(.timestamptz), ValueShape.isTimestampWithZone(bytes) { allowed |= Self.bit(.timestamptz) }
            }
        } else if !isNumber, engine == .postgres, wants(.real), ValueShape.isSpecialNumber(bytes) {
            // NaN and Infinity: a double prints them back alike; numeric reads NaN only.
            allowed |= Self.bit(.real)
        }
        if !isNumber {
            if wants(.uuid), ValueShape.isUUID(bytes) { allowed |= Self.bit(.uuid) }
            if wants(.blob), ValueShape.isHexBlob(bytes) { allowed |= Self.bit(.blob) }
            if wants(.json), engine == .postgres, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == 0x20,
                ValueShape.isJSONDocument(bytes)
            {
                allowed |= Self.bit(.json)
            }
        }
        return allowed
    }
}

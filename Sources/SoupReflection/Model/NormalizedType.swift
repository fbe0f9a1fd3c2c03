import SoupDriver

/// A column type reduced to what both engines agree on, so SQLite and PostgreSQL schemas can be
/// compared and code can reason about values without parsing type names.
///
/// Rules (the same parser reads SQLite declared types and PostgreSQL's `format_type` output;
/// names are case-insensitive):
///
/// | declared type | normalised |
/// | --- | --- |
/// | `int`, `integer`, `int2/4/8`, `smallint`, `bigint`, `tinyint`, `mediumint`, `serial`, `bigserial`, `smallserial` | `integer` |
/// | `real`, `float`, `float4/8`, `double`, `double precision` | `real` |
/// | `numeric(p,s)`, `decimal(p,s)` | `decimal(p,s)` (or `decimal`) |
/// | `text`, `varchar(n)`, `character varying(n)`, `char(n)`, `character(n)`, `bpchar`, `nchar`, `nvarchar`, `clob`, `citext`, `name` | `text(n)` (or `text`) |
/// | `blob`, `bytea` | `blob` |
/// | `bool`, `boolean` | `boolean` |
/// | `date` | `date` |
/// | `time`, `timetz`, `time with[out] time zone` | `time` |
/// | `datetime`, `timestamp`, `timestamp without time zone` | `timestamp` |
/// | `timestamptz`, `timestamp with time zone` | `timestamptz` |
/// | `interval`, `uuid`, `json`/`jsonb` | `interval`, `uuid`, `json` |
/// | `T[]` (PostgreSQL arrays) | `array` of `T`, written `T[]` |
/// | no declared type (SQLite) | `any` |
///
/// Anything else on SQLite follows SQLite's affinity rules (a name containing `INT` is
/// `integer`; `CHAR`, `CLOB` or `TEXT` is `text`; `BLOB` is `blob`; `REAL`, `FLOA` or `DOUB` is
/// `real`; the rest is `decimal`). On PostgreSQL it stays ``other(_:)`` with the type's name,
/// except domains, which normalise as their base type.
public indirect enum NormalizedType: Hashable, Sendable {
    case integer
    case real
    /// An exact decimal, with its precision and scale when declared.
    case decimal(precision: Int?, scale: Int?)
    /// Character data, with its declared maximum (or fixed) length.
    case text(length: Int?)
    case blob
    case boolean
    case date
    /// A time of day, with or without a zone.
    case time
    /// A timestamp without time zone (SQLite's `datetime` too).
    case timestamp
    /// A timestamp with time zone.
    case timestampWithTimeZone
    case interval
    case uuid
    /// `json` or `jsonb`.
    case json
    /// A PostgreSQL array of the element type.
    case array(NormalizedType)
    /// No declared type: a SQLite column that takes any value.
    case any
    /// A type with no portable meaning (PostgreSQL `inet`, enums, ranges), by its name.
    case other(String)

    /// Normalises a declared type as `engine` reads it.
    public init(declared: String, engine: Dialect.Engine) {
        let spelling = Self.collapseSpaces(declared.lowercased())
        if spelling.isEmpty {
            self = engine == .sqlite ? .any : .other("")
            return
        }
        if spelling.hasSuffix("[]") {
            let element = String(spelling.dropLast(2)).trimmingSpaces()
            self = .array(NormalizedType(declared: element, engine: engine))
            return
        }
        let (base, arguments) = Self.splitArguments(spelling)
        if let known = Self.known(base: base, arguments: arguments) {
            self = known
        } else if engine == .sqlite {
            self = Self.affinity(of: base)
        } else {
            self = .other(declared)
        }
    }

    /// The short spelling used in output and JSON: `integer`, `text(32)`, `decimal(10,2)`,
    /// `timestamptz`, `integer[]`.
    public var name: String {
        switch self {
        case .integer: return "integer"
        case .real: return "real"
        case .decimal(let precision?, let scale?): return "decimal(\(precision),\(scale))"
        case .decimal(let precision?, nil): return "decimal(\(precision))"
        case .decimal: return "decimal"
        case .text(let length?): return "text(\(length))"
        case .text: return "text"
        case .blob: return "blob"
        case .boolean: return "boolean"
        case .date: return "date"
        case .time: return "time"
        case .timestamp: return "timestamp"
        case .timestampWithTimeZone: return "timestamptz"
        case .interval: return "interval"
        case .uuid: return "uuid"
        case .json: return "json"
        case .array(let element): return element.name + "[]"
        case .any: return "any"
        case .other(let name): return name
        }
    }

    private static func known(base: String, arguments: [Int]) -> NormalizedType? {
        switch base {
        case "int", "integer", "int2", "int4", "int8", "smallint", "bigint", "tinyint", "mediumint",
            "serial", "serial4", "serial8", "bigserial", "smallserial", "serial2", "unsigned big int":
            return .integer
        case "real", "float", "float4", "float8", "double", "double precision":
            return .real
        case "numeric", "decimal":
            return .decimal(precision: arguments.first, scale: arguments.count > 1 ? arguments[1] : nil)
        case "text", "varchar", "character varying", "char", "character", "bpchar", "nchar",
            "nvarchar", "native character", "varying character", "clob", "citext", "name":
            return .text(length: arguments.first)
        case "blob", "bytea": return .blob
        case "bool", "boolean": return .boolean
        case "date": return .date
        case "time", "timetz", "time without time zone", "time with time zone": return .time
        case "datetime", "timestamp", "timestamp without time zone": return .timestamp
        case "timestamptz", "timestamp with time zone": return .timestampWithTimeZone
        case "uuid": return .uuid
        case "json", "jsonb": return .json
        default:
            return base.hasPrefix("interval") ? .interval : nil
        }
    }

    /// SQLite's rules for the affinity of a declared type (https://sqlite.org/datatype3.html).
    private static func affinity(of base: String) -> NormalizedType {
        if base.contains("int") { return .integer }
        if base.contains("char") || base.contains("clob") || base.contains("text") { return .text(length: nil) }
        if base.contains("blob") { return .blob }
        if base.contains("real") || base.contains("floa") || base.contains("doub") { return .real }
        return .decimal(precision: nil, scale: nil)
    }

    /// Takes the first parenthesised list of integers out of the spelling:
    /// `timestamp(3) with time zone` gives `timestamp with time zone` and `[3]`.
    private static func splitArguments(_ spelling: String) -> (String, [Int]) {
        guard let open = spelling.firstIndex(of: "("),
            let close = spelling[open...].firstIndex(of: ")")
        else { return (spelling, []) }
        let arguments = spelling[spelling.index(after: open)..<close]
            .split(separator: ",")
            .compactMap { Int($0.trimmingSpaces()) }
        let base = collapseSpaces(String(spelling[..<open]) + " " + String(spelling[spelling.index(after: close)...]))
        return (base, arguments)
    }

    /// Runs of spaces, tabs and newlines as one space, none at either end. A loop rather than
    /// `split` and `joined`, whose generic witnesses a first use looks up at run time.
    private static func collapseSpaces(_ text: String) -> String {
        var collapsed = ""
        var spaced = false
        for character in text {
            if character == " " || character == "\t" || character == "\n" {
                spaced = !collapsed.isEmpty
            } else {
                if spaced { collapsed.append(" ") }
                spaced = false
                collapsed.append(character)
            }
        }
        return collapsed
    }
}

extension NormalizedType: CustomStringConvertible {
    public var description: String { name }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

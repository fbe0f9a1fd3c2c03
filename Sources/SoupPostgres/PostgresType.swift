import SoupDriver

/// A PostgreSQL type OID, with the built-in types soup decodes by name.
///
/// The constants are the fixed OIDs of `pg_type` (they never change between server versions).
struct PostgresType: RawRepresentable, Hashable, Sendable {
    let rawValue: UInt32

    init(rawValue: UInt32) { self.rawValue = rawValue }

    static let bool = PostgresType(rawValue: 16)
    static let bytea = PostgresType(rawValue: 17)
    static let char = PostgresType(rawValue: 18)
    static let name = PostgresType(rawValue: 19)
    static let int8 = PostgresType(rawValue: 20)
    static let int2 = PostgresType(rawValue: 21)
    static let int4 = PostgresType(rawValue: 23)
    static let text = PostgresType(rawValue: 25)
    static let oid = PostgresType(rawValue: 26)
    static let json = PostgresType(rawValue: 114)
    static let float4 = PostgresType(rawValue: 700)
    static let float8 = PostgresType(rawValue: 701)
    static let unknown = PostgresType(rawValue: 705)
    static let bpchar = PostgresType(rawValue: 1042)
    static let varchar = PostgresType(rawValue: 1043)
    static let date = PostgresType(rawValue: 1082)
    static let time = PostgresType(rawValue: 1083)
    static let timestamp = PostgresType(rawValue: 1114)
    static let timestamptz = PostgresType(rawValue: 1184)
    static let interval = PostgresType(rawValue: 1186)
    static let timetz = PostgresType(rawValue: 1266)
    static let numeric = PostgresType(rawValue: 1700)
    static let uuid = PostgresType(rawValue: 2950)
    static let jsonb = PostgresType(rawValue: 3802)

    /// How values of a type are decoded from their text form.
    enum Decoding: Hashable, Sendable {
        case bool, integer, real, numeric, text, bytea
        case date, time, timestamp, timestampTZ, interval, uuid, json
        /// An array whose elements decode as the given scalar decoding.
        indirect case array(of: Decoding, delimiter: Character)
        case other
    }

    /// Built-in scalar types: name and decoding.
    private static let scalars: [UInt32: (String, Decoding)] = [
        16: ("bool", .bool), 17: ("bytea", .bytea), 18: ("char", .text), 19: ("name", .text),
        20: ("int8", .integer), 21: ("int2", .integer), 23: ("int4", .integer), 25: ("text", .text),
        26: ("oid", .integer), 114: ("json", .json), 142: ("xml", .other), 600: ("point", .other),
        650: ("cidr", .other), 700: ("float4", .real), 701: ("float8", .real),
        705: ("unknown", .text), 774: ("macaddr8", .other), 790: ("money", .other),
        829: ("macaddr", .other), 869: ("inet", .other), 1033: ("aclitem", .other),
        1042: ("bpchar", .text), 1043: ("varchar", .text), 1082: ("date", .date),
        1083: ("time", .time), 1114: ("timestamp", .timestamp),
        1184: ("timestamptz", .timestampTZ), 1186: ("interval", .interval),
        1266: ("timetz", .time), 1560: ("bit", .other), 1562: ("varbit", .other),
        1700: ("numeric", .numeric), 2205: ("regclass", .text), 2206: ("regtype", .text),
        2950: ("uuid", .uuid), 3220: ("pg_lsn", .other), 3614: ("tsvector", .other),
        3615: ("tsquery", .other), 3802: ("jsonb", .json), 4072: ("jsonpath", .other),
        24: ("regproc", .text), 28: ("xid", .integer), 194: ("pg_node_tree", .text),
    ]

    /// Built-in array types: array OID to element OID.
    private static let arrays: [UInt32: UInt32] = [
        1000: 16, 1001: 17, 1002: 18, 1003: 19, 1016: 20, 1005: 21, 1007: 23, 1009: 25, 1028: 26,
        199: 114, 1021: 700, 1022: 701, 1014: 1042, 1015: 1043, 1182: 1082, 1183: 1083,
        1115: 1114, 1185: 1184, 1187: 1186, 1270: 1266, 1231: 1700, 2951: 2950, 3807: 3802,
        1041: 869, 651: 650, 143: 142, 791: 790,
    ]

    /// A user-defined type learned from the catalog (enum, domain, range, or an array of one).
    struct Custom: Sendable {
        var name: String
        var decoding: Decoding
    }

    /// The type's name and decoding, consulting `custom` for OIDs that are not built in.
    static func describe(_ oid: UInt32, custom: [UInt32: Custom]) -> (name: String, decoding: Decoding) {
        if let scalar = scalars[oid] { return scalar }
        if let element = arrays[oid] {
            let (name, decoding) = scalars[element] ?? ("oid \(element)", .other)
            return ("_" + name, .array(of: decoding, delimiter: ","))
        }
        if let type = custom[oid] { return (type.name, type.decoding) }
        return ("oid \(oid)", .other)
    }

    /// The decoding for a type OID alone (used for domains' base types).
    static func decoding(of oid: UInt32, custom: [UInt32: Custom]) -> Decoding {
        describe(oid, custom: custom).decoding
    }
}

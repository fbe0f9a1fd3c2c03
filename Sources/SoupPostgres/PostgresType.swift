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

    /// Built-in scalar types: name and decoding. (Switches, not dictionaries: the first
    /// dictionary keyed by a type costs a scan of every protocol conformance in the binary.)
    private static func scalar(_ oid: UInt32) -> (String, Decoding)? {
        switch oid {
        case 16: ("bool", .bool)
        case 17: ("bytea", .bytea)
        case 18: ("char", .text)
        case 19: ("name", .text)
        case 20: ("int8", .integer)
        case 21: ("int2", .integer)
        case 23: ("int4", .integer)
        case 24: ("regproc", .text)
        case 25: ("text", .text)
        case 26: ("oid", .integer)
        case 28: ("xid", .integer)
        case 114: ("json", .json)
        case 142: ("xml", .other)
        case 194: ("pg_node_tree", .text)
        case 600: ("point", .other)
        case 650: ("cidr", .other)
        case 700: ("float4", .real)
        case 701: ("float8", .real)
        case 705: ("unknown", .text)
        case 774: ("macaddr8", .other)
        case 790: ("money", .other)
        case 829: ("macaddr", .other)
        case 869: ("inet", .other)
        case 1033: ("aclitem", .other)
        case 1042: ("bpchar", .text)
        case 1043: ("varchar", .text)
        case 1082: ("date", .date)
        case 1083: ("time", .time)
        case 1114: ("timestamp", .timestamp)
        case 1184: ("timestamptz", .timestampTZ)
        case 1186: ("interval", .interval)
        case 1266: ("timetz", .time)
        case 1560: ("bit", .other)
        case 1562: ("varbit", .other)
        case 1700: ("numeric", .numeric)
        case 2205: ("regclass", .text)
        case 2206: ("regtype", .text)
        case 2950: ("uuid", .uuid)
        case 3220: ("pg_lsn", .other)
        case 3614: ("tsvector", .other)
        case 3615: ("tsquery", .other)
        case 3802: ("jsonb", .json)
        case 4072: ("jsonpath", .other)
        default: nil
        }
    }

    /// Built-in array types: the element OID of an array OID.
    private static func arrayElement(_ oid: UInt32) -> UInt32? {
        switch oid {
        case 143: 142
        case 199: 114
        case 651: 650
        case 791: 790
        case 1000: 16
        case 1001: 17
        case 1002: 18
        case 1003: 19
        case 1005: 21
        case 1007: 23
        case 1009: 25
        case 1014: 1042
        case 1015: 1043
        case 1016: 20
        case 1021: 700
        case 1022: 701
        case 1028: 26
        case 1041: 869
        case 1115: 1114
        case 1182: 1082
        case 1183: 1083
        case 1185: 1184
        case 1187: 1186
        case 1231: 1700
        case 1270: 1266
        case 2951: 2950
        case 3807: 3802
        default: nil
        }
    }

    struct Custom: Sendable {
        var name: String
        var decoding: Decoding
    }

    /// The type's name and decoding, consulting `custom` for OIDs that are not built in.
    static func describe(_ oid: UInt32, custom: [UInt32: Custom]) -> (name: String, decoding: Decoding) {
        if let scalar = scalar(oid) { return scalar }
        if let element = arrayElement(oid) {
            let (name, decoding) = scalar(element) ?? ("oid \(element)", .other)
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

import SoupDriver

/// Enums, domains, ranges and multiranges, so that their values (and arrays of them) decode by
/// their base types.
///
/// Read with one scan of `pg_type` (each row's `typarray` is its array type), which on a fresh
/// server session costs about 2 ms, as much as all the catalog queries of a first entity access
/// together. So a connection reads them only once a result has a column of such a type: the
/// first statements are described before they run (a Describe in the round trip of their
/// Parse; a statement kept prepared is described when it is prepared), a batch's results are
/// decoded after its round trip, and statements that return no rows (`BEGIN`, `SET`, …) need
/// nothing. After ``describesPerSession`` statements the types are read anyway, so that a long
/// script does not pay a round trip per statement.
enum PostgresCustomTypes {
    /// How many statements a session describes before it reads the types instead.
    static let describesPerSession = 4

    static let query = """
        SELECT oid::int8, typname::text, typtype::text, typbasetype::int8, typarray::int8
        FROM pg_catalog.pg_type WHERE oid >= 16384 AND typtype IN ('e', 'd', 'r', 'm')
        """

    /// The types the rows of ``query`` list, by OID.
    static func types(from rows: [[Value]]) -> [UInt32: PostgresType.Custom] {
        /// A type as listed: its name, kind (`a` for an array) and the type it decodes through
        /// (a domain's base type, an array's element type).
        var listed: [UInt32: (name: String, kind: String, via: UInt32)] = [:]
        for row in rows {
            guard case .integer(let oid) = row[0], case .text(let name) = row[1], case .text(let kind) = row[2],
                case .integer(let base) = row[3], case .integer(let array) = row[4]
            else { continue }
            listed[UInt32(oid)] = (name, kind, UInt32(base))
            if array != 0 { listed[UInt32(array)] = ("_" + name, "a", UInt32(oid)) }
        }
        var custom: [UInt32: PostgresType.Custom] = [:]
        /// A domain may be over an enum, another domain or an array, listed in any order.
        func decoding(of oid: UInt32) -> PostgresType.Decoding {
            if let known = custom[oid] { return known.decoding }
            guard let type = listed[oid] else { return PostgresType.decoding(of: oid, custom: [:]) }
            let result: PostgresType.Decoding
            switch type.kind {
            case "d": result = decoding(of: type.via)
            case "a": result = .array(of: decoding(of: type.via), delimiter: ",")
            default: result = .text
            }
            custom[oid] = .init(name: type.name, decoding: result)
            return result
        }
        for oid in listed.keys { _ = decoding(of: oid) }
        return custom
    }

    /// Whether `sql` is a statement that returns no rows, so needs no types: transaction control
    /// and `SET`/`RESET`, by their first word.
    static func returnsNoRows(_ sql: String) -> Bool {
        var word: [UInt8] = []
        for byte in sql.utf8 {
            if word.isEmpty, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { continue }
            guard (byte | 0x20) >= 0x61, (byte | 0x20) <= 0x7A, word.count < 10 else { break }
            word.append(byte & ~0x20)
        }
        switch String(decoding: word, as: UTF8.self) {
        case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "SET", "RESET": return true
        default: return false
        }
    }
}

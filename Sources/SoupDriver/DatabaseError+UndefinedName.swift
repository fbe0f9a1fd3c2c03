extension DatabaseError {
    /// A table or column that a statement named and the database does not have.
    public struct UndefinedName: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case table
            case column
        }

        public var kind: Kind
        /// The name as the error gives it: `artst`, `main.artst`, `u.nme` (qualifier first).
        public var name: String

        public init(_ kind: Kind, _ name: String) {
            self.kind = kind
            self.name = name
        }
    }

    /// The table or column this error says does not exist: PostgreSQL's `undefined_table`
    /// (`relation "x" does not exist`) and `undefined_column` (`column "x" does not exist`,
    /// `column u.x does not exist`) by SQLSTATE; SQLite's `no such table: x` and
    /// `no such column: x`, which come with the plain `SQLITE_ERROR` code and are told apart by
    /// their message.
    public var undefinedName: UndefinedName? {
        if let sqlState {
            let kind: UndefinedName.Kind
            switch sqlState {
            case SQLState.undefinedTable: kind = .table
            case SQLState.undefinedColumn: kind = .column
            default: return nil
            }
            return Self.quotedOrBareName(in: message).map { UndefinedName(kind, $0) }
        }
        guard let resultCode, SQLiteResultCode.error ~= resultCode else { return nil }
        for (prefix, kind) in [("no such table: ", UndefinedName.Kind.table), ("no such column: ", .column)] {
            guard message.hasPrefix(prefix) else { continue }
            let name = message.dropFirst(prefix.count).trimmingWhitespace()
            return name.isEmpty ? nil : UndefinedName(kind, name)
        }
        return nil
    }

    /// `relation "x" does not exist` gives `x`; `column "x" of relation "t" does not exist`
    /// gives `x`; `column u.x does not exist` gives `u.x`.
    private static func quotedOrBareName(in message: String) -> String? {
        guard let end = message.firstRange(of: " does not exist") else { return nil }
        let head = message[..<end.lowerBound]
        if let open = head.firstIndex(of: "\"") {
            let rest = head[head.index(after: open)...]
            guard let close = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<close])
        }
        guard let space = head.lastIndex(of: " ") else { return nil }
        let name = head[head.index(after: space)...]
        return name.isEmpty ? nil : String(name)
    }
}

import CLibPQ
import SoupDriver

extension PostgresConnection {
    /// The columns `sql` would return, from a Parse and Describe of the unnamed statement in
    /// one round trip (after a pending `BEGIN`); nothing runs.
    public func describe(_ sql: String) throws -> [DescribedColumn] {
        try DatabaseError.checkNoNULByte(in: sql)
        try prepareToSend(foldingBegin: true)
        var described: [(name: String, oid: UInt32, modifier: Int)] = []
        let needsTypes = try prepareStatement("", sql: sql, types: [], describing: true) { result in
            described = (0..<result.columnCount).map { column in
                (result.columnName(column), result.columnType(column), result.columnTypeModifier(column))
            }
        }
        if needsTypes { try loadCustomTypes() }
        return described.map { column in
            DescribedColumn(
                name: column.name, typeName: PostgresType.describe(column.oid, custom: customTypes).name,
                typeOID: column.oid, typeModifier: column.modifier)
        }
    }
}

/// A column of a statement's result, read from the statement's description before it runs.
///
/// What reflecting a table from its `SELECT *` needs: on PostgreSQL the type's OID and modifier,
/// so that `varchar(32)` can be spelled as the server spells it. A domain is described by its
/// base type, as its values come.
public struct DescribedColumn: Hashable, Sendable {
    /// The column's name as the result reports it.
    public var name: String
    /// The type as ``ColumnDescription/typeName`` names it: PostgreSQL's type name (`int4`,
    /// `_text`), SQLite's declared type.
    public var typeName: String
    /// PostgreSQL's type OID; 0 on SQLite.
    public var typeOID: UInt32
    /// PostgreSQL's type modifier (36 for `varchar(32)`); -1 when the type has none, and on SQLite.
    public var typeModifier: Int

    public init(name: String, typeName: String, typeOID: UInt32 = 0, typeModifier: Int = -1) {
        self.name = name
        self.typeName = typeName
        self.typeOID = typeOID
        self.typeModifier = typeModifier
    }
}

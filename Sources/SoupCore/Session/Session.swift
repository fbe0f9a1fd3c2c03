import SoupDriver

/// The unit of work: an identity map of loaded rows (SPEC §3.2).
///
/// Loading a row whose identity is already mapped returns the mapped object and keeps its
/// attributes as they are, so re-querying never overwrites what the program holds.
public struct Session {
    /// An entity and the identity values of one of its rows.
    struct IdentityKey: Hashable {
        var entity: ObjectIdentifier
        var values: [Value]
    }

    private var identityMap: [IdentityKey: Row] = [:]

    /// The number of rows in the identity map.
    public var loadedCount: Int { identityMap.count }

    /// The row for values read by a SELECT of `entity`, from the identity map when mapped.
    mutating func load(_ entity: Entity, values: [Value]) -> Row {
        var attributeValues = values
        var rowID: Int64?
        if entity.usesRowID, case .integer(let id)? = attributeValues.popLast() {
            rowID = id
        }
        let row = Row(entity: entity, values: attributeValues, rowID: rowID, state: .persistent)
        guard entity.usesRowID || !entity.identity.isEmpty else { return row }
        let key = IdentityKey(entity: ObjectIdentifier(entity), values: row.identity)
        if let existing = identityMap[key] { return existing }
        identityMap[key] = row
        return row
    }

    /// The mapped row of `entity` with identity `values`, if it is loaded.
    func lookup(_ entity: Entity, identity values: [Value]) -> Row? {
        identityMap[IdentityKey(entity: ObjectIdentifier(entity), values: values)]
    }
}

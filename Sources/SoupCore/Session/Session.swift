import SoupDriver

/// The unit of work (soup-language(7), WRITES AND THE SESSION): an identity map of loaded rows,
/// plus the rows to insert, update and delete at the next flush.
///
/// Loading a row whose identity is already mapped returns the mapped object and keeps its
/// attributes as they are, so re-querying never overwrites what the program holds.
public struct Session {
    /// An entity and the identity values of one of its rows.
    struct IdentityKey: Hashable {
        var entity: ObjectIdentifier
        var values: [Value]
    }

    /// Loaded rows, held weakly as SQLAlchemy's identity map is: a row nobody holds (no variable,
    /// no pending change) is let go, so a long script does not keep every row it touched.
    private var identityMap = WeakRowMap()
    /// Rows of entities whose identity is unread (``Entity/isIdentityPending``), mapped once it
    /// is read (``mapUnkeyedRows(of:)``); released ones are dropped as the list grows.
    private var unkeyedRows: [WeakRow] = []
    private var unkeyedCompactionThreshold = 1024
    /// Rows created with `insert()`, in creation order.
    private(set) var pending: [Row] = []
    /// Persistent rows with assigned attributes, in the order they were first changed.
    private(set) var dirty: [Row] = []
    private var dirtyIDs: Set<ObjectIdentifier> = []
    /// Rows marked with `db.delete`, in the order they were marked.
    private(set) var deleted: [Row] = []
    /// Rows this transaction inserted: a rollback forgets them.
    private var insertedInTransaction: [WeakRow] = []
    /// Ticks at each commit and rollback, expiring every loaded row at once.
    let clock = ExpiryClock()

    /// The number of rows in the identity map.
    public var loadedCount: Int { identityMap.count }

    /// Whether the next flush has work to do.
    public var hasChanges: Bool {
        !pending.isEmpty || !deleted.isEmpty || dirty.contains(where: \.hasChangedAttributes)
    }

    /// The row for values read by a SELECT of `entity`, from the identity map when mapped.
    mutating func load(_ entity: Entity, values: [Value]) -> Row {
        var attributeValues = values
        var rowID: Int64?
        if entity.usesRowID, case .integer(let id)? = attributeValues.popLast() {
            rowID = id
        }
        let row = Row(entity: entity, values: attributeValues, rowID: rowID, state: .persistent, clock: clock)
        if entity.isIdentityPending {
            unkeyedRows.append(WeakRow(row))
            if unkeyedRows.count >= unkeyedCompactionThreshold {
                unkeyedRows.removeAll { $0.row == nil }
                unkeyedCompactionThreshold = max(1024, unkeyedRows.count * 2)
            }
            return row
        }
        guard entity.usesRowID || !entity.identity.isEmpty else { return row }
        let key = IdentityKey(entity: ObjectIdentifier(entity), values: row.identity)
        if let existing = identityMap[key] {
            if existing.isExpired { existing.reload(attributeValues) }
            return existing
        }
        identityMap[key] = row
        return row
    }

    /// Maps the rows of `entity` read before its identity, now that it is read.
    mutating func mapUnkeyedRows(of entity: Entity) {
        var waiting: [WeakRow] = []
        for weak in unkeyedRows {
            guard let row = weak.row else { continue }
            if row.entity !== entity {
                waiting.append(weak)
            } else if row.state == .persistent {
                register(row)
            }
        }
        unkeyedRows = waiting
    }

    /// The mapped row of `entity` with identity `values`, if it is loaded.
    func lookup(_ entity: Entity, identity values: [Value]) -> Row? {
        identityMap[IdentityKey(entity: ObjectIdentifier(entity), values: values)]
    }

    /// Every loaded row of `entity`.
    func loadedRows(of entity: Entity) -> [Row] {
        identityMap.rows.filter { $0.entity === entity }
    }

    // MARK: Changes

    mutating func add(_ row: Row) {
        pending.append(row)
    }

    mutating func markDirty(_ row: Row) {
        if row.state == .persistent, dirtyIDs.insert(ObjectIdentifier(row)).inserted { dirty.append(row) }
    }

    /// Marks a row for deletion; a pending row is simply forgotten.
    mutating func delete(_ row: Row) {
        switch row.state {
        case .pending:
            forget(row)
        case .persistent:
            row.state = .deleted
            deleted.append(row)
        case .deleted, .detached:
            break
        }
    }

    /// Records that a pending row was inserted and maps it. (``finishFlush(complete:)`` tidies the lists.)
    mutating func inserted(_ row: Row) {
        row.state = .persistent
        register(row)
        insertedInTransaction.append(WeakRow(row))
    }

    /// Records that a row's values were written; re-keys it when its identity changed.
    mutating func updated(_ row: Row, previousIdentity: [Value]) {
        guard previousIdentity != row.identity else { return }
        identityMap[IdentityKey(entity: ObjectIdentifier(row.entity), values: previousIdentity)] = nil
        register(row)
    }

    /// Records that a deleted row is gone from the database.
    mutating func removed(_ row: Row) {
        let key = IdentityKey(entity: ObjectIdentifier(row.entity), values: row.storedIdentity)
        if identityMap[key] === row { identityMap[key] = nil }
        row.state = .detached
    }

    /// After a flush: drops written rows from the change lists, in one pass. A `complete` flush
    /// wrote every pending, changed and deleted row (a row changed and then deleted is deleted),
    /// so the lists are emptied without asking each row.
    mutating func finishFlush(complete: Bool) {
        if complete {
            pending.removeAll()
            deleted.removeAll()
            dirty.removeAll()
            dirtyIDs.removeAll()
            return
        }
        pending.removeAll { $0.state != .pending }
        deleted.removeAll { $0.state != .deleted }
        dirty.removeAll { $0.state != .persistent || !$0.hasChangedAttributes }
        dirtyIDs = Set(dirty.map(ObjectIdentifier.init))
    }

    private mutating func register(_ row: Row) {
        guard row.entity.usesRowID || !row.entity.identity.isEmpty else { return }
        identityMap[IdentityKey(entity: ObjectIdentifier(row.entity), values: row.identity)] = row
    }

    /// Forgets one row (`expunge`): it is no longer tracked, and a pending row is never inserted.
    mutating func forget(_ row: Row) {
        pending.removeAll { $0 === row }
        dirty.removeAll { $0 === row }
        dirtyIDs.remove(ObjectIdentifier(row))
        deleted.removeAll { $0 === row }
        insertedInTransaction.removeAll { $0.row === row }
        row.state = .detached
        // A row read before its identity is not mapped; detached, it will not be.
        guard !row.entity.isIdentityPending else { return }
        let key = IdentityKey(entity: ObjectIdentifier(row.entity), values: row.identity)
        if identityMap[key] === row { identityMap[key] = nil }
    }

    /// Forgets every row (`expunge_all`).
    mutating func forgetAll() {
        for row in identityMap.rows + unkeyedRows.compactMap(\.row) + pending + deleted { row.state = .detached }
        identityMap.removeAll()
        unkeyedRows.removeAll()
        pending.removeAll()
        dirty.removeAll()
        dirtyIDs.removeAll()
        deleted.removeAll()
        insertedInTransaction.removeAll()
    }

    /// After a commit: every loaded row re-reads its values on next use.
    mutating func committed() {
        insertedInTransaction.removeAll()
        clock.tick()
    }

    /// Where the session stood when a savepoint was taken.
    public struct Marker: Sendable {
        let insertedCount: Int
        /// How many writes the soup had recorded as sent in the transaction.
        var writesSent = 0
    }

    /// The session's state now, to roll back to with ``rolledBack(to:)``.
    func marker() -> Marker {
        Marker(insertedCount: insertedInTransaction.count)
    }

    /// After `ROLLBACK TO SAVEPOINT`: rows pending or inserted since `marker` are forgotten, rows
    /// marked for deletion come back, changed rows revert, and every loaded row re-reads its
    /// values on next use.
    mutating func rolledBack(to marker: Marker) {
        let insertedSince = insertedInTransaction.dropFirst(marker.insertedCount).compactMap(\.row)
        for row in pending + insertedSince { forget(row) }
        for row in deleted { row.state = .persistent }
        deleted.removeAll()
        for row in dirty { row.revert() }
        dirty.removeAll()
        dirtyIDs.removeAll()
        clock.tick()
    }

    /// After a rollback: pending rows and rows inserted by this transaction are forgotten, rows
    /// marked for deletion come back, and every loaded row re-reads its values on next use.
    mutating func rolledBack() {
        rolledBack(to: Marker(insertedCount: 0))
    }
}

/// Counts a session's commits and rollbacks. A loaded row whose values were read before the
/// last one is expired (``Row/isExpired``): a commit does not visit every loaded row (10,000
/// rows after a flush of 10,000 cost a pass over memory that was no longer cached).
final class ExpiryClock {
    private(set) var now = 0

    func tick() {
        now &+= 1
    }
}

/// A weak reference to a row.
struct WeakRow {
    weak var row: Row?

    init(_ row: Row) { self.row = row }
}

/// The identity map's storage: rows by identity, held weakly, compacted as it grows.
struct WeakRowMap {
    private var storage: [Session.IdentityKey: WeakRow] = [:]
    /// When the storage reaches this size, entries of released rows are dropped.
    private var compactionThreshold = 1024

    /// Rows still alive.
    var rows: [Row] { storage.values.compactMap(\.row) }

    var count: Int { storage.count }

    subscript(key: Session.IdentityKey) -> Row? {
        get { storage[key]?.row }
        set {
            if let newValue {
                storage[key] = WeakRow(newValue)
                if storage.count >= compactionThreshold { compact() }
            } else {
                storage[key] = nil
            }
        }
    }

    mutating func removeAll() {
        storage.removeAll()
    }

    private mutating func compact() {
        storage = storage.filter { $0.value.row != nil }
        compactionThreshold = max(1024, storage.count * 2)
    }
}

import SoupDriver

/// One row of an entity, as the session tracks it: SQLSoup's mapped instance.
///
/// Rows have identity: the session keeps one object per (entity, key), so loading the same row
/// twice gives the same object.
public final class Row {
    /// Where a row stands in the session.
    public enum State: Sendable {
        /// Created with `insert()`; INSERTed at the next flush.
        case pending
        /// Loaded from (or flushed to) the database.
        case persistent
        /// Marked with `db.delete(row)`; DELETEd at the next flush.
        case deleted
        /// Forgotten by the session (`expunge`).
        case detached
    }

    public let entity: Entity
    /// Current values, in the order of the entity's attributes.
    public internal(set) var values: [Value]
    /// Values as last read from or written to the database.
    var storedValues: [Value]
    /// SQLite's rowid, for entities whose identity is the rowid.
    var rowID: Int64?
    public internal(set) var state: State
    /// For a pending row, the attributes given to `insert()`; the others keep their defaults.
    var assigned: Set<Int> = []
    /// The session's count of commits and rollbacks, and its value when the values were read.
    private let clock: ExpiryClock
    private var readAt: Int
    /// Expired by itself, not by a commit or rollback (a bulk `update()` it could not follow).
    private var expiredAlone = false

    init(entity: Entity, values: [Value], rowID: Int64? = nil, state: State, clock: ExpiryClock) {
        self.entity = entity
        self.values = values
        self.storedValues = values
        self.rowID = rowID
        self.state = state
        self.clock = clock
        readAt = clock.now
    }

    /// Whether the values are read again before they are next used: set after a commit or
    /// rollback for the rows the identity map holds (those of a table with a key), counted by
    /// the session's clock rather than marked on each row.
    var isExpired: Bool {
        get {
            expiredAlone
                || (clock.now != readAt && !entity.isIdentityPending && (entity.usesRowID || !entity.identity.isEmpty))
        }
        set {
            expiredAlone = newValue
            if !newValue { readAt = clock.now }
        }
    }

    /// Whether a commit or rollback came since the values were read.
    var wasReadBeforeLastTransactionEnd: Bool { clock.now != readAt }

    /// Takes freshly read values (a refresh, or a query over an expired row).
    func reload(_ fresh: [Value]) {
        values = fresh
        storedValues = fresh
        isExpired = false
    }

    /// Drops unflushed attribute changes.
    func revert() {
        values = storedValues
    }

    /// Sets attribute `index`: tracked as a change of a stored row, or an assigned value of a
    /// pending one.
    func set(_ value: Value, at index: Int) {
        values[index] = value
        if state == .pending { assigned.insert(index) }
    }

    /// The identity as stored in the database (before unflushed key changes).
    var storedIdentity: [Value] {
        if entity.usesRowID { return [rowID.map(Value.integer) ?? .null] }
        return entity.identityIndexes.map { storedValues[$0] }
    }

    /// The identity values: the primary key, or the rowid.
    var identity: [Value] {
        if entity.usesRowID { return [rowID.map(Value.integer) ?? .null] }
        return entity.identityIndexes.map { values[$0] }
    }

    /// The value of attribute `name`.
    public func value(of name: String) -> Value? {
        entity.attributes.firstIndex { $0.name == name }.map { values[$0] }
    }

    /// Attributes changed since they were stored, in table order.
    var changedAttributes: [Int] {
        Row.changed(from: storedValues, to: values)
    }

    /// The attributes whose `values` differ from the `stored` ones.
    static func changed(from stored: [Value], to values: [Value]) -> [Int] {
        values.withUnsafeBufferPointer { current in
            stored.withUnsafeBufferPointer { stored in current.indices.filter { !same(current[$0], stored[$0]) } }
        }
    }

    /// Whether the attributes whose `values` differ from the `stored` ones are exactly `indexes`
    /// (ascending): a flush asks it with the row before's list, which most rows share, and so
    /// builds no list for them.
    static func changed(from stored: [Value], to values: [Value], exactly indexes: [Int]) -> Bool {
        values.withUnsafeBufferPointer { current in
            stored.withUnsafeBufferPointer { stored in
                var next = 0
                for index in current.indices {
                    let listed = next < indexes.count && indexes[next] == index
                    guard same(current[index], stored[index]) != listed else { return false }
                    if listed { next += 1 }
                }
                return next == indexes.count
            }
        }
    }

    /// `a == b`, with the common cases of a row's attributes compared in place: `==` on values
    /// read from the arrays copied both (retains included) before comparing, three times a row
    /// in a flush.
    @inline(__always)
    private static func same(_ a: Value, _ b: Value) -> Bool {
        switch a {
        case .null:
            if case .null = b { return true }
            return false
        case .integer(let x):
            if case .integer(let y) = b { return x == y }
            return false
        case .text(let x):
            if case .text(let y) = b { return x == y }
            return false
        default:
            return a == b
        }
    }

    /// Whether any attribute changed since it was stored (``changedAttributes`` is not empty).
    var hasChangedAttributes: Bool {
        // A row just flushed or loaded shares one buffer between the two.
        let shared = values.withUnsafeBufferPointer { current in
            storedValues.withUnsafeBufferPointer { $0.baseAddress == current.baseAddress }
        }
        return !shared && values.indices.contains { values[$0] != storedValues[$0] }
    }

    /// SQLSoup's `repr`: `MappedUsers(name='Joe Student',email='student@example.ed',admin=0)`.
    public var representation: String {
        let fields = zip(entity.attributes, values).map { attribute, value in
            attribute.name + "=" + Row.python(value)
        }
        return entity.className + "(" + fields.joined(separator: ",") + ")"
    }

    /// A value spelled as Python's `repr` would spell it.
    static func python(_ value: Value) -> String {
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .integer(let i): return String(i)
        case .real(let d): return Value.format(real: d)
        case .blob(let bytes): return "b'" + bytes.map { byte in
                byte >= 32 && byte < 127 && byte != 39 && byte != 92
                    ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16).leftPadded(to: 2)
            }.joined() + "'"
        case .array(let items): return "[" + items.map(python).joined(separator: ", ") + "]"
        default:
            let text = value.text ?? ""
            return "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'").replacing("\n", with: "\\n") + "'"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// The parameter lists of one statement run many times (``Connection/executeEach(_:_:done:)``),
/// one after another in a single array: a flush of 10,000 rows fills one array rather than
/// making (and later freeing) 10,000 of them.
public struct ParameterRows: RandomAccessCollection, Hashable, Sendable {
    /// The values of each run.
    public let width: Int
    /// Every run's values, in order.
    public var values: [Value] { storage }
    /// The number of runs (a statement without parameters still runs `count` times).
    public var count: Int { runs }
    @usableFromInline var storage: [Value] = []
    @usableFromInline var runs = 0

    /// No runs yet, each of `width` values.
    public init(width: Int) {
        self.width = width
    }

    /// The runs `lists`, which must all have the same number of values.
    public init(_ lists: [[Value]]) {
        self.init(width: lists.first?.count ?? 0)
        storage.reserveCapacity(width * lists.count)
        for list in lists { append(list) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { runs }

    /// The values of run `index`.
    public subscript(index: Int) -> ArraySlice<Value> {
        storage[index * width..<(index + 1) * width]
    }

    public mutating func reserveCapacity(_ count: Int) {
        storage.reserveCapacity(count * width)
    }

    /// Adds a run of `run`'s values.
    public mutating func append(_ run: some Collection<Value>) {
        precondition(run.count == width, "a run of \(run.count) values among runs of \(width)")
        storage.append(contentsOf: run)
        runs += 1
    }

    /// Adds a run whose values `fill` appends to the array of all runs' values, without an array
    /// of its own.
    @inlinable
    public mutating func appendRun(_ fill: (inout [Value]) -> Void) {
        let before = storage.count
        fill(&storage)
        precondition(storage.count == before + width, "a run of \(storage.count - before) values among runs of \(width)")
        runs += 1
    }

    /// Drops the last `runs` runs.
    public mutating func removeLast(_ count: Int) {
        storage.removeLast(count * width)
        runs -= count
    }
}

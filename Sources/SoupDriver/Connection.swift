/// The name and type of one result column.
public struct ColumnDescription: Hashable, Sendable {
    /// The column's name as the database reports it (an alias, or `?column?` on PostgreSQL).
    public var name: String
    /// The declared type (SQLite) or the type name (PostgreSQL); empty when there is none.
    public var typeName: String

    public init(name: String, typeName: String = "") {
        self.name = name
        self.typeName = typeName
    }
}

/// A forward-only stream of rows.
///
/// Rows are produced one at a time from the database, so a million-row result never sits in
/// memory. A cursor is used from one thread; to stop a long statement from another thread, use
/// the connection's ``Connection/makeCanceller()``.
public protocol RowCursor: AnyObject {
    /// The result columns; empty for a statement that returns no rows.
    var columns: [ColumnDescription] { get }
    /// The next row, or `nil` once the result is exhausted.
    func next() throws -> [Value]?
    /// This cursor as a ``BorrowingRowCursor``, when it is one. Asked instead of `as?`: the
    /// first cast to a protocol scans every conformance in the binary, a sixth of a `SELECT 1`.
    var borrowing: (any BorrowingRowCursor)? { get }
    /// Where the cursor stopped short of rows that exist (a row limit, `--limit`); nil until it
    /// has, and for every cursor that reads a whole result. A requirement rather than a protocol
    /// to cast to, for the reason ``borrowing`` is.
    var truncation: RowTruncation? { get }
    /// The columns of the row returned last whose values changed since an earlier result
    /// (`\watch`), for the printer to highlight; empty when nothing is compared.
    var changedColumns: Set<Int> { get }
}

extension RowCursor {
    public var borrowing: (any BorrowingRowCursor)? { nil }
    public var truncation: RowTruncation? { nil }
    public var changedColumns: Set<Int> { [] }
}

/// One value of a row as the database holds it, borrowed from the database's buffers: valid
/// only during the call it is passed to.
public enum BorrowedValue {
    case null
    case integer(Int64)
    case real(Double)
    /// Text as the database holds it: UTF-8 that the database has not checked (SQLite), or the
    /// text of a value of any type (PostgreSQL sends every value as text).
    case text(UnsafeBufferPointer<UInt8>)
    case blob(UnsafeRawBufferPointer)
}

/// A cursor that can also lend each row's values straight from the database's buffers, with no
/// ``Value`` (and no `String` or `Array`) built: CSV writes them from there.
///
/// PostgreSQL lends every value as its text, which is exactly what `psql --csv` prints; SQLite
/// lends its integers, reals, text and blobs as they are stored.
public protocol BorrowingRowCursor: RowCursor {
    /// Whether values are lent as stored: integers, reals, text and blobs as SQLite keeps them
    /// (each is then the ``Value`` that ``Value/init(stored:)`` makes of it). `false` when
    /// every value is lent as its text (PostgreSQL).
    var lendsStoredValues: Bool { get }
    /// Reads the next row and passes each value to `field` in column order. Returns `false` at
    /// the end.
    func nextBorrowed(_ field: (BorrowedValue) -> Void) throws -> Bool
    /// The ``Value`` that `text`, lent for `column` by ``nextBorrowed(_:)``, stands for: what
    /// ``RowCursor/next()`` would have returned. Writers that copy most lent text as it is ask
    /// for the few values they must spell differently.
    func value(lentText text: UnsafeBufferPointer<UInt8>, column: Int) -> Value
}

extension BorrowingRowCursor {
    public var borrowing: (any BorrowingRowCursor)? { self }

    /// Stored text stands for itself.
    public func value(lentText text: UnsafeBufferPointer<UInt8>, column: Int) -> Value {
        Value(stored: .text(text))
    }
}

extension Value {
    /// The value a stored value stands for; text that is not valid UTF-8 is repaired the way
    /// `String(decoding:as:)` repairs it.
    @inline(__always)
    public init(stored value: BorrowedValue) {
        switch value {
        case .null: self = .null
        case .integer(let number): self = .integer(number)
        case .real(let number): self = .real(number)
        case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
        case .blob(let bytes): self = .blob(Array(bytes))
        }
    }
}

/// The stream of one statement's result, with what the statement reported when it finished.
public protocol Cursor: RowCursor {
    /// Rows inserted, updated or deleted; `nil` for a statement that reports none.
    /// Known once ``next()`` has returned `nil`.
    var rowsAffected: Int? { get }
    /// The command tag (`INSERT 0 1`, `CREATE TABLE`) on PostgreSQL, `nil` on SQLite.
    var commandTag: String? { get }
}

/// A cursor over rows already in memory.
public final class ArrayCursor: Cursor {
    public let columns: [ColumnDescription]
    public let rowsAffected: Int?
    public let commandTag: String?
    /// How many rows it holds in all, read or not.
    public let count: Int
    private var rows: IndexingIterator<[[Value]]>

    public init(
        columns: [ColumnDescription], rows: [[Value]], rowsAffected: Int? = nil,
        commandTag: String? = nil
    ) {
        self.columns = columns
        self.rows = rows.makeIterator()
        self.count = rows.count
        self.rowsAffected = rowsAffected
        self.commandTag = commandTag
    }

    public func next() throws -> [Value]? { rows.next() }
}

/// A statement with the values bound to its parameters, one of a batch.
public struct BoundStatement: Hashable, Sendable {
    public var sql: String
    public var parameters: [Value]

    public init(_ sql: String, _ parameters: [Value] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// Stops the statement that a connection is running; safe to call from any thread.
///
/// A canceller may remember a cancel that met no running statement and stop the next statement
/// instead (SQLite's does: `sqlite3_interrupt` alone is lost between statements), until
/// ``clear()`` says the work it was meant for is over.
public protocol Canceller: Sendable {
    /// Asks the database to stop the running statement, or the next one when none runs.
    func cancel()
    /// Forgets a cancel that no statement has met yet: the work it was meant for has ended.
    func clear()
    /// The cancel as a signal handler may make it, or nil when it takes more than that (a
    /// PostgreSQL cancel request opens a connection): then a thread of its own must wait for
    /// Ctrl-C to call ``cancel()``. Asked on the canceller's own thread, before the work starts.
    var signalSafeCancel: SignalSafeCancel? { get }
}

extension Canceller {
    /// Nothing to forget: the cancel reaches the server at once, or not at all.
    public func clear() {}
    public var signalSafeCancel: SignalSafeCancel? { nil }
}

/// A cancel fit for a signal handler: `function(context)` makes one lock-free store and nothing
/// else (no lock, no allocation). `context` is valid while the canceller that made it lives.
public struct SignalSafeCancel: @unchecked Sendable {
    public let function: @convention(c) (UnsafeMutableRawPointer?) -> Void
    public let context: UnsafeMutableRawPointer?

    public init(function: @convention(c) (UnsafeMutableRawPointer?) -> Void, context: UnsafeMutableRawPointer?) {
        self.function = function
        self.context = context
    }
}

/// Whether a connection has an open transaction.
public enum TransactionStatus: Sendable, Equatable {
    case idle
    case inTransaction
    /// A statement failed inside the transaction; only a rollback is accepted (PostgreSQL).
    case failed
}

/// One live connection to a database.
///
/// Connections are not thread-safe: use one from one thread, and cancel it from others through
/// a ``Canceller``. Opening a new cursor finishes the previous one.
public protocol Connection: AnyObject {
    /// How this database spells identifiers, parameters and literals.
    var dialect: Dialect { get }
    /// A description safe to print: the URL or path with any password masked.
    var displayName: String { get }
    /// Whether a transaction is open.
    var transactionStatus: TransactionStatus { get }

    /// Runs one statement with bound parameters and streams its result.
    ///
    /// Parameters are written `?` on SQLite and `$1`, `$2`… on PostgreSQL (see ``Dialect``).
    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor
    /// Runs a script of statements with no parameters and no result (DDL, fixtures).
    func executeScript(_ sql: String) throws
    /// Runs `statements` in order and collects every row of each; for small results only.
    ///
    /// The first error is thrown and the statements after it are not run. PostgreSQL sends the
    /// whole batch in one round trip, and outside a transaction runs it as one transaction (an
    /// error undoes the statements before it); the default runs the statements one by one.
    func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]]
    /// The columns `sql` (one query, without parameters) would return, read without running
    /// it where the engine allows: PostgreSQL parses and describes it in one round trip,
    /// SQLite prepares it. A connection over several databases sends it where the query would go.
    func describe(_ sql: String) throws -> [DescribedColumn]
    /// Runs `sql` once for each run of `runs`, in order, and passes `done` the index
    /// of each run that succeeded with the rows it changed (`nil` when the database does not
    /// say, as ``Cursor/rowsAffected``); the rows it returns are dropped.
    ///
    /// The first error is thrown once `done` has heard of the runs before it, and the runs after
    /// it do not happen. The statement is prepared once, and inside a transaction PostgreSQL
    /// sends the runs in pipelines of a few hundred, a round trip each instead of one per run.
    /// A flush sends its UPDATEs and DELETEs of one shape so. The default runs
    /// ``query(_:_:)`` for each list.
    func executeEach(_ sql: String, _ runs: ParameterRows, done: (_ index: Int, _ rowsAffected: Int?) -> Void) throws
    /// Returns a handle that cancels this connection's running statement from another thread.
    func makeCanceller() -> any Canceller
    /// Closes the connection; later calls fail.
    func close()
    /// Notices and warnings the server sent since the last call (`NOTICE:  …`).
    func takeNotices() -> [String]
    /// Starts `COPY … FROM STDIN` (PostgreSQL); other connections throw.
    func copyIn(_ sql: String) throws -> any CopyInStream
    /// Prepares `sql` to run for many rows with values bound from bytes (a bulk insert). The
    /// default binds ``Value``s and calls ``execute(_:_:)`` each time.
    func prepareRepeated(_ sql: String, parameterCount: Int) throws -> any RepeatedStatement
    /// Opens, ends or marks a transaction. The default sends the dialect's SQL for it
    /// (PostgreSQL sends a `BEGIN` with the statement after it, in the same round trip); a
    /// connection over several databases decides where it goes (a read-only transaction may run
    /// on a reader), and a wrapper passes it on. Call it through ``begin(readOnly:)``,
    /// ``commit()``, ``rollback()``, ``savepoint(_:)``, ``release(savepoint:)`` and
    /// ``rollback(toSavepoint:)``.
    func perform(_ control: TransactionControl) throws
    /// Keeps `statements` (the session's `SET`s) to run again whenever the connection reconnects
    /// by itself after it was lost, so a new server session starts as the old one was set up.
    /// The default ignores them: such a connection never reconnects by itself.
    func replayAfterReconnect(_ statements: [String])
    /// Says which statements come next, in order, each a read without parameters that is sent
    /// as it is written (a script's next lines). A connection over several servers may send them
    /// at once to servers that are free, so that one waits for its answer while the caller reads
    /// the rows before it; ``query(_:_:)`` of the same text then takes what came. A hint only:
    /// the default does nothing.
    func prefetch(_ reads: [String])
}

/// A step of a transaction, as a typed call rather than SQL text, so that whoever passes it on
/// knows what it is without reading SQL.
public enum TransactionControl: Hashable, Sendable {
    /// Opens a transaction; `readOnly` asks the database to refuse writes in it.
    case begin(readOnly: Bool)
    /// Ends the open transaction, keeping its work.
    case commit
    /// Ends the open transaction, undoing its work.
    case rollback
    /// Marks a point in the open transaction to return to.
    case savepoint(String)
    /// Forgets a savepoint, keeping the work done since it.
    case releaseSavepoint(String)
    /// Undoes the work done since a savepoint, which stays set.
    case rollbackToSavepoint(String)
}

extension Connection {
    public func takeNotices() -> [String] { [] }

    public func replayAfterReconnect(_ statements: [String]) {}

    public func prefetch(_ reads: [String]) {}

    public func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]] {
        try statements.map { try fetchAll($0.sql, $0.parameters) }
    }

    public func executeEach(
        _ sql: String, _ runs: ParameterRows, done: (_ index: Int, _ rowsAffected: Int?) -> Void
    ) throws {
        for (index, parameters) in runs.enumerated() {
            let cursor = try query(sql, Array(parameters))
            while try cursor.next() != nil {}
            done(index, cursor.rowsAffected)
        }
    }

    /// ``executeEach(_:_:done:)`` with the runs' values given list by list (each of the same
    /// length).
    public func executeEach(
        _ sql: String, _ parameterLists: [[Value]], done: (_ index: Int, _ rowsAffected: Int?) -> Void
    ) throws {
        try executeEach(sql, ParameterRows(parameterLists), done: done)
    }

    /// Runs one statement to completion and returns the rows it changed (0 when none).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [Value] = []) throws -> Int {
        let cursor = try query(sql, parameters)
        while try cursor.next() != nil {}
        return cursor.rowsAffected ?? 0
    }

    /// Runs one statement and collects every row; for small results only.
    public func fetchAll(_ sql: String, _ parameters: [Value] = []) throws -> [[Value]] {
        let cursor = try query(sql, parameters)
        var rows: [[Value]] = []
        while let row = try cursor.next() { rows.append(row) }
        return rows
    }

    /// The first column of the first row, or `nil` when there is no row.
    public func scalar(_ sql: String, _ parameters: [Value] = []) throws -> Value? {
        let cursor = try query(sql, parameters)
        var first: Value?
        while let row = try cursor.next() {
            if first == nil { first = row.first }
        }
        return first
    }

    public func perform(_ control: TransactionControl) throws {
        try execute(dialect.sql(for: control))
    }

    /// Opens a transaction; `readOnly` asks the database to refuse writes in it.
    public func begin(readOnly: Bool = false) throws { try perform(.begin(readOnly: readOnly)) }

    public func commit() throws { try perform(.commit) }

    public func rollback() throws { try perform(.rollback) }

    public func savepoint(_ name: String) throws { try perform(.savepoint(name)) }

    public func release(savepoint name: String) throws { try perform(.releaseSavepoint(name)) }

    public func rollback(toSavepoint name: String) throws { try perform(.rollbackToSavepoint(name)) }
}

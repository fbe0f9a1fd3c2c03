import SoupDriver
import SoupSQL

/// A PostgreSQL connection that refuses writes one transaction at a time, never through session
/// state.
///
/// A session `SET default_transaction_read_only` would outlive soup behind a PgBouncer in
/// transaction pooling: it stays on the pooled server connection, which a later, unrelated client
/// then gets read-only, while soup's own next transaction may get another server connection,
/// left writable. So every transaction soup opens is `BEGIN READ ONLY` (a `BEGIN` typed as SQL
/// is followed by `SET TRANSACTION READ ONLY`), and a statement sent outside a transaction runs in
/// a read-only transaction of its own, committed once its rows are read. Statements that only
/// change per-connection settings (`SET`), end or mark a transaction, or cannot run inside one
/// (`VACUUM`) are sent as they are.
///
/// With `checksReads` false (a reader binding without `--read-only`), a statement classified as a
/// read is sent as it is too: the router sends no read that calls a volatile function to a
/// reader, and the reader saves the two round trips of a transaction of its own.
public final class ReadOnlyTransactions: Connection {
    private let base: any Connection
    private let checksReads: Bool
    /// The number of the read-only transaction opened around one statement, while it is open.
    private var ownTransaction: Int?
    private var transactionsOpened = 0

    public init(_ base: any Connection, checksReads: Bool = true) {
        self.base = base
        self.checksReads = checksReads
    }

    public var dialect: Dialect { base.dialect }
    public var displayName: String { base.displayName }

    /// Idle while only a transaction of this connection's own is open: callers never see it.
    public var transactionStatus: TransactionStatus {
        ownTransaction == nil ? base.transactionStatus : .idle
    }

    public func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        try endOwnTransaction()
        guard base.transactionStatus == .idle else { return try base.query(sql, parameters) }
        let classification = SQLClassifier.classify(sql)
        if classification.kind == .begin {
            let cursor = try base.query(sql, parameters)
            while try cursor.next() != nil {}
            if base.transactionStatus == .inTransaction { try base.execute("SET TRANSACTION READ ONLY") }
            return ArrayCursor(columns: [], rows: [], commandTag: cursor.commandTag)
        }
        guard needsOwnTransaction(classification) else { return try base.query(sql, parameters) }
        let number = try beginOwnTransaction()
        do {
            return OwnTransactionCursor.wrapping(try base.query(sql, parameters), transaction: number, of: self)
        } catch {
            try? endOwnTransaction()
            throw error
        }
    }

    public func executeScript(_ sql: String) throws {
        try endOwnTransaction()
        guard base.transactionStatus == .idle, needsOwnTransaction(SQLClassifier.classify(sql)) else {
            return try base.executeScript(sql)
        }
        try inOwnTransaction { try base.executeScript(sql) }
    }

    /// Nothing runs, so nothing needs a transaction of its own.
    public func describe(_ sql: String) throws -> [DescribedColumn] {
        try endOwnTransaction()
        return try base.describe(sql)
    }

    public func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]] {
        try endOwnTransaction()
        let allSafe = statements.allSatisfy { !needsOwnTransaction(SQLClassifier.classify($0.sql)) }
        guard base.transactionStatus == .idle, !allSafe else { return try base.fetchBatch(statements) }
        return try inOwnTransaction { try base.fetchBatch(statements) }
    }

    public func executeEach(
        _ sql: String, _ runs: ParameterRows, done: (_ index: Int, _ rowsAffected: Int?) -> Void
    ) throws {
        try endOwnTransaction()
        guard base.transactionStatus == .idle, needsOwnTransaction(SQLClassifier.classify(sql)) else {
            return try base.executeEach(sql, runs, done: done)
        }
        try inOwnTransaction { try base.executeEach(sql, runs, done: done) }
    }

    public func perform(_ control: TransactionControl) throws {
        try endOwnTransaction()
        if case .begin = control {
            try base.perform(.begin(readOnly: true))
        } else {
            try base.perform(control)
        }
    }

    public func makeCanceller() -> any Canceller { base.makeCanceller() }

    public func close() {
        ownTransaction = nil
        base.close()
    }

    public func takeNotices() -> [String] { base.takeNotices() }

    public func replayAfterReconnect(_ statements: [String]) { base.replayAfterReconnect(statements) }

    // MARK: Own transactions

    private func needsOwnTransaction(_ classification: SQLClassification) -> Bool {
        switch classification.kind {
        case .session, .begin, .end, .transactionControl: false
        case .read: checksReads && !classification.cannotRunInTransaction
        case .write: !classification.cannotRunInTransaction
        }
    }

    private func beginOwnTransaction() throws -> Int {
        try base.perform(.begin(readOnly: true))
        transactionsOpened += 1
        ownTransaction = transactionsOpened
        return transactionsOpened
    }

    private func inOwnTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        _ = try beginOwnTransaction()
        do {
            let result = try body()
            try endOwnTransaction()
            return result
        } catch {
            try? endOwnTransaction()
            throw error
        }
    }

    /// Commits the transaction opened around one statement (after an error the COMMIT rolls
    /// back); nothing when none is open or the connection was lost with it.
    private func endOwnTransaction() throws {
        guard ownTransaction != nil else { return }
        ownTransaction = nil
        guard base.transactionStatus != .idle else { return }
        try base.perform(.commit)
    }

    /// Ends transaction `number` if it is still the open one (a cursor read to its end, failed
    /// or dropped).
    fileprivate func cursorEnded(transaction number: Int) throws {
        guard ownTransaction == number else { return }
        try endOwnTransaction()
    }
}

/// The rows of a statement that runs in a read-only transaction of its own; the transaction
/// ends with the rows (or with the cursor, when it is dropped before its end).
private class OwnTransactionCursor: Cursor {
    let base: any Cursor
    let transaction: Int
    let owner: ReadOnlyTransactions

    /// A cursor that lends its values when `base` does, so CSV output keeps its fast path.
    static func wrapping(_ base: any Cursor, transaction: Int, of owner: ReadOnlyTransactions) -> any Cursor {
        if let borrowing = base as? any BorrowingRowCursor & Cursor {
            return BorrowingOwnTransactionCursor(borrowing, transaction: transaction, owner: owner)
        }
        return OwnTransactionCursor(base, transaction: transaction, owner: owner)
    }

    init(_ base: any Cursor, transaction: Int, owner: ReadOnlyTransactions) {
        self.base = base
        self.transaction = transaction
        self.owner = owner
    }

    deinit {
        try? owner.cursorEnded(transaction: transaction)
    }

    var columns: [ColumnDescription] { base.columns }
    var rowsAffected: Int? { base.rowsAffected }
    var commandTag: String? { base.commandTag }

    func next() throws -> [Value]? {
        try ending { try base.next() }
    }

    /// Runs a read of `base`; the end of the rows or an error ends the transaction.
    func ending<Row>(_ read: () throws -> Row?) throws -> Row? {
        let row: Row?
        do {
            row = try read()
        } catch {
            try? owner.cursorEnded(transaction: transaction)
            throw error
        }
        if row == nil { try owner.cursorEnded(transaction: transaction) }
        return row
    }
}

private final class BorrowingOwnTransactionCursor: OwnTransactionCursor, BorrowingRowCursor {
    private let borrowing: any BorrowingRowCursor & Cursor

    init(_ base: any BorrowingRowCursor & Cursor, transaction: Int, owner: ReadOnlyTransactions) {
        borrowing = base
        super.init(base, transaction: transaction, owner: owner)
    }

    var lendsStoredValues: Bool { borrowing.lendsStoredValues }

    func nextBorrowed(_ field: (BorrowedValue) -> Void) throws -> Bool {
        try ending { try borrowing.nextBorrowed(field) ? true : nil } ?? false
    }

    func value(lentText text: UnsafeBufferPointer<UInt8>, column: Int) -> Value {
        borrowing.value(lentText: text, column: column)
    }
}

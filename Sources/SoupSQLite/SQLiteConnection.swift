import CSQLite
import SoupDriver
import Synchronization

/// A connection to a SQLite database file or an in-memory database.
///
/// Statements are prepared once and cached by their SQL text, so running the same statement
/// again (a flush of many rows, a generated script) skips the parser (``statementCaching``).
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/open.html>
public final class SQLiteConnection: StatementCachingConnection {
    /// How the database file is opened.
    public enum Mode: Sendable {
        /// Read only: writes fail in SQLite itself (`SQLITE_OPEN_READONLY`).
        case readOnly
        /// Read and write an existing database.
        case readWrite
        /// Read and write, creating the file when it does not exist.
        case readWriteCreate
    }

    public let dialect = Dialect.sqlite
    public let displayName: String
    /// The file path, or `:memory:`.
    public let path: String
    public let mode: Mode

    private let handle: OpaquePointer
    private let interrupter: Interrupter
    private var statements: SQLiteStatementCache

    /// Whether statements are kept prepared; see ``StatementCaching``.
    public var statementCaching: StatementCaching {
        get { statements.caching }
        set { statements.caching = newValue }
    }

    public var cachedStatementCount: Int { statements.count }

    /// Opens a database.
    ///
    /// A missing file is an error unless `mode` is ``Mode/readWriteCreate``. Foreign keys are
    /// enforced and a busy database is retried for `busyTimeoutMilliseconds`.
    public init(
        location: DatabaseLocator.SQLiteLocation, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5000,
        statementCaching: StatementCaching = .standard
    ) throws {
        statements = SQLiteStatementCache(caching: statementCaching)
        switch location {
        case .memory:
            path = ":memory:"
            displayName = "sqlite::memory:"
        case .file(let filePath):
            path = filePath
            displayName = filePath
            if mode != .readWriteCreate, !FileSystem.exists(filePath) {
                throw DatabaseError(
                    kind: .connection, message: "\(filePath): no such database file",
                    resultCode: .cantOpen)
            }
        }
        self.mode = mode
        _ = Self.memoryStatisticsOff
        var flags: Int32 = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var db: OpaquePointer?
        let code = SQLiteResultCode(rawValue: sqlite3_open_v2(path, &db, flags, nil))
        guard code == .ok, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code.rawValue))
            sqlite3_close_v2(db)
            throw DatabaseError(kind: .connection, message: "\(path): \(message)", resultCode: code)
        }
        handle = db
        interrupter = Interrupter(db, lockTimeoutMilliseconds: busyTimeoutMilliseconds)
        // Every thousand virtual-machine steps, a cancel that came while no statement was
        // running (which sqlite3_interrupt forgets) stops the statement that runs now.
        sqlite3_progress_handler(
            db, 1000,
            { context in
                guard let context else { return 0 }
                return Unmanaged<Interrupter>.fromOpaque(context).takeUnretainedValue().isPending ? 1 : 0
            }, Unmanaged.passUnretained(interrupter).toOpaque())
        sqlite3_extended_result_codes(db, 1)
        // A locked database is waited for as sqlite3_busy_timeout would, but a cancel ends the
        // wait: sqlite3_interrupt does not reach SQLite's own busy handler.
        sqlite3_busy_handler(
            db,
            { context, attempt in
                guard let context else { return 0 }
                return Unmanaged<Interrupter>.fromOpaque(context).takeUnretainedValue().waitsForLock(attempt: attempt) ? 1 : 0
            }, Unmanaged.passUnretained(interrupter).toOpaque())
        do {
            try executeScript("PRAGMA foreign_keys = ON")
        } catch {
            close()
            throw error
        }
    }

    /// SQLite's memory statistics, off before the first connection: each allocation took a
    /// global mutex for them (a flush of 10,000 rows took it 40,000 times).
    private static let memoryStatisticsOff: Void = { _ = soup_sqlite_disable_memory_statistics() }()

    /// Opens the file at `path`; see ``init(location:mode:busyTimeoutMilliseconds:)``.
    public convenience init(path: String, mode: Mode = .readWrite) throws {
        try self.init(location: path == ":memory:" ? .memory : .file(path: path), mode: mode)
    }

    deinit {
        close()
    }

    public var transactionStatus: TransactionStatus {
        sqlite3_get_autocommit(handle) == 0 ? .inTransaction : .idle
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertedRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    public func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        try checkNotCancelled(sql)
        let statement = try prepare(sql)
        do {
            try statement.bind(parameters, connection: handle)
        } catch {
            statement.isBusy = false
            throw error
        }
        return try SQLiteCursor(statement: statement, connection: self)
    }

    /// The prepared statement's columns; it is not stepped.
    public func describe(_ sql: String) throws -> [DescribedColumn] {
        try checkNotCancelled(sql)
        let statement = try prepare(sql)
        defer {
            sqlite3_reset(statement.handle)
            statement.isBusy = false
        }
        return statement.columns.map { DescribedColumn(name: $0.name, typeName: $0.typeName) }
    }

    /// One statement, prepared (or taken from the cache) once, bound and stepped for each list:
    /// no cursor per run.
    public func executeEach(_ sql: String, _ runs: ParameterRows, done: (Int, Int?) -> Void) throws {
        guard !runs.isEmpty else { return }
        let statement = try prepare(sql)
        defer {
            sqlite3_reset(statement.handle)
            statement.isBusy = false
        }
        let writes = sqlite3_stmt_readonly(statement.handle) == 0
        for (index, parameters) in runs.enumerated() {
            // Each run is a statement of its own: a cancel between two stops the next.
            try checkNotCancelled(sql)
            try statement.bind(parameters, connection: handle)
            var code: Int32
            repeat { code = sqlite3_step(statement.handle) } while code == SQLITE_ROW
            guard code == SQLITE_DONE else { throw error(code: SQLiteResultCode(rawValue: code), sql: sql) }
            done(index, writes ? Int(sqlite3_changes64(handle)) : nil)
        }
    }

    public func executeScript(_ sql: String) throws {
        try DatabaseError.checkNoNULByte(in: sql)
        try checkNotCancelled(sql)
        var message: UnsafeMutablePointer<CChar>?
        let code = SQLiteResultCode(rawValue: sqlite3_exec(handle, sql, nil, nil, &message))
        if let message { sqlite3_free(message) }
        guard code == .ok else { throw error(code: code, sql: sql) }
    }

    public func makeCanceller() -> any Canceller {
        interrupter
    }

    public func prepareRepeated(_ sql: String, parameterCount: Int) throws -> any RepeatedStatement {
        try DatabaseError.checkNoNULByte(in: sql)
        var statement: OpaquePointer?
        let code = SQLiteResultCode(rawValue: sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
        guard code == .ok, let statement else { throw error(code: code, sql: sql) }
        let prepared = SQLiteStatement(handle: statement, sql: sql)
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameterCount else {
            throw DatabaseError(
                kind: .statement,
                message: "the statement has \(expected) parameter(s) but \(parameterCount) value(s) are bound", sql: sql)
        }
        return SQLiteRepeatedStatement(statement: prepared, connection: self)
    }

    public func close() {
        guard interrupter.markClosed() else { return }
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// A cancel that came between statements stops this one before it starts (and is spent).
    private func checkNotCancelled(_ sql: String) throws {
        guard interrupter.isPending else { return }
        interrupter.clear()
        throw DatabaseError(kind: .cancelled, message: "interrupted", resultCode: .interrupt, sql: sql)
    }

    // MARK: Statements

    /// The statement for `sql`, busy: a kept one, or one prepared now (the text, checked once
    /// here, is what was checked when a kept one was prepared).
    private func prepare(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements.take(sql) { return cached }
        try DatabaseError.checkNoNULByte(in: sql)
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let flags = statements.prepareFlags
        let code = sql.withCString { text in
            let result = SQLiteResultCode(rawValue: sqlite3_prepare_v3(handle, text, -1, flags, &statement, &tail))
            if result == .ok, let tail, Self.hasContent(tail) {
                sqlite3_finalize(statement)
                statement = nil
                return SQLiteResultCode.misuse
            }
            return result
        }
        if code == .misuse, statement == nil {
            throw DatabaseError(
                kind: .statement, message: "only one statement can be run at a time; split the text at ';'",
                resultCode: code, sql: sql)
        }
        guard code == .ok else {
            throw error(code: code, sql: sql)
        }
        guard let statement else {
            // Only white space or comments: run a statement that returns nothing.
            return try prepare("SELECT 1 WHERE 0")
        }
        let prepared = SQLiteStatement(handle: statement, sql: sql)
        prepared.isBusy = true
        statements.keep(prepared)
        return prepared
    }

    /// Whether the text after a statement holds anything but white space, `;` and comments.
    private static func hasContent(_ tail: UnsafePointer<CChar>) -> Bool {
        let rest = String(cString: tail)
        return sqlite3_complete(rest + ";") != 0 && !isOnlyTrivia(rest)
    }

    private static func isOnlyTrivia(_ text: String) -> Bool {
        var characters = Substring(text)
        while let first = characters.first {
            if first.isWhitespace || first == ";" {
                characters = characters.dropFirst()
            } else if characters.hasPrefix("--") {
                characters = characters.drop { $0 != "\n" }
            } else if characters.hasPrefix("/*") {
                guard let end = characters.firstRange(of: "*/") else { return true }
                characters = characters[end.upperBound...]
            } else {
                return false
            }
        }
        return true
    }

    // MARK: Errors

    func error(code: SQLiteResultCode, sql: String?) -> DatabaseError {
        // A wait for a locked database that a cancel ended was interrupted, not timed out.
        if SQLiteResultCode.busy ~= code, interrupter.isPending {
            interrupter.clear()
            return DatabaseError(
                kind: .cancelled, message: "interrupted while waiting for a locked database", resultCode: .interrupt, sql: sql)
        }
        // The statement the cancel stopped has spent it.
        if SQLiteResultCode.interrupt ~= code { interrupter.clear() }
        return Self.error(handle, code: code, sql: sql, byteOffset: Int(sqlite3_error_offset(handle)))
    }

    /// The error for `code`, with the connection's message and, when it refines `code`, its
    /// extended result code.
    static func error(_ db: OpaquePointer, code: SQLiteResultCode, sql: String?, byteOffset: Int = -1) -> DatabaseError {
        let extended = SQLiteResultCode(rawValue: sqlite3_extended_errcode(db))
        var message = String(cString: sqlite3_errmsg(db))
        if SQLiteResultCode.misuse ~= code || message == "not an error" {
            message = String(cString: sqlite3_errstr(code.rawValue))
        }
        var position: Int?
        if byteOffset >= 0, let sql {
            let prefix = sql.utf8.prefix(byteOffset)
            position = String(decoding: prefix, as: UTF8.self).count + 1
        }
        let kind: DatabaseError.Kind
        switch code {
        case .interrupt: kind = .cancelled
        case .cantOpen, .notADatabase: kind = .connection
        default: kind = .statement
        }
        return DatabaseError(
            kind: kind, message: message, resultCode: code.primary == extended.primary ? extended : code,
            position: position, sql: sql)
    }
}

/// Calls `sqlite3_interrupt` from any thread, and never after the connection closed; and
/// remembers the cancel, since `sqlite3_interrupt` does nothing when no statement runs: the
/// next statement to start, or the one running at the progress handler's next check, fails as
/// interrupted. The first statement it stops spends it; ``clear()`` forgets it unspent.
private final class Interrupter: Canceller {
    /// The connection handle's address; 0 once closed. Kept as an integer because a C pointer is
    /// not `Sendable`: SQLite only dereferences it under the mutex, while the connection lives.
    private let address: Mutex<UInt>
    private let pending = Atomic<Bool>(false)
    /// How long a locked database is waited for.
    private let lockTimeoutMilliseconds: Int32

    init(_ db: OpaquePointer, lockTimeoutMilliseconds: Int32) {
        address = Mutex(UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(db))))
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
    }

    /// Whether a cancel came that ``clear()`` has not forgotten.
    var isPending: Bool { pending.load(ordering: .acquiring) }

    /// SQLite's busy handler: sleeps before try `attempt + 1` at a locked database, in steps of
    /// 5 ms, until the timeout has passed (as `sqlite3_busy_timeout` counts it, by the steps
    /// slept), or at once when a cancel is pending.
    func waitsForLock(attempt: Int32) -> Bool {
        let step: Int32 = 5
        guard !isPending, (Int64(attempt) + 1) * Int64(step) <= Int64(lockTimeoutMilliseconds) else { return false }
        sqlite3_sleep(step)
        return !isPending
    }

    func cancel() {
        pending.store(true, ordering: .releasing)
        address.withLock { address in
            if let db = OpaquePointer(bitPattern: address) { sqlite3_interrupt(db) }
        }
    }

    func clear() {
        pending.store(false, ordering: .releasing)
    }

    /// Marks the cancel pending, which the progress handler and the next statement's start
    /// check (without `sqlite3_interrupt`, whose handle is behind a lock).
    var signalSafeCancel: SignalSafeCancel? {
        SignalSafeCancel(
            function: { context in
                guard let context else { return }
                Unmanaged<Interrupter>.fromOpaque(context).takeUnretainedValue().pending.store(true, ordering: .releasing)
            }, context: Unmanaged.passUnretained(self).toOpaque())
    }

    /// Forgets the handle; returns false when it was already forgotten.
    func markClosed() -> Bool {
        address.withLock { address in
            defer { address = 0 }
            return address != 0
        }
    }
}

import CLibPQ
import SoupDriver
import SoupPlatform
import Synchronization

/// A connection to a PostgreSQL server through libpq.
///
/// Anything libpq accepts works: `postgresql://` URLs, `key=value` strings, the `PG*`
/// environment variables, `.pgpass` and services. Results are read in single-row mode, so a
/// million-row SELECT streams with flat memory.
///
/// libpq is loaded when the first connection is made, or as the process starts when the command
/// line names a PostgreSQL URL (see CLibPQ.h), so runs that only use SQLite never load it or the
/// TLS and Kerberos libraries it depends on.
///
/// Statements run more than once are prepared on the server (``statementCaching``; off for a
/// pooler in transaction mode).
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/current/libpq.html>
public final class PostgresConnection: StatementCachingConnection {
    public let dialect = Dialect.postgres
    public let displayName: String

    private(set) var handle: OpaquePointer
    private let canceller = CancelRequest()
    private let notices = NoticeBuffer()
    /// User-defined types (enums, domains, ranges and arrays of them), read on first need.
    private(set) var customTypes: [UInt32: PostgresType.Custom] = [:]
    var customTypesLoaded = false
    /// Whether the user-defined types were read in this server session.
    var hasReadCustomTypes: Bool { customTypesLoaded }
    /// Statements whose result types may still be learned before they run, instead of reading
    /// the user-defined types (see ``PostgresCustomTypes``).
    private var describesLeft = 0
    /// The cursor whose rows are still arriving; finished before the next statement is sent.
    private weak var activeCursor: PostgresCursor?
    /// Set when the connection broke; the next statement reconnects first.
    var needsReconnect = false
    /// The session's `SET`s, run again after reconnecting (``replayAfterReconnect(_:)``).
    private var sessionStatements: [String] = []
    /// A `BEGIN` not sent yet: it goes out with the next statement (see ``perform(_:)``).
    var pendingBegin: String?
    private var isClosed = false
    var statements: PostgresStatementCache

    /// Whether statements are kept prepared; see ``StatementCaching``. Turned off, the kept ones
    /// are deallocated at once when no transaction is open (else they stay until the session ends).
    public var statementCaching: StatementCaching {
        get { statements.caching }
        set {
            statements.caching = newValue
            if newValue.capacity == 0 { statements.forgetAll(onServer: true) }
            deallocateRetiredStatements()
        }
    }

    public var cachedStatementCount: Int { statements.count }

    /// Connects; throws a ``DatabaseError`` of kind `.connection` that names the server (never
    /// the password) when the server cannot be reached or refuses the login, or when libpq
    /// cannot be loaded.
    public init(conninfo: String, statementCaching: StatementCaching = .standard) throws {
        statements = PostgresStatementCache(caching: statementCaching)
        displayName = ConnectionString.redacted(conninfo)
        handle = try Self.connect(conninfo)
        try afterConnect()
    }

    deinit {
        close()
    }

    private static func connect(_ conninfo: String) throws -> OpaquePointer {
        if let failure = soup_libpq_load() {
            throw DatabaseError(
                kind: .connection,
                message: "cannot load libpq (\(SOUP_LIBPQ_NAME)): \(String(cString: failure)); install libpq5")
        }
        let keywords = ["dbname", "client_encoding", "fallback_application_name"]
        let values = [conninfo, "UTF8", "soup"]
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                soup_PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw DatabaseError(kind: .connection, message: "out of memory while connecting")
        }
        guard soup_PQstatus(connection) == CONNECTION_OK else {
            let message = firstLine(String(cString: soup_PQerrorMessage(connection)))
            soup_PQfinish(connection)
            throw DatabaseError(kind: .connection, message: message)
        }
        return connection
    }

    private func afterConnect() throws {
        // A new server session has none of the statements prepared in the last one.
        statements.forgetAll(onServer: false)
        canceller.replace(with: soup_PQgetCancel(handle))
        soup_PQsetNoticeReceiver(handle, noticeReceiver, Unmanaged.passUnretained(notices).toOpaque())
        customTypesLoaded = false
        describesLeft = PostgresCustomTypes.describesPerSession
    }

    /// Reads the user-defined types (``PostgresCustomTypes``) unless they are read already.
    func loadCustomTypes() throws {
        guard !customTypesLoaded else { return }
        customTypesLoaded = true  // before the query, which comes through query(_:_:)
        do {
            customTypes = PostgresCustomTypes.types(from: try fetchAll(PostgresCustomTypes.query))
        } catch {
            customTypesLoaded = false
            throw error
        }
    }

    public var transactionStatus: TransactionStatus {
        if pendingBegin != nil { return .inTransaction }
        switch soup_PQtransactionStatus(handle) {
        case PQTRANS_INTRANS, PQTRANS_ACTIVE: return .inTransaction
        case PQTRANS_INERROR: return .failed
        default: return .idle
        }
    }

    /// The server's version number, e.g. 150018 for 15.18.
    public var serverVersion: Int { Int(soup_PQserverVersion(handle)) }

    /// Notices and warnings the server sent since the last call (`NOTICE:  …`).
    public func takeNotices() -> [String] {
        notices.take()
    }

    public func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        try DatabaseError.checkNoNULByte(in: sql)
        if !customTypesLoaded, describesLeft == 0, !PostgresCustomTypes.returnsNoRows(sql) { try loadCustomTypes() }
        try prepareToSend(foldingBegin: true)
        let encoded = ParameterEncoder(parameters)
        let key = PostgresStatementCache.Key(sql: sql, types: encoded.types)
        let wasIdle = transactionStatus == .idle
        do {
            return try send(key, encoded, plan: statements.plan(for: key))
        } catch let error as DatabaseError where PostgresStatementCache.isStale(error) {
            // Nothing ran. Outside a transaction, run it again unnamed; inside one, the server
            // has failed the transaction, and only its rollback helps.
            let shared = PostgresStatementCache.showsSharedSession(error)
            if shared { statements.stopCachingInSharedSession() }
            guard wasIdle else {
                var error = error
                error.hint =
                    error.hint
                    ?? (shared
                        ? "the server connection is shared with other clients (a pooler in transaction mode?): soup prepares nothing by name from now on, as pool_mode = \"transaction\" in a profile says from the start; roll back and run it again"
                        : "a table changed since soup prepared this statement; roll back and run it again")
                throw error
            }
            return try send(key, encoded, plan: .unnamed)
        }
    }

    /// Sends one run of a statement as `plan` says (preparing it first if need be) and opens
    /// its cursor. A kept statement the server refuses as stale is forgotten.
    private func send(_ key: PostgresStatementCache.Key, _ encoded: ParameterEncoder, plan: PostgresStatementCache.Plan) throws
        -> PostgresCursor
    {
        let sql = key.sql
        let count = Int32(key.types.count)
        // While the user-defined types are unread, a statement is described before it runs (in
        // the round trip of its Parse), and they are read only if its result has one of them.
        // A statement kept prepared was described when it was prepared.
        let describing = !customTypesLoaded && !PostgresCustomTypes.returnsNoRows(sql)
        var preparedName: String?
        switch plan {
        case .unnamed:
            if describing, describesLeft > 0 {
                describesLeft -= 1
                if try prepareStatement("", sql: sql, types: key.types, describing: true) {
                    try loadCustomTypes()  // its query replaced the unnamed statement: send it again
                } else {
                    preparedName = ""
                }
            }
        case .prepare(let name):
            let needsTypes = try prepareStatement(name, sql: sql, types: key.types, describing: describing)
            statements.didPrepare(key, as: name)
            deallocateRetiredStatements()
            if needsTypes { try loadCustomTypes() }
            preparedName = name
        case .execute(let name):
            preparedName = name
        }
        try sendPendingBegin()
        let sent: Int32
        if let preparedName {
            sent = encoded.withArrays { _, values, lengths, formats in
                soup_PQsendQueryPrepared(handle, preparedName, count, values, lengths, formats, 0)
            }
        } else {
            sent = encoded.withArrays { types, values, lengths, formats in
                soup_PQsendQueryParams(handle, sql, count, types, values, lengths, formats, 0)
            }
        }
        guard sent == 1 else { throw sendFailure(sql: sql) }
        soup_PQsetSingleRowMode(handle)
        do {
            let cursor = try PostgresCursor(connection: self, sql: sql)
            activeCursor = cursor
            return cursor
        } catch let error as DatabaseError where plan != .unnamed && PostgresStatementCache.isStale(error) {
            if error.sqlState == .invalidSQLStatementName { statements.forgetAll(onServer: false) } else { statements.forget(key) }
            throw error
        }
    }

    /// Deallocates the statements the cache let go of, outside transactions only: there a
    /// failure cannot spoil the user's work. Failures are ignored (the session ends them anyway).
    private func deallocateRetiredStatements() {
        guard !statements.retired.isEmpty, !isClosed, transactionStatus == .idle,
            soup_PQstatus(handle) == CONNECTION_OK
        else { return }
        let script = statements.takeRetired().map { "DEALLOCATE \($0)" }.joined(separator: "; ")
        guard soup_PQsendQuery(handle, script) == 1 else { return }
        discardResults()
    }

    /// Lets the statement cache see each completed command (DDL forgets the kept statements).
    func noteCompleted(tag: String) {
        statements.noteCompleted(tag: tag)
    }

    public func executeScript(_ sql: String) throws {
        try DatabaseError.checkNoNULByte(in: sql)
        try prepareToSend()
        guard soup_PQsendQuery(handle, sql) == 1 else { throw sendFailure(sql: sql) }
        var failure: DatabaseError?
        while let result = nextResult() {
            let status = result.status
            if failure == nil, status == PGRES_FATAL_ERROR {
                failure = error(from: result, sql: sql)
            }
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
                noteCompleted(tag: result.commandStatus)
            }
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                // libpq hands out the same COPY result until the copy ends: end it, and the script.
                abandonCopy()
                throw Self.unsupportedCopy(sql: sql)
            }
        }
        if let failure { throw failure }
    }

    public func makeCanceller() -> any Canceller {
        canceller
    }

    public func copyIn(_ sql: String) throws -> any CopyInStream {
        try PostgresCopyIn(connection: self, sql: sql)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        pendingBegin = nil
        canceller.replace(with: nil)
        soup_PQfinish(handle)
    }

    // MARK: Internals shared with the cursor

    /// Finishes a still-running cursor and reconnects a broken connection; then sends a pending
    /// `BEGIN`, unless `foldingBegin` (the caller sends it with its statement).
    func prepareToSend(foldingBegin: Bool = false) throws {
        guard !isClosed else {
            throw DatabaseError(kind: .connection, message: "the connection is closed")
        }
        if let activeCursor {
            activeCursor.discard()
            self.activeCursor = nil
        }
        if needsReconnect || soup_PQstatus(handle) == CONNECTION_BAD {
            soup_PQreset(handle)
            guard soup_PQstatus(handle) == CONNECTION_OK else {
                needsReconnect = true
                throw DatabaseError(
                    kind: .connection, message: Self.firstLine(String(cString: soup_PQerrorMessage(handle))))
            }
            needsReconnect = false
            try afterConnect()
            try replaySessionStatements()
        }
        if !foldingBegin { try sendPendingBegin() }
    }

    public func replayAfterReconnect(_ statements: [String]) {
        sessionStatements = statements
    }

    /// Sets the new server session up as the lost one was; a statement that fails now fails
    /// the statement that was about to be sent, and the connection stays open.
    private func replaySessionStatements() throws {
        for statement in sessionStatements {
            guard soup_PQsendQuery(handle, statement) == 1 else { throw sendFailure(sql: statement) }
            var failure: DatabaseError?
            while let result = nextResult() {
                if failure == nil, result.status == PGRES_FATAL_ERROR { failure = error(from: result, sql: statement) }
            }
            if var failure {
                failure.message = "reconnected, but setting the session up again failed: " + failure.message
                throw failure
            }
        }
    }

    func sendFailure(sql: String) -> DatabaseError {
        let message = Self.firstLine(String(cString: soup_PQerrorMessage(handle)))
        if soup_PQstatus(handle) == CONNECTION_BAD {
            needsReconnect = true
            return DatabaseError(kind: .connectionLost, message: "connection to the server was lost: \(message)", sql: sql)
        }
        return DatabaseError(kind: .statement, message: message, sql: sql)
    }

    /// The next result of the statement in flight, or nil when it is complete.
    func nextResult() -> PostgresResult? {
        guard let result = soup_PQgetResult(handle) else { return nil }
        return PostgresResult(result)
    }

    /// Reads (and clears) every result left of the statement in flight.
    func discardResults() {
        while let result = nextResult() {
            _ = consume result
        }
    }

    /// Builds the error for a failed result, noticing a broken connection.
    func error(from result: borrowing PostgresResult, sql: String) -> DatabaseError {
        let connectionBroken = soup_PQstatus(handle) == CONNECTION_BAD
        if connectionBroken { needsReconnect = true }
        let sqlState = result.errorField(SOUP_PG_DIAG_SQLSTATE).map(SQLState.init(rawValue:))
        guard let message = result.errorField(SOUP_PG_DIAG_MESSAGE_PRIMARY) else {
            let text = Self.firstLine(String(cString: soup_PQerrorMessage(handle)))
            return DatabaseError(
                kind: connectionBroken ? .connectionLost : .statement,
                message: connectionBroken ? "connection to the server was lost: \(text)" : text, sql: sql)
        }
        let kind: DatabaseError.Kind =
            switch sqlState {
            case SQLState.queryCanceled: .cancelled
            case SQLState.Class.connectionException, SQLState.adminShutdown: .connectionLost
            default: connectionBroken ? .connectionLost : .statement
            }
        return DatabaseError(
            kind: kind, message: message, sqlState: sqlState, detail: result.errorField(SOUP_PG_DIAG_MESSAGE_DETAIL),
            hint: result.errorField(SOUP_PG_DIAG_MESSAGE_HINT),
            position: result.errorField(SOUP_PG_DIAG_STATEMENT_POSITION).flatMap { Int($0) }, sql: sql,
            context: result.errorField(SOUP_PG_DIAG_CONTEXT))
    }

    /// The error for `COPY … FROM STDIN` / `TO STDOUT`, which soup does not stream.
    static func unsupportedCopy(sql: String) -> DatabaseError {
        DatabaseError(
            kind: .statement, message: "COPY to or from the client is not supported here; use COPY with a file on the server",
            sql: sql)
    }

    /// Ends a COPY that the server started, leaving the connection ready.
    func abandonCopy() {
        _ = soup_PQputCopyEnd(handle, "COPY to or from the client is not supported")
        var buffer: UnsafeMutablePointer<CChar>?
        while soup_PQgetCopyData(handle, &buffer, 0) > 0 {
            soup_PQfreemem(buffer)
        }
        discardResults()
    }

    static func firstLine(_ text: String) -> String {
        let trimmed = text.trimmingWhitespace()
        return trimmed.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? trimmed
    }
}

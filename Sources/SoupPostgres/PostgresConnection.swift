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
    private var customTypesLoaded = false
    /// Whether the user-defined types were read in this server session.
    var hasReadCustomTypes: Bool { customTypesLoaded }
    /// Statements whose result types may still be learned before they run, instead of reading
    /// the user-defined types (see ``PostgresCustomTypes``).
    private var describesLeft = 0
    /// The cursor whose rows are still arriving; finished before the next statement is sent.
    private weak var activeCursor: PostgresCursor?
    /// Set when the connection broke; the next statement reconnects first.
    private var needsReconnect = false
    /// The session's `SET`s, run again after reconnecting (``replayAfterReconnect(_:)``).
    private var sessionStatements: [String] = []
    private var isClosed = false
    private var statements: PostgresStatementCache

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
    private func loadCustomTypes() throws {
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
        try prepareToSend()
        let encoded = ParameterEncoder(parameters)
        let key = PostgresStatementCache.Key(sql: sql, types: encoded.types)
        let wasIdle = transactionStatus == .idle
        do {
            return try send(key, encoded, plan: statements.plan(for: key))
        } catch let error as DatabaseError where PostgresStatementCache.isStale(error) {
            // Nothing ran. Outside a transaction, run it again unnamed; inside one, the server
            // has failed the transaction, and only its rollback helps.
            guard wasIdle else {
                var error = error
                error.hint = error.hint ?? "a table changed since soup prepared this statement; roll back and run it again"
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

    /// Prepares `sql` on the server as `name` (`""`: the unnamed statement) in one round trip;
    /// when `describing`, describes it in the same round trip and returns whether its result has
    /// columns of user-defined types not read yet.
    private func prepareStatement(_ name: String, sql: String, types: [Oid], describing: Bool) throws -> Bool {
        guard describing else {
            guard soup_PQsendPrepare(handle, name, sql, Int32(types.count), types) == 1 else { throw sendFailure(sql: sql) }
            var failure: DatabaseError?
            while let result = nextResult() {
                if failure == nil, result.status == PGRES_FATAL_ERROR { failure = error(from: result, sql: sql) }
            }
            if let failure { throw failure }
            return false
        }
        guard soup_PQenterPipelineMode(handle) == 1 else { throw sendFailure(sql: sql) }
        var failure: DatabaseError?
        var needsTypes = false
        if soup_PQsendPrepare(handle, name, sql, Int32(types.count), types) != 1
            || soup_PQsendDescribePrepared(handle, name) != 1 || soup_PQpipelineSync(handle) != 1
        {
            failure = sendFailure(sql: sql)
        } else {
            // Each command's results end with a nil; the sync point ends the round trip.
            reading: while true {
                guard let result = nextResult() else {
                    if soup_PQstatus(handle) == CONNECTION_BAD { break }
                    continue
                }
                switch result.status {
                case PGRES_FATAL_ERROR:
                    if failure == nil { failure = error(from: result, sql: sql) }
                case PGRES_COMMAND_OK:
                    if ResultLayout.needsCustomTypes(result, known: customTypes) { needsTypes = true }
                case PGRES_PIPELINE_SYNC:
                    break reading
                default:
                    break
                }
            }
        }
        if soup_PQexitPipelineMode(handle) != 1, failure == nil {
            needsReconnect = true
            failure = DatabaseError(
                kind: .connectionLost,
                message: "the connection was reset after preparing a statement: "
                    + Self.firstLine(String(cString: soup_PQerrorMessage(handle))), sql: sql)
        }
        if let failure { throw failure }
        return needsTypes
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

    /// Inside a transaction, the runs go in pipelines of ``runsPerPipeline`` through one
    /// prepared statement (unnamed runs when caching is off, or when the lists' parameter types
    /// differ); outside one, each run on its own, as ``query(_:_:)`` sends it.
    public func executeEach(_ sql: String, _ parameterLists: [[Value]], done: (Int, Int?) -> Void) throws {
        guard !parameterLists.isEmpty else { return }
        guard transactionStatus == .inTransaction else {
            for (index, parameters) in parameterLists.enumerated() {
                let cursor = try query(sql, parameters)
                while try cursor.next() != nil {}
                done(index, cursor.rowsAffected)
            }
            return
        }
        try DatabaseError.checkNoNULByte(in: sql)
        try prepareToSend()
        let encoded = parameterLists.map(ParameterEncoder.init)
        let key = PostgresStatementCache.Key(sql: sql, types: encoded[0].types)
        var name: String?
        if encoded.allSatisfy({ $0.types == key.types }) {
            switch statements.planForRepeatedRuns(of: key) {
            case .prepare(let newName):
                _ = try prepareStatement(newName, sql: sql, types: key.types, describing: false)
                statements.didPrepare(key, as: newName)
                name = newName
            case .execute(let known):
                name = known
            case .unnamed:
                break
            }
        }
        var start = 0
        while start < encoded.count {
            let end = min(start + Self.runsPerPipeline, encoded.count)
            try runPipeline(sql, name: name, encoded[start..<end]) { done(start + $0, $1) }
            start = end
        }
    }

    /// Runs per pipeline: their messages and answers stay far below the socket buffers, so
    /// neither side waits for the other while the pipeline is sent.
    static let runsPerPipeline = 256

    /// Sends the runs in one pipeline and reads their outcomes; the first error is thrown after
    /// `done` heard of the runs before it (the server skips the runs after it).
    private func runPipeline(
        _ sql: String, name: String?, _ runs: ArraySlice<ParameterEncoder>, done: (Int, Int?) -> Void
    ) throws {
        guard soup_PQenterPipelineMode(handle) == 1 else { throw sendFailure(sql: sql) }
        var failure: DatabaseError?
        var sent = 0
        for encoded in runs {
            let count = Int32(encoded.types.count)
            let queued = encoded.withArrays { types, values, lengths, formats in
                if let name { return soup_PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0) }
                return soup_PQsendQueryParams(handle, sql, count, types, values, lengths, formats, 0)
            }
            guard queued == 1 else {
                failure = sendFailure(sql: sql)
                break
            }
            sent += 1
        }
        if soup_PQpipelineSync(handle) != 1, failure == nil { failure = sendFailure(sql: sql) }
        var index = 0
        reading: while index < sent {
            guard let result = nextResult() else {
                if soup_PQstatus(handle) == CONNECTION_BAD { break }
                index += 1
                continue
            }
            switch result.status {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                if failure == nil { done(index, Int(result.commandTuples) ?? 0) }
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = error(from: result, sql: sql) }
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                if failure == nil { failure = Self.unsupportedCopy(sql: sql) }
                abandonCopy()
                break reading
            default:
                break
            }
        }
        if let stuck = finishPipeline(statementsLeft: sent - index), failure == nil { failure = stuck }
        if let failure { throw failure }
    }

    /// Sends every statement at once in pipeline mode and reads the results in order, so the
    /// batch costs one round trip.
    public func fetchBatch(_ batch: [BoundStatement]) throws -> [[[Value]]] {
        guard !batch.isEmpty else { return [] }
        for statement in batch { try DatabaseError.checkNoNULByte(in: statement.sql) }
        try prepareToSend()
        let pipeline = batch
        /// Results with user-defined types not read yet, kept as text until they are read.
        var undecoded: [UndecodedRows] = []
        guard soup_PQenterPipelineMode(handle) == 1 else { throw sendFailure(sql: pipeline.first?.sql ?? "") }
        var failure: DatabaseError?
        var sent = 0
        for statement in pipeline {
            let encoded = ParameterEncoder(statement.parameters)
            let queued = encoded.withArrays { types, values, lengths, formats in
                soup_PQsendQueryParams(
                    handle, statement.sql, Int32(statement.parameters.count), types, values, lengths, formats, 0)
            }
            guard queued == 1 else {
                failure = sendFailure(sql: statement.sql)
                break
            }
            sent += 1
        }
        if soup_PQpipelineSync(handle) != 1, failure == nil {
            failure = sendFailure(sql: pipeline.last?.sql ?? "")
        }
        var rows = [[[Value]]](repeating: [], count: pipeline.count)
        // Each statement's results end with a nil; after an error, the statements left are
        // skipped (PGRES_PIPELINE_ABORTED) up to the sync point.
        var index = 0
        reading: while index < sent {
            guard let result = nextResult() else {
                if soup_PQstatus(handle) == CONNECTION_BAD { break }
                index += 1
                continue
            }
            let status = result.status
            if status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE, !customTypesLoaded,
                ResultLayout.needsCustomTypes(result, known: customTypes)
            {
                undecoded.append(UndecodedRows(index: index, result: result))
                continue
            }
            switch status {
            case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
                // libpq may keep the single-row mode of the statement before the batch for its
                // first statement, which then comes row by row.
                let layout = ResultLayout(of: result, custom: customTypes)
                for row in 0..<result.rowCount { rows[index].append(layout.row(row, of: result)) }
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = error(from: result, sql: pipeline[index].sql) }
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                if failure == nil { failure = Self.unsupportedCopy(sql: pipeline[index].sql) }
                abandonCopy()
                break reading
            default:
                break
            }
        }
        if let stuck = finishPipeline(statementsLeft: sent - index), failure == nil { failure = stuck }
        if let failure { throw failure }
        if !undecoded.isEmpty {
            try loadCustomTypes()
            for kept in undecoded { rows[kept.index] += kept.decoded(custom: customTypes) }
        }
        return rows
    }

    /// Reads what is left up to the sync point and leaves pipeline mode. A connection that
    /// cannot leave it is reset before the next statement, and the error says so.
    private func finishPipeline(statementsLeft: Int) -> DatabaseError? {
        // A nil ends one statement's results, so at most one per statement comes before the sync.
        var nilsLeft = statementsLeft + 1
        while nilsLeft > 0, soup_PQstatus(handle) != CONNECTION_BAD {
            guard let result = nextResult() else {
                nilsLeft -= 1
                continue
            }
            if result.status == PGRES_PIPELINE_SYNC { break }
        }
        guard soup_PQexitPipelineMode(handle) != 1 else { return nil }
        needsReconnect = true
        let message = Self.firstLine(String(cString: soup_PQerrorMessage(handle)))
        return DatabaseError(kind: .connectionLost, message: "the connection was reset after a batch of statements: \(message)")
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
        canceller.replace(with: nil)
        soup_PQfinish(handle)
    }

    // MARK: Internals shared with the cursor

    /// Finishes a still-running cursor and reconnects a broken connection.
    func prepareToSend() throws {
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

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}

/// Sends libpq's cancel request from any thread.
private final class CancelRequest: Canceller {
    /// The `PGcancel` object's address (0 when none); a C pointer is not `Sendable`.
    private let address = Mutex<UInt>(0)

    func cancel() {
        address.withLock { address in
            guard let request = OpaquePointer(bitPattern: address) else { return }
            var buffer = [CChar](repeating: 0, count: 256)
            _ = soup_PQcancel(request, &buffer, Int32(buffer.count))
        }
    }

    /// Installs a new `PGcancel` (freeing the old one); returns whether there was an old one.
    @discardableResult
    func replace(with request: OpaquePointer?) -> Bool {
        let newAddress = request.map { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer($0))) } ?? 0
        return address.withLock { address in
            let old = OpaquePointer(bitPattern: address)
            if let old { soup_PQfreeCancel(old) }
            address = newAddress
            return old != nil
        }
    }
}

/// Collects the server's notices; libpq calls the receiver on the connection's own thread.
private final class NoticeBuffer {
    var messages: [String] = []

    func take() -> [String] {
        defer { messages = [] }
        return messages
    }
}

private func noticeReceiver(_ context: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let context, let result else { return }
    let buffer = Unmanaged<NoticeBuffer>.fromOpaque(context).takeUnretainedValue()
    let severity = soup_PQresultErrorField(result, SOUP_PG_DIAG_SEVERITY).map { String(cString: $0) } ?? "NOTICE"
    let message = soup_PQresultErrorField(result, SOUP_PG_DIAG_MESSAGE_PRIMARY).map { String(cString: $0) } ?? ""
    buffer.messages.append("\(severity):  \(message)")
}

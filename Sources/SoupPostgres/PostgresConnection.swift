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
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/current/libpq.html>
public final class PostgresConnection: Connection {
    public let dialect = Dialect.postgres
    public let displayName: String

    private var handle: OpaquePointer
    private let canceller = CancelRequest()
    private let notices = NoticeBuffer()
    /// User-defined types (enums, domains, ranges and arrays of them), loaded at connect.
    private(set) var customTypes: [UInt32: PostgresType.Custom] = [:]
    /// The cursor whose rows are still arriving; finished before the next statement is sent.
    private weak var activeCursor: PostgresCursor?
    /// Set when the connection broke; the next statement reconnects first.
    private var needsReconnect = false
    /// The session's `SET`s, run again after reconnecting (``replayAfterReconnect(_:)``).
    private var sessionStatements: [String] = []
    private var isClosed = false

    /// Connects; throws a ``DatabaseError`` of kind `.connection` that names the server (never
    /// the password) when the server cannot be reached or refuses the login, or when libpq
    /// cannot be loaded.
    public init(conninfo: String) throws {
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
        canceller.replace(with: soup_PQgetCancel(handle))
        soup_PQsetNoticeReceiver(handle, noticeReceiver, Unmanaged.passUnretained(notices).toOpaque())
        try loadCustomTypes()
    }

    /// Reads enums, domains, ranges and multiranges, so their values (and arrays of them)
    /// decode by their base types. One scan of `pg_type`: each row's `typarray` is its array type.
    private func loadCustomTypes() throws {
        let sql = """
            SELECT oid::int8, typname::text, typtype::text, typbasetype::int8, typarray::int8
            FROM pg_catalog.pg_type WHERE oid >= 16384 AND typtype IN ('e', 'd', 'r', 'm')
            """
        /// A type as listed: its name, kind (`a` for an array) and the type it decodes through
        /// (a domain's base type, an array's element type).
        var listed: [UInt32: (name: String, kind: String, via: UInt32)] = [:]
        for row in try fetchAll(sql) {
            guard case .integer(let oid) = row[0], case .text(let name) = row[1], case .text(let kind) = row[2],
                case .integer(let base) = row[3], case .integer(let array) = row[4]
            else { continue }
            listed[UInt32(oid)] = (name, kind, UInt32(base))
            if array != 0 { listed[UInt32(array)] = ("_" + name, "a", UInt32(oid)) }
        }
        var custom: [UInt32: PostgresType.Custom] = [:]
        /// A domain may be over an enum, another domain or an array, listed in any order.
        func decoding(of oid: UInt32) -> PostgresType.Decoding {
            if let known = custom[oid] { return known.decoding }
            guard let type = listed[oid] else { return PostgresType.decoding(of: oid, custom: [:]) }
            let result: PostgresType.Decoding
            switch type.kind {
            case "d": result = decoding(of: type.via)
            case "a": result = .array(of: decoding(of: type.via), delimiter: ",")
            default: result = .text
            }
            custom[oid] = .init(name: type.name, decoding: result)
            return result
        }
        for oid in listed.keys { _ = decoding(of: oid) }
        customTypes = custom
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
        try prepareToSend()
        let encoded = ParameterEncoder(parameters)
        let sent = encoded.withArrays { types, values, lengths, formats in
            soup_PQsendQueryParams(handle, sql, Int32(parameters.count), types, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw sendFailure(sql: sql) }
        soup_PQsetSingleRowMode(handle)
        let cursor = try PostgresCursor(connection: self, sql: sql)
        activeCursor = cursor
        return cursor
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
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                // libpq hands out the same COPY result until the copy ends: end it, and the script.
                abandonCopy()
                throw Self.unsupportedCopy(sql: sql)
            }
        }
        if let failure { throw failure }
    }

    /// Sends every statement at once in pipeline mode and reads the results in order, so the
    /// batch costs one round trip.
    public func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]] {
        guard !statements.isEmpty else { return [] }
        for statement in statements { try DatabaseError.checkNoNULByte(in: statement.sql) }
        try prepareToSend()
        guard soup_PQenterPipelineMode(handle) == 1 else { throw sendFailure(sql: statements.first?.sql ?? "") }
        var failure: DatabaseError?
        var sent = 0
        for statement in statements {
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
            failure = sendFailure(sql: statements.last?.sql ?? "")
        }
        var rows = [[[Value]]](repeating: [], count: statements.count)
        // Each statement's results end with a nil; after an error, the statements left are
        // skipped (PGRES_PIPELINE_ABORTED) up to the sync point.
        var index = 0
        reading: while index < sent {
            guard let result = nextResult() else {
                if soup_PQstatus(handle) == CONNECTION_BAD { break }
                index += 1
                continue
            }
            switch result.status {
            case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
                // libpq may keep the single-row mode of the statement before the batch for its
                // first statement, which then comes row by row.
                let layout = ResultLayout(of: result, custom: customTypes)
                for row in 0..<result.rowCount { rows[index].append(layout.row(row, of: result)) }
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = error(from: result, sql: statements[index].sql) }
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                if failure == nil { failure = Self.unsupportedCopy(sql: statements[index].sql) }
                abandonCopy()
                break reading
            default:
                break
            }
        }
        if let stuck = finishPipeline(statementsLeft: sent - index), failure == nil { failure = stuck }
        if let failure { throw failure }
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

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        canceller.replace(with: nil)
        soup_PQfinish(handle)
    }

    // MARK: Internals shared with the cursor

    /// Finishes a still-running cursor and reconnects a broken connection.
    private func prepareToSend() throws {
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

    private func sendFailure(sql: String) -> DatabaseError {
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
            position: result.errorField(SOUP_PG_DIAG_STATEMENT_POSITION).flatMap { Int($0) }, sql: sql)
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

import SoupDriver
import SoupSQL

/// A ``Connection`` over the bindings of a profile that sends each statement to the right one
/// (docs/routing-rules.md), so the soup, its session and the runners need not know about routing.
///
/// Precedence, first rule that applies: a forced binding (a `/* soup:bind=NAME */` hint, then
/// ``force(binding:)`` for `-b` and `\use`); inside an open transaction, the binding that opened
/// it; writes and anything not known to read go to the writer; reads go to the reader when
/// there is one and read-your-writes does not hold them on the writer. Bindings connect on
/// first use, so a read-only command never opens the writer.
public final class RoutingConnection: Connection {
    /// Opens a binding's connection; the flag asks for a read-only session.
    public typealias Opener = (BindingConfig, _ readOnly: Bool) throws -> any Connection

    public let profile: Profile
    public let dialect: Dialect
    /// Refuse writes and the statements that make a session read-write, before sending them.
    public let readOnly: Bool
    /// Where notes go (a retried statement); standard error in the command line.
    public var note: (String) -> Void = { _ in }
    /// Called with each routing decision before the statement is sent (`-v` prints them).
    public var onRoute: ((Route) -> Void)?
    /// The binding the last statement was sent to (a plan says where it was made).
    public internal(set) var lastBinding: String?

    let slots: [BindingSlot]
    /// The reader binding's servers, in config order.
    let readerSlots: [BindingSlot]
    let opener: Opener
    private(set) var forced: String?
    var readYourWrites: ReadYourWrites
    var logger: AuditLogger
    let cancellers = CancellerSet()
    /// SET and other session statements sent outside transactions, replayed on bindings that
    /// open later and after a connection reconnects by itself (not with `pool_mode = "transaction"`).
    var sessionStatements: [String] = []
    /// Whether the note that a SET lasts one transaction (`pool_mode = "transaction"`) was given.
    var warnedOfPooledSet = false
    /// Session statements sent inside the open transaction: kept if it commits.
    var uncommittedSessionStatements: [String] = []
    /// Whether a function name is volatile, as the database said (PostgreSQL).
    var volatility: [String: Bool] = [:]
    /// A write went to the writer and its commit is not yet recorded for read-your-writes.
    var writerHasUnrecordedWrite = false
    /// Advances with each read routed outside a transaction: the round robin over readers.
    var readerTurn = 0
    /// Reads routed so far, and the last one's route, for `soup status`.
    var readsRouted = 0
    var lastRead: Route?
    /// Whether reads may be sent ahead (``prefetch(_:)``): not when each statement is echoed as
    /// it is sent, which must come in order.
    public var prefetchesReads = false
    /// Reads sent ahead, in the order they will be asked for.
    var prefetched: [PrefetchedRead] = []
    /// Where the readers' back-offs and the last session's reads are kept between processes.
    let readerRecordsFile: String?
    /// The reads of the last session that routed any, as an earlier process saved them.
    var earlierReads: ReaderRecords.Reads?
    /// A read-only transaction that routing put on a reader, until its first statement has run:
    /// see ``restartUnstartedTransaction(after:on:)``.
    var unstartedReadTransaction: (slot: BindingSlot, control: TransactionControl)?

    /// - Parameter stateFile: where read-your-writes is kept between processes (nil: memory only).
    public init(profile: Profile, readOnly: Bool = false, stateFile: String? = nil, opener: @escaping Opener) {
        self.profile = profile
        self.readOnly = readOnly || profile.readOnly
        self.opener = opener
        let writerLocator = profile.binding(named: Binding.writer)?.locator
        if case .sqlite = writerLocator { dialect = .sqlite } else { dialect = .postgres }
        slots = profile.bindings.flatMap { config in
            config.servers.indices.map { index in
                BindingSlot(
                    config: config.server(index), label: config.servers.count > 1 ? "\(config.name).\(index + 1)" : config.name,
                    readOnly: config.name == Binding.reader || (config.name != Binding.logger && (readOnly || profile.readOnly)))
            }
        }
        readerSlots = slots.filter { $0.name == Binding.reader }
        readYourWrites = ReadYourWrites(profile: profile.name, stateFile: stateFile)
        readerRecordsFile = stateFile.map(ReaderRecords.file(beside:))
        logger = AuditLogger(profile: profile.name)
        adoptReaderRecords()
    }

    public var displayName: String {
        profile.name.isEmpty ? (profile.bindings.first?.displayURL ?? "") : profile.name
    }

    /// The binding names, in config order.
    public var bindingNames: [String] { profile.bindings.map(\.name) }

    /// The binding that `-b` or `\use` forced, if any.
    public var forcedBinding: String? { forced }

    /// Sends every statement to `name` until called again; `nil` restores automatic routing.
    public func force(binding name: String?) throws(RoutingError) {
        discardPrefetches()
        if let name { _ = try slot(named: name) }
        forced = name
    }

    /// Connects `name` now instead of on first use (to report a bad server at once).
    public func connect(binding name: String) throws {
        discardPrefetches()
        _ = try open(try slot(named: name))
    }

    /// Where read-your-writes is kept for `profile` between processes:
    /// `$XDG_STATE_HOME/soup/routing-PROFILE.json` (default `~/.local/state/soup/`).
    public static func stateFile(profile: String, environment: [String: String]) -> String? {
        ReadYourWrites.stateFile(profile: profile, environment: environment)
    }

    /// Closes every binding's connection; each reconnects on its next use, so a promoted
    /// replica is found again (`\reconnect`).
    public func reconnectAll() {
        discardPrefetches()
        recordCommittedWrite()
        uncommittedSessionStatements.removeAll()
        for slot in slots { slot.close(reopenable: true) }
    }

    // MARK: Connection

    public var transactionStatus: TransactionStatus {
        transactionSlot?.connection?.transactionStatus ?? .idle
    }

    public func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        if let cursor = try takePrefetched(sql, parameters) { return cursor }
        return try send(sql, parameters: parameters) { connection in try connection.query(sql, parameters) }
    }

    public func executeScript(_ sql: String) throws {
        discardPrefetches()
        _ = try send(sql, parameters: []) { connection in
            try connection.executeScript(sql)
            return ArrayCursor(columns: [], rows: [])
        }
    }

    /// The whole batch goes to the only binding when there is nothing to route or refuse;
    /// otherwise each statement is routed on its own.
    public func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]] {
        discardPrefetches()
        guard let only = onlyBinding(for: statements.map(\.sql)) else {
            return try statements.map { try fetchAll($0.sql, $0.parameters) }
        }
        return try open(only).fetchBatch(statements)
    }

    /// Where the query would go, as a read.
    public func describe(_ sql: String) throws -> [DescribedColumn] {
        discardPrefetches()
        var columns: [DescribedColumn] = []
        _ = try send(sql, parameters: []) { connection in
            columns = try connection.describe(sql)
            return ArrayCursor(columns: [], rows: [])
        }
        return columns
    }

    /// To the only binding when there is nothing to route or refuse (its driver prepares the
    /// statement once); otherwise each run is routed on its own.
    public func executeEach(_ sql: String, _ runs: ParameterRows, done: (Int, Int?) -> Void) throws {
        discardPrefetches()
        guard let only = onlyBinding(for: [sql]) else {
            for (index, parameters) in runs.enumerated() {
                let cursor = try query(sql, Array(parameters))
                while try cursor.next() != nil {}
                done(index, cursor.rowsAffected)
            }
            return
        }
        try open(only).executeEach(sql, runs, done: done)
    }

    /// A transaction step is routed by its type, not its SQL: a read-only BEGIN goes to the
    /// reader whatever its text (SQLite has no `BEGIN READ ONLY`).
    public func perform(_ control: TransactionControl) throws {
        discardPrefetches()
        unstartedReadTransaction = nil
        _ = try send(dialect.sql(for: control), parameters: [], classification: SQLClassification(control)) { connection in
            try connection.perform(control)
            return ArrayCursor(columns: [], rows: [])
        }
        if case .begin = control, forced == nil, let reader = transactionSlot, reader.name == Binding.reader {
            unstartedReadTransaction = (reader, control)
        }
    }

    public func makeCanceller() -> any Canceller { cancellers }

    public func close() {
        discardPrefetches()
        recordCommittedWrite()
        saveReaderRecords()
        for slot in slots { slot.close(reopenable: false) }
    }

    public func takeNotices() -> [String] {
        slots.flatMap { $0.isPrefetching ? [] : $0.connection?.takeNotices() ?? [] }
    }

    // MARK: Routing

    /// Routes, sends, retries a refused read on the writer once, and keeps the records.
    private func send(
        _ sql: String, parameters: [Value], classification given: SQLClassification? = nil,
        _ run: (any Connection) throws -> any Cursor
    ) throws -> any Cursor {
        if let only = onlyBinding(for: [sql]) {
            let connection = try open(only)
            return try keepingSessionState(sql, given, on: connection) { try run(connection) }
        }
        recordCommittedWrite()
        let classification = given ?? SQLClassifier.classify(sql)
        if readOnly, classification.isRefusedWhenReadOnly {
            let error = DatabaseError(
                kind: .statement,
                message: "read-only: soup refused to send \(classification.reason) (it writes or makes the session read-write)",
                sqlState: .readOnlySQLTransaction, hint: "run without --read-only (and without read_only in the profile) to write", sql: sql)
            logWrite(sql, parameters, binding: "-", duration: .zero, outcome: "refused (read-only)")
            throw error
        }
        if classification.kind == .session, forcedName(classification) == nil, transactionSlot == nil {
            return try sendSessionStatement(sql, classification, run)
        }
        let targets = try route(classification)
        var failures: [String] = []
        // A read that a reader could not take goes on to the next target (another reader, then
        // the writer, always last): it was routed outside a transaction, so nothing had run there.
        for target in targets.dropLast() {
            do {
                return try send(sql, parameters, classification, to: target, after: failures, run)
            } catch let error as DatabaseError where error.isConnectionFailure {
                markDown(target.slot, error)
                failures.append("\(target.slot.label) failed: \(error.message)")
            }
        }
        let last = targets[targets.count - 1]
        do {
            return try send(sql, parameters, classification, to: last, after: failures, run)
        } catch let error as DatabaseError where error.isConnectionFailure && last.slot.name != Binding.logger {
            if try restartUnstartedTransaction(after: error, on: last.slot) {
                return try send(sql, parameters: parameters, classification: given, run)
            }
            // A reader is taken out of the rotation; a writer's failover may have changed roles.
            if last.slot.name == Binding.reader { markDown(last.slot, error) } else { recheckReaderRoles() }
            throw error
        }
    }

    /// Sends to one binding, retrying a read the reader refused with 25006 on the writer once,
    /// and keeps the records.
    private func send(
        _ sql: String, _ parameters: [Value], _ classification: SQLClassification, to target: RouteTarget, after failures: [String],
        _ run: (any Connection) throws -> any Cursor
    ) throws -> any Cursor {
        let (slot, read) = (target.slot, target.isRoutedRead)
        let reason = failures.isEmpty ? target.reason : target.reason + "; retried after " + failures.joined(separator: "; ")
        let retriable = read && slot.name == Binding.reader
        let connection = try open(slot)
        let wasIdle = connection.transactionStatus == .idle
        slot.statementsSent += 1
        slot.lastRoute = Route(binding: slot.label, reason: reason, sql: sql)
        lastBinding = slot.label
        if let onRoute, let route = slot.lastRoute { onRoute(route) }
        let started = ContinuousClock.now
        do {
            let cursor = try keepingSessionState(sql, classification, on: connection) { try run(connection) }
            unstartedReadTransaction = nil
            afterWrite(classification, on: slot, sql, parameters, since: started, outcome: "ok")
            if read {
                slot.reads += 1
                readsRouted += 1
                lastRead = slot.lastRoute
            }
            return cursor
        } catch let error as DatabaseError {
            if retriable, wasIdle, error.sqlState == .readOnlySQLTransaction, let writer = self.slot(role: Binding.writer) {
                note("the reader refused a statement taken for a read (\(error.message)); retrying it once on the writer")
                let writerConnection = try open(writer)
                writer.statementsSent += 1
                lastBinding = writer.label
                writer.lastRoute = Route(
                    binding: writer.label, reason: "retried: the reader answered \(SQLState.readOnlySQLTransaction) (read-only transaction)",
                    statement: Self.summary(sql))
                writerHasUnrecordedWrite = true
                let cursor = try run(writerConnection)
                logWrite(sql, parameters, binding: writer.name, duration: ContinuousClock.now - started, outcome: "ok (retried on the writer)")
                return cursor
            }
            afterWrite(classification, on: slot, sql, parameters, since: started, outcome: "error \(error.sqlState?.rawValue ?? ""): \(error.message)")
            var explained = error
            if error.sqlState == .readOnlySQLTransaction, slot.readOnly, forcedName(classification) != nil {
                explained.hint = "binding '\(slot.label)' is read-only; the statement was forced there (-b, \\use or a soup:bind hint)"
            }
            throw explained
        }
    }

    /// Where a statement may go and why: one target, or for a read several, tried in order.
    private func route(_ classification: SQLClassification) throws -> [RouteTarget] {
        func only(_ slot: BindingSlot, _ reason: RouteReason) -> [RouteTarget] {
            [RouteTarget(slot: slot, reason: reason, isRoutedRead: false)]
        }
        if let name = classification.hintedBinding {
            return only(try forcedSlot(name), "forced by a soup:bind hint")
        }
        if let forced {
            return only(try forcedSlot(forced), "forced (-b or \\use)")
        }
        if let transaction = transactionSlot {
            return only(transaction, RouteReason("inside the transaction open on ", transaction.label))
        }
        let writer = try slot(named: Binding.writer)
        switch classification.kind {
        case .write:
            return only(writer, RouteReason("write: ", classification.reason))
        case .begin:
            guard classification.beginsReadOnly || (readOnly && !classification.escapesReadOnly) else {
                return only(writer, "\(classification.reason) (may write)")
            }
            return try readTargets(RouteReason("read-only transaction"))
        case .read:
            if classification.plansWrite { return only(writer, "EXPLAIN of a write: planned where it would run") }
            // Only a read that could go to a reader needs the volatility check.
            if slot(role: Binding.reader) != nil, let volatile = try volatileFunction(classification.functions) {
                return only(writer, "write: calls volatile function \(volatile)()")
            }
            return try readTargets(RouteReason("read: ", classification.reason))
        case .end, .transactionControl, .session:
            let target = slots.first { $0.isOpen && $0.name != Binding.logger } ?? writer
            return only(target, "\(classification.reason) outside a transaction")
        }
    }

    /// Sends a SET or other per-connection statement to every open binding (the read target
    /// when none is open) and remembers it for bindings that open later.
    private func sendSessionStatement(
        _ sql: String, _ classification: SQLClassification, _ run: (any Connection) throws -> any Cursor
    ) throws -> any Cursor {
        var targets = slots.filter { $0.isOpen && $0.name != Binding.logger }
        if targets.isEmpty { targets = [try readerOrder(advancing: false).usable.first ?? slot(named: Binding.writer)] }
        for extra in targets.dropFirst() {
            try open(extra).executeScript(sql)
            extra.statementsSent += 1
        }
        let first = targets[0]
        let connection = try open(first)
        first.statementsSent += 1
        first.lastRoute = Route(binding: first.label, reason: RouteReason("session setting: sent to every open binding"), sql: sql)
        let cursor = try run(connection)
        keepSessionStatement(sql, classification, sentOutsideTransaction: true)
        return cursor
    }
}

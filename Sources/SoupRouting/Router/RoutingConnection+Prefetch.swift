import SoupDriver
import SoupPlatform
import SoupSQL

/// A read sent ahead to a reader on a thread of its own: the thread owns the reader's
/// connection until ``take()``.
final class PrefetchedRead: @unchecked Sendable {
    let sql: String
    let target: RouteTarget
    private var outcome: Result<any Cursor, any Error>?
    private var work: BackgroundWork?

    init(sql: String, target: RouteTarget, connection: any Connection) {
        self.sql = sql
        self.target = target
        work = BackgroundWork { [self] in
            outcome = Result { try connection.query(sql, []) }
        }
    }

    /// Waits for the server's answer and takes it; the connection is the caller's again.
    func take() -> Result<any Cursor, any Error> {
        work?.join()
        work = nil
        defer { outcome = nil }
        return outcome ?? .failure(DatabaseError(kind: .connectionLost, message: "the read sent ahead was taken twice"))
    }
}

/// Reads sent ahead over several readers (``Connection/prefetch(_:)``).
///
/// One reader at a time, a script of single reads waits for each answer in turn, and its
/// readers take turns being idle; turning between two server processes even costs more than
/// staying on one (each one's wake-up is paid on every read). So while the caller waits for
/// one reader and reads its rows, the next read is already on its way to the next reader in
/// the rotation: the readers answer side by side. Only plain reads are sent ahead, outside
/// transactions, to a reader that is connected and idle, when routing needs to ask no server
/// where to send them (no `max_lag`, no read-your-writes by LSN pending, no function of unknown
/// volatility), and never under `--read-only` or a forced binding. The rows come in the order
/// of the statements; a statement that is not the one sent ahead, or anything else asked of the
/// router, first throws away what was sent ahead (reads change nothing), and it runs as usual.
extension RoutingConnection {
    /// Reads sent ahead at most at once.
    static let prefetchDepth = 2

    public func prefetch(_ reads: [String]) {
        guard prefetchesReads, dialect == .postgres, readerSlots.count > 1, !readOnly, forced == nil, profile.maxLag == nil,
            !writerHasUnrecordedWrite, profile.sticky != .lsn || readYourWrites.lastWrite == nil, transactionSlot == nil
        else { return discardPrefetches() }
        if !reads.starts(with: prefetched.map(\.sql)) { discardPrefetches() }
        for sql in reads.prefix(Self.prefetchDepth).dropFirst(prefetched.count) {
            guard let read = sendAhead(sql) else { return }
            prefetched.append(read)
        }
    }

    /// Sends `sql` to the next reader in turn, or nil when it cannot go ahead.
    private func sendAhead(_ sql: String) -> PrefetchedRead? {
        let classification = SQLClassifier.classify(sql)
        guard classification.kind == .read, !classification.plansWrite, classification.hintedBinding == nil,
            classification.functions.allSatisfy({ volatility[$0] == false })
        else { return nil }
        // Routing takes the reader's turn; a read that cannot go ahead gives it back.
        let turn = readerTurn
        guard let target = try? readTargets(RouteReason("read: ", classification.reason)).first,
            target.slot.name == Binding.reader, !target.slot.isPrefetching,
            let connection = target.slot.connection, connection.transactionStatus == .idle
        else {
            readerTurn = turn
            return nil
        }
        target.slot.isPrefetching = true
        return PrefetchedRead(sql: sql, target: target, connection: connection)
    }

    /// The rows of the read sent ahead first, when `sql` is it; nil when nothing was sent ahead.
    /// Anything else asked first throws away what was sent ahead.
    func takePrefetched(_ sql: String, _ parameters: [Value]) throws -> (any Cursor)? {
        guard let read = prefetched.first else { return nil }
        guard read.sql == sql, parameters.isEmpty else {
            discardPrefetches()
            return nil
        }
        prefetched.removeFirst()
        let slot = read.target.slot
        let outcome = read.take()
        slot.isPrefetching = false
        slot.statementsSent += 1
        let route = Route(binding: slot.label, reason: read.target.reason + "; sent ahead", sql: sql)
        slot.lastRoute = route
        lastBinding = slot.label
        onRoute?(route)
        switch outcome {
        case .success(let cursor):
            slot.reads += 1
            readsRouted += 1
            lastRead = route
            return cursor
        case .failure(let error as DatabaseError) where error.isConnectionFailure:
            // Nothing ran there: the read goes on as any read a reader could not take.
            markDown(slot, error)
            discardPrefetches()
            return nil
        case .failure(let error):
            throw error
        }
    }

    /// Waits for the reads sent ahead and throws their rows away (or cancels them), leaving
    /// each reader's connection to the caller.
    func discardPrefetches() {
        guard !prefetched.isEmpty else { return }
        for read in prefetched {
            _ = read.take()
            read.target.slot.isPrefetching = false
        }
        prefetched.removeAll()
    }
}

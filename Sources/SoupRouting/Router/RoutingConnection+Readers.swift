import SoupDriver

/// How one reader server is doing, as routing last saw it.
struct ReaderHealth {
    /// The back-off of the last failure: 1 s, doubling up to 60 s; zero while up.
    var backoff: Duration = .zero
    /// While down: when to try again, on the monotonic clock and (for reports) the wall clock.
    var downUntil: ContinuousClock.Instant?
    var downUntilWall: Double?
    /// Why it went down.
    var downReason: String?
    /// The last lag measured, when, and whether it was over `max_lag`.
    var lag: RoutingStatus.Lag?
    var lagCheckedAt: ContinuousClock.Instant?
    var lagging = false
    /// `pg_is_in_recovery()` said so at some connection: a later connection that says otherwise
    /// means the server was promoted.
    var wasStandby = false
    /// The last write's LSN once this reader was seen to have replayed it (read-your-writes).
    var replayedLSN: String?

    func isDown(at now: ContinuousClock.Instant) -> Bool {
        downUntil.map { now < $0 } ?? false
    }
}

/// A place a statement may go, and why; reads list several, tried in order.
struct RouteTarget {
    let slot: BindingSlot
    let reason: RouteReason
    /// A read that routing chose (not forced): it counts in the shares of reads, and a reader
    /// that fails to connect passes it on to the next target.
    let isRoutedRead: Bool
}

extension DatabaseError {
    /// The server could not be reached or the connection broke: another server may answer.
    var isConnectionFailure: Bool { kind == .connection || kind == .connectionLost }
}

extension RoutingConnection {
    /// How long a measured lag is trusted before a reader is asked again.
    static let lagCheckInterval = Duration.seconds(1)

    /// A read's targets: the usable readers in round-robin order (one turn per read, so reads
    /// outside transactions spread evenly), unless read-your-writes holds the read on the
    /// writer; then the writer, which takes the read if every reader fails.
    func readTargets(_ reason: RouteReason) throws -> [RouteTarget] {
        let writer = try slot(named: Binding.writer)
        let readers = readerSlots
        guard !readers.isEmpty else { return [RouteTarget(slot: writer, reason: reason + " (no reader configured)", isRoutedRead: true)] }
        var (usable, skipped) = readerOrder()
        let skippedNote = skipped.isEmpty ? "" : " (skipped \(skipped.joined(separator: "; ")))"
        var detail = ""
        switch try readYourWritesCheck(usable) {
        case .holdWriter(let why):
            return [RouteTarget(slot: writer, reason: RouteReason(reason, then: "; ", why, skippedNote), isRoutedRead: true)]
        case .reader(let chosen, let why):
            if let chosen { usable = [chosen] + usable.filter { $0 !== chosen } }
            if let why { detail = " (\(why))" }
        }
        let spread = readers.count > 1 ? Self.roundRobin(over: readers.count) : ""
        let fallback = RouteTarget(slot: writer, reason: RouteReason(reason, then: "; no reader could take it", skippedNote), isRoutedRead: true)
        let readerReason = RouteReason(reason, then: spread, detail, skippedNote)
        var targets: [RouteTarget] = []
        targets.reserveCapacity(usable.count + 1)
        for reader in usable { targets.append(RouteTarget(slot: reader, reason: readerReason, isRoutedRead: true)) }
        targets.append(fallback)
        return targets
    }

    /// `; round robin over 2 readers`, made once for the usual counts.
    static func roundRobin(over count: Int) -> String {
        count < roundRobinNotes.count ? roundRobinNotes[count] : "; round robin over \(count) readers"
    }

    private static let roundRobinNotes = (0..<9).map { "; round robin over \($0) readers" }

    /// The server a forced binding name means: a server's label (`reader.2`), or a binding's
    /// name, which for a reader of several servers is the next usable one in the rotation.
    func forcedSlot(_ name: String) throws -> BindingSlot {
        if name == Binding.reader, readerSlots.count > 1, !slots.contains(where: { $0.label == name }) {
            return readerOrder().usable.first ?? readerSlots[0]
        }
        return try slot(named: name)
    }

    /// The readers to try for the next read, starting one further than the last read did,
    /// and why the others are left out (down for a back-off, promoted, or over `max_lag`).
    func readerOrder(advancing: Bool = true) -> (usable: [BindingSlot], skipped: [String]) {
        let readers = readerSlots
        guard !readers.isEmpty else { return ([], []) }
        let start = readerTurn % readers.count
        if advancing { readerTurn &+= 1 }
        var usable: [BindingSlot] = []
        var skipped: [String] = []
        for offset in readers.indices {
            let reader = readers[(start + offset) % readers.count]
            if let why = unusableReason(reader) {
                skipped.append("\(reader.label): \(why)")
            } else {
                usable.append(reader)
            }
        }
        return (usable, skipped)
    }

    /// Why a reader should not take a read now, or nil when it may.
    private func unusableReason(_ reader: BindingSlot) -> String? {
        let now = ContinuousClock.now
        if reader.health.isDown(at: now) { return "down until \(Self.clockTime(reader.health.downUntilWall))" }
        guard let maxLag = profile.maxLag, dialect == .postgres else { return nil }
        if let checked = reader.health.lagCheckedAt, now - checked < Self.lagCheckInterval, reader.isOpen {
            return reader.health.lagging ? lagDescription(reader) : nil
        }
        do {
            let connection = try open(reader)
            guard connection.transactionStatus == .idle else { return nil }
            let lag = lag(of: connection, writerLSN: writerLSN())
            reader.health.lag = lag
            reader.health.lagCheckedAt = now
            reader.health.lagging =
                switch maxLag {
                case .bytes(let limit): (lag?.bytes ?? 0) > limit
                case .time(let limit): (lag?.seconds ?? 0) > limit.seconds
                }
            return reader.health.lagging ? lagDescription(reader) : nil
        } catch {
            markDown(reader, error)
            return "down: \(Self.message(of: error))"
        }
    }

    private func lagDescription(_ reader: BindingSlot) -> String {
        let lag = reader.health.lag
        return "lagging by \(lag?.bytes.map(String.init) ?? "?") bytes, "
            + "\(lag?.seconds.map(RoutingStatus.format) ?? "?") s, over max_lag \(profile.maxLag?.description ?? "-")"
    }

    /// The writer's WAL position, when the writer is open and can say (lag is measured against
    /// it; otherwise against what the reader has received).
    func writerLSN() -> String? {
        guard dialect == .postgres, let connection = slot(role: Binding.writer)?.connection, connection.transactionStatus != .failed
        else { return nil }
        return (try? connection.scalar("SELECT pg_catalog.pg_current_wal_lsn()::text"))?.text
    }

    /// Begins again elsewhere a read-only transaction whose reader connection broke before its
    /// first statement ran; true when it did, and the statement may be sent again.
    ///
    /// On PostgreSQL a `BEGIN` goes out with the transaction's first statement, so a reader
    /// connection that broke while idle (its server restarted, or ended the session) fails only
    /// then. Nothing had run in the transaction: like a read outside one, it moves to the next
    /// reader, and to the writer when none is left.
    func restartUnstartedTransaction(after error: DatabaseError, on slot: BindingSlot) throws -> Bool {
        guard let unstarted = unstartedReadTransaction, unstarted.slot === slot else { return false }
        unstartedReadTransaction = nil
        markDown(slot, error)
        note("nothing had run yet in the read-only transaction on \(slot.label): it begins again on the next server")
        try perform(unstarted.control)
        return true
    }

    /// Takes a reader out of the rotation for its back-off (1 s, doubling to 60 s) after it
    /// failed to connect, lost its connection or turned out promoted.
    func markDown(_ reader: BindingSlot, _ error: any Error) {
        reader.close(reopenable: true)
        let backoff = reader.health.backoff == .zero ? Duration.seconds(1) : min(reader.health.backoff * 2, .seconds(60))
        reader.health.backoff = backoff
        reader.health.downUntil = ContinuousClock.now + backoff
        reader.health.downUntilWall = WallClock.now() + backoff.seconds
        // Opening prefixes the binding and its URL, which the note and the report already give.
        var message = Self.message(of: error)
        if let prefixed = message.firstRange(of: "binding '\(reader.label)' (\(reader.config.displayURL)): "), prefixed.lowerBound == message.startIndex {
            message.removeSubrange(prefixed)
        }
        reader.health.downReason = message
        reader.health.lagCheckedAt = nil
        note("reader \(reader.label) (\(reader.config.displayURL)) is down for \(Int(backoff.seconds)) s: \(message)")
        saveReaderRecords()
    }

    /// Checks a reader's role as it connects: a server that was a standby and now says
    /// `pg_is_in_recovery()` is false was promoted, and is no longer used as a reader.
    func checkReaderRole(_ reader: BindingSlot, _ connection: any Connection) throws {
        if dialect == .postgres {
            let row = try connection.fetchAll("SELECT current_setting('server_version'), pg_catalog.pg_is_in_recovery()").first
            let inRecovery = row?.last == .bool(true)
            reader.serverFacts = (row?.first?.text ?? "?", inRecovery ? "standby" : "primary")
            if inRecovery {
                reader.health.wasStandby = true
            } else if reader.health.wasStandby {
                throw DatabaseError(
                    kind: .connection,
                    message: "no longer a standby (pg_is_in_recovery() is false: it was promoted); not used as a reader")
            }
        }
        reader.health.backoff = .zero
        reader.health.downUntil = nil
        reader.health.downUntilWall = nil
        reader.health.downReason = nil
    }

    /// After the writer lost its connection (a failover, perhaps), closes the idle readers so
    /// that each one's role is checked again when it reconnects.
    func recheckReaderRoles() {
        for reader in readerSlots where reader.isOpen && reader.connection?.transactionStatus == .idle {
            reader.close(reopenable: true)
        }
    }

    static func message(of error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }

    /// `HH:MM:SS` UTC of a wall-clock time.
    static func clockTime(_ seconds: Double?) -> String {
        guard let seconds else { return "?" }
        let stamp = WallClock.iso8601(seconds)
        let time = stamp.split(separator: "T").last.map { String($0.prefix(8)) } ?? stamp
        return time + " UTC"
    }
}

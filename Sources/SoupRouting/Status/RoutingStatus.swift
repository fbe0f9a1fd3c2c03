import SoupDriver

/// What `soup status` and `\status` show (pyramid_sqlassist's debug panel, for a terminal).
public struct RoutingStatus: Sendable, Equatable {
    /// How far a reader is behind the writer.
    public struct Lag: Sendable, Equatable {
        /// WAL bytes not yet replayed.
        public var bytes: Int?
        /// Seconds since the last replayed commit while WAL is waiting to be replayed (0 when caught up).
        public var seconds: Double?
    }

    /// How a reader server is doing: up, down for a back-off, or lagging over `max_lag`.
    public struct Health: Sendable, Equatable {
        /// `up`, `down` or `lagging`.
        public var state: String
        /// While down: when it will be tried again (ISO 8601, UTC) and the back-off in seconds.
        public var until: String?
        public var backoffSeconds: Double?
        /// Why it is down or lagging.
        public var reason: String?
    }

    /// One binding's line of the report (one per server of a reader with several).
    public struct BindingStatus: Sendable, Equatable {
        public var name: String
        /// The URL with any password masked.
        public var url: String
        public var serverVersion: String?
        /// `primary`, `standby`, `file`, `file (read-only)`; nil while not connected.
        public var role: String?
        public var state: BindingState
        /// `idle`, `in transaction`, `failed`, or nil while not connected.
        public var transaction: String?
        public var statementsSent: Int
        public var lastRoute: Route?
        /// For the reader.
        public var lag: Lag?
        /// Why the binding could not be reached, when asked to connect.
        public var error: String?
        /// For each reader server.
        public var health: Health?
        /// Reads that routing sent here, of all it routed.
        public var reads = 0
    }

    public var profile: String
    public var sticky: StickyMode
    public var readOnly: Bool
    public var forcedBinding: String?
    /// `max_lag`, as configured.
    public var maxLag: String?
    /// Reads routed (not forced) so far, and where the last one went and why.
    public var readsRouted = 0
    public var lastRead: Route?
    /// When this session routed no reads (`soup status` on its own): when the last session that
    /// did ended (ISO 8601, UTC); the reads, shares and last read shown are that session's.
    public var readsOfSessionEnded: String?
    /// The last write's WAL position and age in seconds, for read-your-writes.
    public var lastWrite: (lsn: String?, secondsAgo: Double)?
    public var bindings: [BindingStatus]

    public static func == (left: RoutingStatus, right: RoutingStatus) -> Bool { left.json == right.json }

    /// One JSON document (`soup status --json`).
    public var json: String {
        var root = JSONDocument.object([])
        root.add("profile", profile.isEmpty ? .null : .string(profile))
        root.add("sticky", .string(sticky.rawValue))
        root.add("read_only", .bool(readOnly))
        root.add("forced_binding", .optional(forcedBinding))
        root.add("max_lag", .optional(maxLag))
        root.add("reads_routed", .integer(readsRouted))
        root.add("reads_of_session_ended", .optional(readsOfSessionEnded))
        if let lastRead {
            var last = JSONDocument.object([])
            last.add("binding", .string(lastRead.binding))
            last.add("statement", .string(lastRead.statement))
            last.add("reason", .string(lastRead.reason))
            root.add("last_read", last)
        } else {
            root.add("last_read", .null)
        }
        if let lastWrite {
            var write = JSONDocument.object([])
            write.add("lsn", .optional(lastWrite.lsn))
            write.add("seconds_ago", .number(lastWrite.secondsAgo))
            root.add("last_write", write)
        } else {
            root.add("last_write", .null)
        }
        root.add("bindings", .array(bindings.map { binding in
            var object = JSONDocument.object([])
            object.add("name", .string(binding.name))
            object.add("url", .string(binding.url))
            object.add("server_version", .optional(binding.serverVersion))
            object.add("role", .optional(binding.role))
            object.add("state", .string(binding.state.rawValue))
            object.add("transaction", .optional(binding.transaction))
            object.add("statements_sent", .integer(binding.statementsSent))
            if let route = binding.lastRoute {
                var last = JSONDocument.object([])
                last.add("statement", .string(route.statement))
                last.add("reason", .string(route.reason))
                object.add("last_route", last)
            } else {
                object.add("last_route", .null)
            }
            if let lag = binding.lag {
                var value = JSONDocument.object([])
                value.add("bytes", .optional(lag.bytes))
                value.add("seconds", .optional(lag.seconds))
                object.add("lag", value)
            } else {
                object.add("lag", .null)
            }
            object.add("error", .optional(binding.error))
            object.add("reads", .integer(binding.reads))
            object.add("read_share", readsRouted > 0 ? .number(Double(binding.reads) / Double(readsRouted)) : .null)
            if let health = binding.health {
                var value = JSONDocument.object([])
                value.add("state", .string(health.state))
                value.add("until", .optional(health.until))
                value.add("backoff_seconds", health.backoffSeconds.map(JSONDocument.number) ?? .null)
                value.add("reason", .optional(health.reason))
                object.add("health", value)
            } else {
                object.add("health", .null)
            }
            return object
        }))
        return root.compact
    }

    /// The report as aligned text.
    public var text: String {
        var lines: [String] = []
        var header = profile.isEmpty ? "database" : "profile \(profile)"
        header += "  sticky=\(sticky.rawValue)"
        if let lastWrite {
            header += " (last write \(lastWrite.lsn ?? "-"), \(Self.format(lastWrite.secondsAgo)) s ago)"
        }
        header += "  read_only=\(readOnly ? "yes" : "no")"
        if let forcedBinding { header += "  forced=\(forcedBinding)" }
        if let maxLag { header += "  max_lag=\(maxLag)" }
        lines.append(header)
        let rows = [["binding", "role", "state", "tx", "stmts", "server", "url"]] + bindings.map { binding in
            [
                binding.name, binding.role ?? "-", binding.state.rawValue, binding.transaction ?? "-",
                String(binding.statementsSent), binding.serverVersion ?? "-", binding.url,
            ]
        }
        let widths = (0..<7).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == 6 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            lines.append(cells.joined(separator: "  "))
        }
        for binding in bindings {
            if let route = binding.lastRoute {
                lines.append("last route \(binding.name): \(route.reason): \(route.statement)")
            }
            if let lag = binding.lag {
                lines.append(
                    "lag \(binding.name): \(lag.bytes.map(String.init) ?? "?") bytes behind, "
                        + "\(lag.seconds.map(Self.format) ?? "?") s")
            }
            if let error = binding.error { lines.append("error \(binding.name): \(error)") }
        }
        lines += healthLines
        return lines.joined(separator: "\n") + "\n"
    }

    /// ` in the session that ended at …` when the reads shown are an earlier process's.
    private var earlierSession: String {
        readsOfSessionEnded.map { " in the session that ended at \($0)" } ?? ""
    }

    /// Per reader: its state and share of reads; then where the last read went and why.
    private var healthLines: [String] {
        var lines: [String] = []
        for binding in bindings {
            guard let health = binding.health else { continue }
            var line = "reader \(binding.name): \(health.state)"
            if let until = health.until {
                line += " until \(until)"
                if let backoff = health.backoffSeconds { line += " (back-off \(Int(backoff)) s)" }
            }
            if let reason = health.reason { line += (health.state == "lagging" ? " " : ": ") + reason }
            let share = readsRouted > 0 ? Int((Double(binding.reads) * 100 / Double(readsRouted)).rounded()) : 0
            lines.append(line + "; \(binding.reads) of \(readsRouted) reads (\(share)%)" + earlierSession)
        }
        if let lastRead {
            lines.append("last read \(lastRead.binding): \(lastRead.reason): \(lastRead.statement)" + earlierSession)
        }
        return lines
    }

    static func format(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension RoutingConnection {
    /// The report; with `connectingAll`, every binding is opened first so that its server
    /// version, role and lag can be shown (`soup status`); otherwise only open ones are asked.
    public func status(connectingAll: Bool = false) -> RoutingStatus {
        var errors: [String: String] = [:]
        if connectingAll {
            for slot in slots where !slot.isOpen && !slot.health.isDown(at: .now) {
                do {
                    _ = try open(slot)
                } catch {
                    errors[slot.label] = "\(error)"
                    if slot.name == Binding.reader { markDown(slot, error) }
                }
            }
        }
        let writerLSN = writerLSN()
        // A process that routed no reads shows the last session's, as that one saved them.
        let earlier = readsRouted == 0 ? earlierReads : nil
        let bindings = slots.map { slot -> RoutingStatus.BindingStatus in
            var status = RoutingStatus.BindingStatus(
                name: slot.label, url: slot.config.displayURL, state: slot.state, statementsSent: slot.statementsSent,
                lastRoute: slot.lastRoute, error: errors[slot.label], health: health(of: slot),
                reads: earlier.map { $0.byReader[slot.label] ?? 0 } ?? slot.reads)
            guard let connection = slot.connection else { return status }
            status.transaction = switch connection.transactionStatus {
            case .idle: "idle"
            case .inTransaction: "in transaction"
            case .failed: "failed"
            }
            if slot.serverFacts == nil, connection.transactionStatus != .failed {
                slot.serverFacts = facts(of: connection, readOnly: slot.readOnly)
            }
            status.serverVersion = slot.serverFacts?.version
            status.role = slot.serverFacts?.role
            if slot.name == Binding.reader, connection.transactionStatus != .failed {
                status.lag = lag(of: connection, writerLSN: writerLSN)
                if let lag = status.lag, let maxLag = profile.maxLag {
                    let over =
                        switch maxLag {
                        case .bytes(let limit): (lag.bytes ?? 0) > limit
                        case .time(let limit): (lag.seconds ?? 0) > limit.seconds
                        }
                    if over {
                        status.health = RoutingStatus.Health(
                            state: "lagging",
                            reason: "by \(lag.bytes.map(String.init) ?? "?") bytes, \(lag.seconds.map(RoutingStatus.format) ?? "?") s, over max_lag \(maxLag)")
                    }
                }
            }
            return status
        }
        let lastWrite = readYourWrites.lastWrite.map { (lsn: $0.lsn, secondsAgo: max(0, WallClock.now() - $0.time)) }
        return RoutingStatus(
            profile: profile.name, sticky: profile.sticky, readOnly: readOnly, forcedBinding: forcedBinding,
            maxLag: profile.maxLag?.description, readsRouted: earlier?.routed ?? readsRouted, lastRead: earlier?.last ?? lastRead,
            readsOfSessionEnded: earlier.map { WallClock.iso8601($0.endedAt) }, lastWrite: lastWrite, bindings: bindings)
    }

    /// A reader server's health as routing sees it; nil for the other bindings.
    private func health(of slot: BindingSlot) -> RoutingStatus.Health? {
        guard slot.name == Binding.reader else { return nil }
        if slot.health.isDown(at: .now) {
            return RoutingStatus.Health(
                state: "down", until: slot.health.downUntilWall.map(WallClock.iso8601),
                backoffSeconds: slot.health.backoff.seconds, reason: slot.health.downReason)
        }
        return RoutingStatus.Health(state: "up")
    }

    private func facts(of connection: any Connection, readOnly: Bool) -> (version: String, role: String)? {
        if connection.dialect == .sqlite {
            let version = (try? connection.scalar("SELECT sqlite_version()"))?.text ?? "?"
            return (version, readOnly ? "file (read-only)" : "file")
        }
        guard let row = try? connection.fetchAll(
            "SELECT current_setting('server_version'), pg_catalog.pg_is_in_recovery()"
        ).first, row.count == 2 else { return nil }
        return (row[0].text ?? "?", row[1] == .bool(true) ? "standby" : "primary")
    }

    func lag(of connection: any Connection, writerLSN: String?) -> RoutingStatus.Lag? {
        if dialect == .sqlite { return RoutingStatus.Lag(bytes: 0, seconds: 0) }
        let target = writerLSN.map { _ in "\(dialect.placeholder(0))::pg_lsn" } ?? "pg_catalog.pg_last_wal_receive_lsn()"
        let sql = """
            SELECT pg_catalog.pg_wal_lsn_diff(\(target), pg_catalog.pg_last_wal_replay_lsn())::bigint,
                   CASE WHEN pg_catalog.pg_last_wal_replay_lsn() IS NULL THEN NULL
                        WHEN \(target) <= pg_catalog.pg_last_wal_replay_lsn() THEN 0
                        ELSE extract(epoch FROM now() - pg_catalog.pg_last_xact_replay_timestamp())::float8 END
            """
        guard let row = try? connection.fetchAll(sql, writerLSN.map { [.text($0)] } ?? []).first, row.count == 2 else {
            return nil
        }
        func number(_ value: Value) -> Double? {
            switch value {
            case .integer(let integer): Double(integer)
            case .real(let real): real
            default: value.text.flatMap(Double.init)
            }
        }
        return RoutingStatus.Lag(bytes: number(row[0]).map { max(0, Int($0)) }, seconds: number(row[1]).map { max(0, $0) })
    }
}

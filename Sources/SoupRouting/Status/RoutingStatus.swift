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

    /// One binding's line of the report.
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
    }

    public var profile: String
    public var sticky: StickyMode
    public var readOnly: Bool
    public var forcedBinding: String?
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
        return lines.joined(separator: "\n") + "\n"
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
            for slot in slots where !slot.isOpen {
                do { _ = try open(slot) } catch { errors[slot.name] = "\(error)" }
            }
        }
        let writerLSN: String? = slot(role: Binding.writer)?.connection.flatMap { connection in
            dialect == .postgres && connection.transactionStatus != .failed
                ? (try? connection.scalar("SELECT pg_catalog.pg_current_wal_lsn()::text"))?.text : nil
        }
        let bindings = slots.map { slot -> RoutingStatus.BindingStatus in
            var status = RoutingStatus.BindingStatus(
                name: slot.name, url: slot.config.displayURL, state: slot.state, statementsSent: slot.statementsSent,
                lastRoute: slot.lastRoute, error: errors[slot.name])
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
            }
            return status
        }
        let lastWrite = readYourWrites.lastWrite.map { (lsn: $0.lsn, secondsAgo: max(0, WallClock.now() - $0.time)) }
        return RoutingStatus(
            profile: profile.name, sticky: profile.sticky, readOnly: readOnly, forcedBinding: forcedBinding,
            lastWrite: lastWrite, bindings: bindings)
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

    private func lag(of connection: any Connection, writerLSN: String?) -> RoutingStatus.Lag? {
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

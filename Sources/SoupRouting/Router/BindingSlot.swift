import SoupDriver
import Synchronization

/// Where a binding is in its life (pyramid_sqlassist's engine status).
public enum BindingState: String, Sendable {
    /// Configured, not connected yet.
    case initial = "INIT"
    /// Connected in this command or session.
    case started = "START"
    /// Closed.
    case ended = "END"
}

/// A routing decision: where a statement went and why.
///
/// Every statement routed records one, and few are ever shown (`-v`, `\\status`), so the
/// reason is kept in the parts it is made of and the statement whole, and both are put into
/// words only when read.
public struct Route: Sendable, Equatable {
    public var binding: String
    private let reasonParts: RouteReason
    private let sql: String

    public init(binding: String, reason: String, statement: String) {
        self.init(binding: binding, reason: RouteReason(reason), sql: statement)
    }

    init(binding: String, reason: RouteReason, sql: String) {
        self.binding = binding
        self.reasonParts = reason
        self.sql = sql
    }

    /// Why it went there: `read: SELECT; round robin over 2 readers`.
    public var reason: String { reasonParts.text }
    /// The start of the statement, for status reports.
    public var statement: String { RoutingConnection.summary(sql) }

    public static func == (left: Route, right: Route) -> Bool {
        left.binding == right.binding && left.reason == right.reason && left.statement == right.statement
    }
}

/// The words of a routing reason, joined when shown. A literal (or an interpolation, on paths
/// that are not taken for every statement) is one part.
struct RouteReason: Sendable, ExpressibleByStringInterpolation {
    private var parts: [String]

    init(_ parts: String...) {
        self.parts = parts
    }

    init(stringLiteral value: String) {
        parts = [value]
    }

    init(stringInterpolation: DefaultStringInterpolation) {
        parts = [String(stringInterpolation: stringInterpolation)]
    }

    var text: String { parts.joined() }

    /// `reason` followed by the parts that are not empty (most notes are, on most routes).
    init(_ reason: RouteReason, then more: String...) {
        parts = reason.parts
        parts.reserveCapacity(parts.count + more.count)
        for part in more where !part.isEmpty { parts.append(part) }
    }

    static func + (reason: RouteReason, part: String) -> RouteReason {
        RouteReason(reason, then: part)
    }
}

/// One server of a binding of the profile (a reader may have several): its config, its
/// connection once opened, and what it did.
final class BindingSlot {
    /// The binding narrowed to this server.
    let config: BindingConfig
    /// The name shown and accepted by `-b`: the binding's, or `reader.2` for a reader's second server.
    let label: String
    /// Whether the connection is opened read-only (the reader, or everything with --read-only).
    let readOnly: Bool
    private(set) var connection: (any Connection)?
    private(set) var state = BindingState.initial
    var statementsSent = 0
    var lastRoute: Route?
    /// Reads that routing sent here (not forced ones), for each binding's share of reads.
    var reads = 0
    /// For a reader: up, down for a back-off, lagging, or promoted.
    var health = ReaderHealth()
    /// A read sent ahead runs on it (``PrefetchedRead``): its connection is not the caller's.
    var isPrefetching = false
    /// `server_version` and whether the server is in recovery, read once per connection.
    var serverFacts: (version: String, role: String)?

    init(config: BindingConfig, label: String, readOnly: Bool) {
        self.config = config
        self.label = label
        self.readOnly = readOnly
    }

    var name: String { config.name }
    var isOpen: Bool { connection != nil }

    /// The connection, opened on first use with `opener`; `didOpen` runs once after opening.
    func open(
        with opener: (BindingConfig, Bool) throws -> any Connection, didOpen: (any Connection) throws -> Void
    ) throws -> any Connection {
        if let connection { return connection }
        let opened: any Connection
        do {
            opened = try opener(config, readOnly)
        } catch var error as DatabaseError {
            error.message = "binding '\(label)' (\(config.displayURL)): \(error.message)"
            throw error
        }
        connection = opened
        state = .started
        try didOpen(opened)
        return opened
    }

    /// Closes the connection; `reopenable` leaves the binding ready to connect again (INIT).
    func close(reopenable: Bool) {
        connection?.close()
        connection = nil
        serverFacts = nil
        state = reopenable ? .initial : (state == .initial ? .initial : .ended)
    }
}

/// Cancels the running statement on every binding opened so far.
final class CancellerSet: Canceller {
    private let cancellers = Mutex<[any Canceller]>([])

    func add(_ canceller: any Canceller) {
        cancellers.withLock { $0.append(canceller) }
    }

    func cancel() {
        for canceller in cancellers.withLock({ $0 }) { canceller.cancel() }
    }

    func clear() {
        for canceller in cancellers.withLock({ $0 }) { canceller.clear() }
    }

    /// One binding's, when only one is open (a plain database); nil for more.
    var signalSafeCancel: SignalSafeCancel? {
        let members = cancellers.withLock { $0 }
        return members.count == 1 ? members[0].signalSafeCancel : nil
    }
}

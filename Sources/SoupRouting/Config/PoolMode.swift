/// How a connection pooler in front of the profile's servers (PgBouncer) shares server
/// connections among clients.
public enum PoolMode: String, Sendable, CaseIterable {
    /// No pooler, or one that gives a client its own server connection for the whole session.
    case session
    /// Each transaction may run on another server connection: session state (SET, prepared
    /// statements) does not last beyond one transaction.
    case transaction
}

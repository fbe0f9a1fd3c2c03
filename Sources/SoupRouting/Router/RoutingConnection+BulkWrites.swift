import SoupDriver

/// Bulk writes (an import, a copy between databases): their rows bypass routing, so the
/// binding is chosen once and the whole write is logged as one entry.
extension RoutingConnection {
    /// The connection a bulk write (an import, a copy between databases) streams into, and its
    /// binding's name: the forced binding, else the one holding the open transaction, else the
    /// writer. Refused under read-only before anything is sent. The rows go straight to that
    /// connection, unrouted and unlogged; ``recordBulkWrite(_:binding:duration:outcome:)``
    /// then logs the whole write as one entry.
    public func connectionForBulkWrite(_ description: String) throws -> (connection: any Connection, binding: String) {
        discardPrefetches()
        if readOnly {
            logWrite(description, [], binding: "-", duration: .zero, outcome: "refused (read-only)")
            throw DatabaseError(
                kind: .statement, message: "read-only: soup refused to \(description) (it writes)", sqlState: .readOnlySQLTransaction,
                hint: "run without --read-only (and without read_only in the profile) to write")
        }
        let slot: BindingSlot
        if let forced {
            slot = try self.slot(named: forced)
        } else if let transaction = transactionSlot {
            slot = transaction
        } else {
            slot = try self.slot(named: Binding.writer)
        }
        let connection = try open(slot)
        slot.statementsSent += 1
        slot.lastRoute = Route(binding: slot.name, reason: "bulk write", statement: Self.summary(description))
        if let onRoute, let route = slot.lastRoute { onRoute(route) }
        if slot.name == Binding.writer { writerHasUnrecordedWrite = true }
        return (connection, slot.name)
    }

    /// Records a bulk write in the audit log: one entry, however many rows it wrote.
    public func recordBulkWrite(_ description: String, binding: String, duration: Duration, outcome: String) {
        logWrite(description, [], binding: binding, duration: duration, outcome: outcome)
    }
}

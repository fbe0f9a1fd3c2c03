import SoupDriver
import SoupSQL

extension RoutingConnection {
    /// Runs a statement on `connection` and keeps what it does to the session's settings: a
    /// session statement (`SET`, `RESET`, `DISCARD`) sent outside a transaction at once, one sent
    /// inside a transaction once that transaction commits (a `ROLLBACK`, or a connection lost
    /// with it, forgets it; a `ROLLBACK TO SAVEPOINT` does not).
    func keepingSessionState(
        _ sql: String, _ classification: SQLClassification?, on connection: any Connection, _ run: () throws -> any Cursor
    ) throws -> any Cursor {
        let before = connection.transactionStatus
        let cursor: any Cursor
        do {
            cursor = try run()
        } catch {
            if connection.transactionStatus == .idle { uncommittedSessionStatements.removeAll() }
            throw error
        }
        // Most statements are told apart by their first word, without classifying them.
        guard !uncommittedSessionStatements.isEmpty || SQLClassifier.mayBeSessionStatement(sql) else { return cursor }
        let classification = classification ?? SQLClassifier.classify(sql)
        switch classification.kind {
        case .session:
            keepSessionStatement(sql, classification, sentOutsideTransaction: before == .idle)
        case .end:
            let committed = classification.commits && before == .inTransaction
            if committed { uncommittedSessionStatements.forEach(keep) }
            uncommittedSessionStatements.removeAll()
        default:
            break
        }
        return cursor
    }

    /// After a session statement succeeded: kept to set up bindings that open later and
    /// connections that reconnect by themselves, as the session was set up.
    ///
    /// Behind a pooler in transaction mode (`pool_mode = "transaction"`) a session setting lasts
    /// one transaction at most, so nothing is kept or replayed, and the first `SET` gets a note
    /// saying so.
    func keepSessionStatement(_ sql: String, _ classification: SQLClassification, sentOutsideTransaction: Bool) {
        guard classification.kind == .session else { return }
        if profile.poolMode == .transaction {
            guard classification.reason == "SET", !warnedOfPooledSet else { return }
            warnedOfPooledSet = true
            note(
                "profile '\(profile.name)' has pool_mode = \"transaction\": a SET lasts one transaction, as the pooler"
                    + " may run the next one on another server connection (use SET LOCAL inside BEGIN ... COMMIT)")
            return
        }
        if sentOutsideTransaction {
            keep(sql)
        } else {
            uncommittedSessionStatements.append(sql)
        }
    }

    private func keep(_ sql: String) {
        sessionStatements.append(sql)
        for slot in slots where slot.name != Binding.logger {
            slot.connection?.replayAfterReconnect(sessionStatements)
        }
    }
}

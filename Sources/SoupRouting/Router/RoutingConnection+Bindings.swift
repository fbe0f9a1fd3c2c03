import SoupDriver
import SoupSQL

/// The bindings: the only one, the forced one, by name or role, opened on first use.
extension RoutingConnection {
    /// With one binding and nothing to refuse, no statement needs classifying: that binding,
    /// with the statements recorded as routed there; otherwise nil.
    func onlyBinding(for statements: [String]) -> BindingSlot? {
        guard slots.count == 1, !readOnly else { return nil }
        let only = slots[0]
        for sql in statements {
            only.statementsSent += 1
            only.lastRoute = Route(binding: only.label, reason: RouteReason("the only binding"), sql: sql)
            lastBinding = only.label
            if let onRoute, let route = only.lastRoute { onRoute(route) }
        }
        return only
    }

    /// The binding holding an open transaction, if any.
    var transactionSlot: BindingSlot? {
        // A reader running a read sent ahead is in no transaction of the caller's.
        slots.first { $0.name != Binding.logger && !$0.isPrefetching && ($0.connection?.transactionStatus ?? .idle) != .idle }
    }

    func forcedName(_ classification: SQLClassification) -> String? {
        classification.hintedBinding ?? forced
    }

    /// The slot labelled `name` (`reader.2`), else the first server of the binding `name`.
    func slot(named name: String) throws(RoutingError) -> BindingSlot {
        guard let slot = slots.first(where: { $0.label == name }) ?? slots.first(where: { $0.name == name }) else {
            throw RoutingError(
                message: "no binding named '\(name)' in \(profile.name.isEmpty ? "this database" : "profile '\(profile.name)'")"
                    + " (bindings: \(slots.map(\.label).joined(separator: ", ")))")
        }
        return slot
    }

    func slot(role name: String) -> BindingSlot? {
        slots.first { $0.name == name }
    }

    /// The slot's connection, opening it (and replaying session settings) on first use.
    func open(_ slot: BindingSlot) throws -> any Connection {
        try slot.open(with: opener) { connection in
            cancellers.add(connection.makeCanceller())
            if slot.name == Binding.reader { try checkReaderRole(slot, connection) }
            for statement in sessionStatements { try connection.executeScript(statement) }
            connection.replayAfterReconnect(sessionStatements)
        }
    }

    /// The first of `names` that the database says is volatile (PostgreSQL; cached by name).
    func volatileFunction(_ names: [String]) throws -> String? {
        guard dialect == .postgres, !names.isEmpty else { return nil }
        let unknown = names.filter { volatility[$0] == nil }
        if !unknown.isEmpty {
            let lookup = try open(try readerOrder(advancing: false).usable.first ?? slot(named: Binding.writer))
            let placeholders = unknown.indices.map { dialect.placeholder($0) }.joined(separator: ", ")
            let volatile = try lookup.fetchAll(
                "SELECT DISTINCT proname::text FROM pg_catalog.pg_proc WHERE provolatile = 'v' AND proname IN (\(placeholders))",
                unknown.map { .text($0) }
            ).compactMap { $0.first?.text }
            for name in unknown { volatility[name] = volatile.contains(name) }
        }
        return names.first { volatility[$0] == true }
    }
}

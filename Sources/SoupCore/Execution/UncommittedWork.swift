import SoupDriver

/// The uncommitted work a lost connection or `\reconnect` takes with it, so that the session
/// can say what was lost.
public struct UncommittedWork: Sendable, Equatable {
    /// A transaction was open: everything done since the last commit.
    public var transactionOpen: Bool
    /// Changes the session held that no flush had sent.
    public var pendingChanges: Int

    /// The work in words, or nil when there is none.
    public var summary: String? {
        var parts: [String] = []
        if transactionOpen { parts.append("the open transaction (everything since the last commit)") }
        if pendingChanges > 0 { parts.append("\(pendingChanges) pending change(s)") }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }
}

extension Soup {
    /// What is uncommitted now: the open transaction and the changes no flush has sent.
    public var uncommittedWork: UncommittedWork {
        UncommittedWork(
            transactionOpen: connection.transactionStatus != .idle,
            pendingChanges: session.hasChanges ? pendingStatementCount : 0)
    }

    /// Whether anything is uncommitted: pending changes, or an open transaction (soup opens one
    /// only for work that may write; an explicit BEGIN counts).
    public var hasUncommittedWork: Bool {
        session.hasChanges || connection.transactionStatus != .idle
    }
}

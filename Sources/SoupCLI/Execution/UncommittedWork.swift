import SoupCore
import SoupDriver

/// The uncommitted work a lost connection or `\reconnect` takes with it, so the
/// session can say what was lost.
struct UncommittedWork {
    /// A transaction was open: everything done since the last commit.
    var transactionOpen: Bool
    /// Changes the session held that no flush had sent.
    var pendingChanges: Int

    /// What `soup` holds now, with its connection in `status`.
    init(soup: Soup, status: TransactionStatus) {
        transactionOpen = status != .idle
        pendingChanges = soup.session.hasChanges ? soup.pendingStatementCount : 0
    }

    /// The work in words, or nil when there is none.
    var summary: String? {
        var parts: [String] = []
        if transactionOpen { parts.append("the open transaction (everything since the last commit)") }
        if pendingChanges > 0 { parts.append("\(pendingChanges) pending change(s)") }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }
}

import SoupCore
import SoupRouting

/// What `\status`, `\use` and `\reconnect` act on: the bindings of the session's profile (a
/// plain database has one, `writer`), through its router.
struct REPLBindings {
    let router: RoutingConnection
    let soup: Soup

    /// `\status`: per binding its URL (password masked), server version, role, state,
    /// transaction, statements sent, last route and the reader's lag.
    func statusReport() -> String {
        router.status().text
    }

    /// `\use NAME` sends every statement through binding `name`; `\use` alone or `\use auto`
    /// goes back to routing each statement. Returns what changed, in words.
    func use(_ name: String) throws -> String {
        let target = name.isEmpty || name == "auto" ? nil : name
        try router.force(binding: target)
        return target.map { "statements go to \($0) until \\use auto" } ?? "statements are routed automatically"
    }

    /// `\reconnect`: drops every connection and opens the writer again (the others open on
    /// first use, finding out anew which server is primary). Returns the uncommitted work that
    /// was lost, in words, or nil.
    func reconnect() throws -> String? {
        let lost = soup.uncommittedWork
        router.reconnectAll()
        soup.forgetLostTransaction()
        try router.connect(binding: Binding.writer)
        return lost.summary
    }
}

/// Finds the names nearest to a misspelled one, for "did you mean" hints.
///
/// Distance is the edit distance ignoring case, where inserting, deleting or replacing a
/// character or swapping two adjacent ones costs 1 (optimal string alignment). A candidate
/// qualifies when its distance is at most a third of the longer name's length, rounded up (at
/// least 1, at most 3), or when one name of three or more characters contains the other.
///
/// ```swift
/// NameSuggester.suggestions(for: "usres", among: ["users", "loans", "books"])  // ["users"]
/// "no table 'usres'" + NameSuggester.didYouMean(["users"])  // no table 'usres'; did you mean 'users'?
/// ```
public enum NameSuggester {
    /// Up to `limit` candidates, nearest first (ties in `candidates` order).
    public static func suggestions(for name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(name.lowercased())
        guard !target.isEmpty else { return [] }
        var scored: [(name: String, distance: Int, order: Int)] = []
        var seen: Set<String> = []
        for (order, candidate) in candidates.enumerated() where seen.insert(candidate).inserted {
            let other = Array(candidate.lowercased())
            let distance = editDistance(target, other)
            let allowed = min(3, max(1, (max(target.count, other.count) + 2) / 3))
            let contains = other.count >= 3 && target.count >= 3
                && (String(other).contains(String(target)) || String(target).contains(String(other)))
            if distance <= allowed || contains {
                scored.append((candidate, distance, order))
            }
        }
        scored.sort { ($0.distance, $0.order) < ($1.distance, $1.order) }
        return scored.prefix(limit).map(\.name)
    }

    /// `; did you mean 'a'?`, `; did you mean 'a' or 'b'?`, `; did you mean 'a', 'b' or 'c'?`,
    /// or nothing when there are no suggestions.
    public static func didYouMean(_ suggestions: [String]) -> String {
        guard let last = suggestions.last else { return "" }
        let quoted = suggestions.map { "'\($0)'" }
        if suggestions.count == 1 { return "; did you mean \(quoted[0])?" }
        return "; did you mean " + quoted.dropLast().joined(separator: ", ") + " or '\(last)'?"
    }

    /// The optimal-string-alignment distance between two character arrays.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}

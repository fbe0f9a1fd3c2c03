/// How typed text picks and orders completion candidates, and what it becomes.
///
/// A candidate matches when the typed word starts it, in any case (`Tr` matches `Track`,
/// `TRUNCATE` and `True`; those spelled as typed come first). Only when none does, a candidate
/// matches when the word's letters appear in it in order (`trk` matches `Track`), the tightest
/// matches first. The word is replaced by the single match, or by the start all matches share
/// when that is longer than the word and keeps it; otherwise it stays as typed, so completion
/// never shortens what was typed or changes its case under several matches. A quoted SQL name
/// (`"Track"`) matches by its name when the word has no quote. Among equal matches, names that
/// fit best come first: columns and relations, then tables, variables, methods, functions and
/// keywords, each alphabetically.
public enum CandidateMatcher {
    /// The candidates that match `typed`, best first, each text once.
    public static func rank(_ typed: String, _ candidates: [CompletionCandidate]) -> [CompletionCandidate] {
        var seen: Set<String> = []
        let unique = candidates.filter { seen.insert($0.text).inserted }
        let folded = typed.lowercased()
        let unquoted = !typed.hasPrefix("\"")
        func key(_ candidate: CompletionCandidate) -> Substring {
            unquoted && candidate.text.hasPrefix("\"") ? candidate.text.dropFirst() : candidate.text[...]
        }
        var exact: [CompletionCandidate] = []
        var caseless: [CompletionCandidate] = []
        for candidate in unique {
            if key(candidate).hasPrefix(typed) {
                exact.append(candidate)
            } else if key(candidate).lowercased().hasPrefix(folded) {
                caseless.append(candidate)
            }
        }
        if !exact.isEmpty || !caseless.isEmpty { return sorted(exact) + sorted(caseless) }
        let scored = unique.compactMap { candidate in
            fuzzyScore(folded, in: key(candidate).lowercased()).map { (candidate, $0) }
        }
        return scored.sorted { left, right in
            if left.1 != right.1 { return left.1 < right.1 }
            return isOrderedBefore(left.0, right.0)
        }.map(\.0)
    }

    /// What replaces `typed` when `ranked` are its candidates.
    public static func replacement(for typed: String, among ranked: [CompletionCandidate]) -> String {
        guard let first = ranked.first else { return typed }
        if ranked.count == 1 { return first.text }
        let texts = ranked.map { Array($0.text) }
        var shared = 0
        while shared < texts[0].count,
            texts.allSatisfy({ shared < $0.count && $0[shared].lowercased() == texts[0][shared].lowercased() })
        {
            shared += 1
        }
        // Only a start that keeps every typed character (in any case) may replace the word.
        guard shared > typed.count, String(texts[0][..<typed.count]).lowercased() == typed.lowercased() else {
            return typed
        }
        let common = String(texts[0][..<shared])
        // `filter` shared by `filter(` and `filter_by(`: the method itself.
        if let method = ranked.first(where: { $0.text == common + "(" }) { return method.text }
        return typed + texts[0][typed.count..<shared]
    }

    /// Alphabetical, ignoring case first.
    private static func sorted(_ candidates: [CompletionCandidate]) -> [CompletionCandidate] {
        candidates.sorted(by: isOrderedBefore)
    }

    private static func isOrderedBefore(_ left: CompletionCandidate, _ right: CompletionCandidate) -> Bool {
        let (p, q) = (priority(left.kind), priority(right.kind))
        if p != q { return p < q }
        let (a, b) = (left.text.lowercased(), right.text.lowercased())
        return a != b ? a < b : left.text < right.text
    }

    private static func priority(_ kind: CompletionCandidate.Kind) -> Int {
        switch kind {
        case .column, .relation, .argument, .metaCommand, .value: 0
        case .table, .view, .schema: 1
        case .variable: 2
        case .method, .builtin: 3
        case .function: 4
        case .keyword: 5
        }
    }

    /// How loosely `word`'s characters appear in order in `text` (both lowercased): the fewest
    /// characters between the first and the last matched, then how late the match starts; nil
    /// when they do not all appear.
    static func fuzzyScore(_ word: String, in text: String) -> (Int, Int)? {
        let needle = Array(word.unicodeScalars)
        let haystack = Array(text.unicodeScalars)
        guard let head = needle.first else { return (0, 0) }
        var best: (Int, Int)?
        for start in haystack.indices where haystack[start] == head {
            var position = start + 1
            var matched = 1
            while matched < needle.count, position < haystack.count {
                if haystack[position] == needle[matched] { matched += 1 }
                position += 1
            }
            guard matched == needle.count else { break }
            let score = (position - start - needle.count, start)
            if best == nil || score < best! { best = score }
        }
        return best
    }
}

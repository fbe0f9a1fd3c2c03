/// Suggestions from history, fish style: the rest of the most recent input that starts with
/// what is typed, shown after the cursor for → to accept.
public struct HistorySuggestions: Sendable {
    /// Inputs, oldest first; a multi-line input is one entry and is suggested whole.
    public private(set) var entries: [String] = []

    public init(_ entries: [String] = []) {
        self.entries = entries
    }

    public mutating func add(_ entry: String) {
        entries.append(entry)
    }

    /// What would complete `typed` to the most recent entry that starts with it (and is longer);
    /// nil for nothing typed, or no such entry.
    public func suggestion(completing typed: String) -> String? {
        guard !typed.isEmpty, typed.contains(where: { !$0.isWhitespace }) else { return nil }
        let typedBytes = typed.utf8
        for entry in entries.reversed() where entry.utf8.count > typedBytes.count && entry.utf8.starts(with: typedBytes) {
            let rest = entry.utf8.dropFirst(typedBytes.count)
            // Never half a character: the typed text must end where one of the entry's ends.
            guard let index = rest.startIndex.samePosition(in: entry.unicodeScalars) else { continue }
            return String(entry.unicodeScalars[index...])
        }
        return nil
    }

    /// The part of `suggestion` that Alt-→ accepts: up to the end of its next word (with the
    /// spaces or punctuation before it).
    public static func firstWord(of suggestion: String) -> String {
        let scalars = suggestion.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex, !isWordScalar(scalars[index]) { index = scalars.index(after: index) }
        while index < scalars.endIndex, isWordScalar(scalars[index]) { index = scalars.index(after: index) }
        return String(scalars[..<index])
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

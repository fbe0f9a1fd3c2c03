/// One thing TAB can put in place of the word before the cursor.
public struct CompletionCandidate: Hashable, Sendable {
    /// What the candidate is; the REPL marks each in the list it shows.
    public enum Kind: String, Hashable, Sendable {
        case table, view, schema, column, relation, method, function, keyword, variable, builtin, argument
        case metaCommand = "command"
        case value
    }

    /// What is inserted: `filter(`, `name=`, `"Odd Name"`.
    public var text: String
    public var kind: Kind
    /// More about it for the list: a relation's target (`→ album`, `→ [track]`).
    public var detail: String?

    public init(_ text: String, kind: Kind, detail: String? = nil) {
        self.text = text
        self.kind = kind
        self.detail = detail
    }
}

/// What completing the word before the cursor gives.
public struct Completion: Equatable, Sendable {
    /// The word that is replaced, as UTF-8 offsets into the input.
    public var word: Range<Int>
    /// The candidates, best first.
    public var candidates: [CompletionCandidate]
    /// What replaces the word now: the single candidate, or the longest start the candidates
    /// share; never shorter than the word and never dropping what was typed.
    public var replacement: String
    /// Whether a space follows a single candidate (SQL keywords and tables, meta commands).
    public var appendsSpace: Bool

    public init(word: Range<Int>, candidates: [CompletionCandidate], replacement: String, appendsSpace: Bool) {
        self.word = word
        self.candidates = candidates
        self.replacement = replacement
        self.appendsSpace = appendsSpace
    }

    /// Ranks `candidates` against `typed` (see ``CandidateMatcher``) and works out the replacement.
    public init(word: Range<Int>, typed: String, candidates: [CompletionCandidate], appendsSpace: Bool) {
        var ranked = CandidateMatcher.rank(typed, candidates)
        let replacement = CandidateMatcher.replacement(for: typed, among: ranked)
        // `filter` shared by `filter(` and `filter_by(` completes the method itself, alone.
        if ranked.count > 1, let method = ranked.first(where: { $0.text == replacement && $0.text.hasSuffix("(") }) {
            ranked = [method]
        }
        self.init(
            word: word, candidates: ranked, replacement: replacement,
            appendsSpace: appendsSpace && ranked.count == 1 && !(ranked[0].text.last.map { "(.=' ".contains($0) } ?? false))
    }
}

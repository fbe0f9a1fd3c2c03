import SoupLanguage

/// An error raised while evaluating a soup statement, with where it happened and a hint.
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The source range of the expression that failed, when known.
    public var range: SourceRange?
    public var hint: String?

    public init(_ message: String, range: SourceRange? = nil, hint: String? = nil) {
        self.message = message
        self.range = range
        self.hint = hint
    }

    /// The message, and the hint on a line of its own (`hint: …`), as a plain report shows them.
    public var description: String { message + (hint.map { "\nhint: " + $0 } ?? "") }

    /// The same error, located at `range` unless it already has a location.
    func located(at range: SourceRange) -> EvaluationError {
        var copy = self
        if copy.range == nil { copy.range = range }
        return copy
    }
}

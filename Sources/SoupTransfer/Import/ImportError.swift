/// Why an import or copy stopped, or why a row was skipped: a message, and where in the input
/// the problem is when it is in the input.
///
/// Rendered `FILE:LINE:COL: column "x": 'abc' is not an integer`, the way compilers and soup's
/// own scripts report a position.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A position in the input file: 1-based line and column (in characters).
    public struct Location: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var column: Int?

        public init(file: String, line: Int, column: Int? = nil) {
            self.file = file
            self.line = line
            self.column = column
        }

        /// `FILE:LINE:COL` (or `FILE:LINE`).
        public var description: String {
            "\(file):\(line)" + (column.map { ":\($0)" } ?? "")
        }
    }

    public var message: String
    public var location: Location?
    /// What to do about it, when there is something to say.
    public var hint: String?
    /// Whether a database error caused it (exit status and rollback are the same; the report
    /// keeps the server's words).
    public var isDatabaseError = false

    public init(message: String, location: Location? = nil, hint: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
    }

    public var description: String {
        var text = (location.map { $0.description + ": " } ?? "") + message
        if let hint { text += "\nHINT:  " + hint }
        return text
    }
}

/// One piece of input that may still be being typed, for colouring it and for completing at
/// the cursor. Unlike ``Token``, it never needs the input to be valid: a string or bracket
/// that is not closed yet is a token like any other, marked ``isUnclosed``.
public struct InputToken: Hashable, Sendable {
    /// What the piece is, as far as the text alone can tell.
    public enum Kind: Hashable, Sendable {
        /// A soup name that is not after a dot: a variable, builtin, table or schema, or none.
        case name
        /// A soup name after `.`: a column, relation or method of what is before the dot.
        case member
        /// A soup name followed by `=` inside a call: `filter_by(name=…)`.
        case keywordArgument
        /// A soup name assigned to at the start of a statement: `x = …`.
        case assignedName
        /// `and`, `or`, `not`, `in`, `is`, `None`, `null`, `True`, `False`.
        case keyword
        /// A number, in soup or SQL.
        case number
        /// A string literal, in soup or SQL.
        case string
        /// A comment, in soup (`#`) or SQL (`--`, `/* */`).
        case comment
        /// An operator: `==`, `+`, `&`, SQL's `||`, `::`.
        case `operator`
        /// `,`, `:`, `;` and a `.` between names.
        case punctuation
        /// `(`, `[` or `{`.
        case openBracket
        /// `)`, `]` or `}`.
        case closeBracket
        /// The name of a meta command with its `\` or `.`: `\d`, `.tables`.
        case metaCommand
        /// What follows a meta command's name on its line.
        case metaArgument
        /// A SQL keyword: `SELECT`, `from`.
        case sqlKeyword
        /// A SQL name, quoted or not: a table, column, alias or schema.
        case sqlIdentifier
        /// A SQL name followed by `(`.
        case sqlFunction
        /// A SQL parameter: `$1`, `?`, `:name`.
        case sqlParameter
        /// A character that belongs to no token (`$` or `!` in soup).
        case unknown
    }

    public var kind: Kind
    /// Where the token is, as UTF-8 offsets into the input.
    public var range: Range<Int>
    /// Whether the token is inside a raw SQL statement.
    public var isSQL: Bool
    /// A string, comment or quoted name without its end, or a bracket that nothing closes.
    public var isUnclosed = false
    /// A closing bracket that closes nothing, or closes a bracket of another shape.
    public var isStray = false

    public init(_ kind: Kind, range: Range<Int>, isSQL: Bool) {
        self.kind = kind
        self.range = range
        self.isSQL = isSQL
    }
}

/// One soup statement: what a line (or a `;`-separated part of one) says.
public struct Statement: Hashable, Sendable {
    /// The statement forms.
    public enum Kind: Hashable, Sendable {
        /// An expression whose value is printed: `db.users.all()`.
        case expression(Expression)
        /// `target = value`: binds a variable, sets an attribute (`row.email = 'x'`) or an item.
        case assignment(AssignmentTarget, Expression)
        /// Raw SQL, exactly as written, without the `;` that ends it.
        case sql(String)
        /// A meta command: `\d users`, `.tables`.
        case meta(MetaCommand)
        /// Bare `commit`: the session's commit.
        case commit
        /// Bare `rollback`: the session's rollback.
        case rollback
    }

    /// What the statement is.
    public var kind: Kind
    /// Where the statement is, without the separator that ends it.
    public var range: SourceRange

    /// Creates a statement.
    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The left side of an assignment.
public struct AssignmentTarget: Hashable, Sendable {
    /// The assignable forms.
    public enum Kind: Hashable, Sendable {
        /// A variable: `x = …`.
        case name(String)
        /// An attribute: `row.email = …`.
        case attribute(Expression, Identifier)
        /// An item: `d['k'] = …`.
        case `subscript`(Expression, Expression)
    }

    /// What is assigned to.
    public var kind: Kind
    /// Where the target is.
    public var range: SourceRange

    /// Creates an assignment target.
    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A meta command: one line, `\NAME ARGUMENT` (psql style) or `.NAME ARGUMENT` (sqlite3 style).
public struct MetaCommand: Hashable, Sendable {
    /// How the command was introduced.
    public enum Style: Hashable, Sendable {
        /// `\d users` (psql).
        case backslash
        /// `.schema users` (sqlite3).
        case dot
    }

    /// `\` or `.`.
    public var style: Style
    /// The word after the `\` or `.`, up to the first white space: `d`, `dt+`, `schema`.
    public var name: String
    /// The rest of the line with surrounding white space removed; empty when there is none.
    public var argument: String

    /// Creates a meta command.
    public init(style: Style, name: String, argument: String) {
        self.style = style
        self.name = name
        self.argument = argument
    }
}

/// A name with its position: an attribute name or a keyword argument's label.
public struct Identifier: Hashable, Sendable {
    /// The name.
    public var name: String
    /// Where the name is.
    public var range: SourceRange

    /// Creates an identifier.
    public init(_ name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// An expression of the soup language.
public struct Expression: Hashable, Sendable {
    /// The expression forms.
    public indirect enum Kind: Hashable, Sendable {
        /// An integer literal: `42`, `0xff`.
        case integer(Int)
        /// A floating-point literal: `1.5`.
        case float(Double)
        /// A string literal, escapes resolved; adjacent literals are joined into one.
        case string(String)
        /// `None` or `null`.
        case none
        /// `True` or `False`.
        case boolean(Bool)
        /// A variable, builtin or table name.
        case name(String)
        /// `[a, b]`.
        case list([Expression])
        /// `()`, `(a,)`, `(a, b)`.
        case tuple([Expression])
        /// `{k: v}`.
        case dictionary([DictionaryEntry])
        /// `base.name`.
        case attribute(Expression, Identifier)
        /// `function(arguments)`.
        case call(Expression, [Argument])
        /// `base[index]`; the index is a ``slice(lower:upper:step:)`` for `q[1:3]`.
        case `subscript`(Expression, Expression)
        /// `lower:upper:step` inside a subscript, each part optional.
        case slice(lower: Expression?, upper: Expression?, step: Expression?)
        /// `-x`, `+x`, `~x`, `not x`.
        case unary(UnaryOperator, Expression)
        /// `a + b`, `a == b`, `a and b`, `a not in b`, …
        case binary(BinaryOperator, Expression, Expression)
    }

    /// What the expression is.
    public var kind: Kind {
        didSet { height = kind.height }
    }
    /// Where the expression is; a parenthesized expression's range includes its parentheses.
    public var range: SourceRange
    /// The number of nodes on the longest path from this one down to a leaf (a literal is 1).
    ///
    /// The parser refuses expressions higher than ``Parser/maximumDepth``, so code that walks an
    /// expression recursively needs no more stack than that.
    public private(set) var height: Int

    /// Creates an expression.
    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
        self.height = kind.height
    }
}

extension Expression.Kind {
    /// The expressions directly inside this one, in source order.
    public var children: [Expression] {
        switch self {
        case .integer, .float, .string, .none, .boolean, .name:
            []
        case .list(let elements), .tuple(let elements):
            elements
        case .dictionary(let entries):
            entries.flatMap { [$0.key, $0.value] }
        case .attribute(let base, _):
            [base]
        case .call(let function, let arguments):
            [function] + arguments.map(\.value)
        case .subscript(let base, let index):
            [base, index]
        case .slice(let lower, let upper, let step):
            [lower, upper, step].compactMap { $0 }
        case .unary(_, let operand):
            [operand]
        case .binary(_, let left, let right):
            [left, right]
        }
    }

    /// The height of an expression of this kind (without building ``children``: this runs for
    /// every node the parser makes).
    fileprivate var height: Int {
        switch self {
        case .integer, .float, .string, .none, .boolean, .name:
            return 1
        case .list(let elements), .tuple(let elements):
            return 1 + elements.reduce(0) { max($0, $1.height) }
        case .dictionary(let entries):
            return 1 + entries.reduce(0) { max($0, $1.key.height, $1.value.height) }
        case .attribute(let base, _):
            return 1 + base.height
        case .call(let function, let arguments):
            return 1 + arguments.reduce(function.height) { max($0, $1.value.height) }
        case .subscript(let base, let index):
            return 1 + max(base.height, index.height)
        case .slice(let lower, let upper, let step):
            return 1 + max(lower?.height ?? 0, upper?.height ?? 0, step?.height ?? 0)
        case .unary(_, let operand):
            return 1 + operand.height
        case .binary(_, let left, let right):
            return 1 + max(left.height, right.height)
        }
    }
}

/// One `key: value` of a dictionary literal.
public struct DictionaryEntry: Hashable, Sendable {
    /// The expression before the `:`.
    public var key: Expression
    /// The expression after the `:`.
    public var value: Expression

    /// Where the entry is, from its key to its value.
    public var range: SourceRange { key.range.extended(to: value.range) }

    /// Creates a dictionary entry.
    public init(key: Expression, value: Expression) {
        self.key = key
        self.value = value
    }
}

/// One argument of a call.
public struct Argument: Hashable, Sendable {
    /// How the argument is passed.
    public enum Kind: Hashable, Sendable {
        /// `f(x)`.
        case positional
        /// `f(name=x)`.
        case keyword(Identifier)
        /// `f(*xs)`: each element of a sequence is a positional argument.
        case unpackedSequence
        /// `f(**d)`: each entry of a dictionary is a keyword argument.
        case unpackedDictionary
    }

    /// How the argument is passed.
    public var kind: Kind
    /// The argument's value.
    public var value: Expression
    /// Where the argument is, including its label or `*`/`**`.
    public var range: SourceRange

    /// Creates an argument.
    public init(_ kind: Kind, value: Expression, range: SourceRange) {
        self.kind = kind
        self.value = value
        self.range = range
    }
}

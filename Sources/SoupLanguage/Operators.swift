/// Prefix operators; the raw value is the operator as written.
public enum UnaryOperator: String, Hashable, Sendable, CaseIterable {
    /// `-x`.
    case negate = "-"
    /// `+x`.
    case plus = "+"
    /// `~x`: bitwise or SQL negation.
    case invert = "~"
    /// `not x`.
    case not

    /// How tightly the operator binds its operand.
    var precedence: Precedence { self == .not ? .not : .unary }
}

/// Infix operators; the raw value is the operator as written.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    /// `a or b`.
    case or
    /// `a and b`.
    case and
    /// `a == b`; `== None` is SQL's `IS NULL`.
    case equal = "=="
    /// `a != b`.
    case notEqual = "!="
    /// `a < b`.
    case less = "<"
    /// `a <= b`.
    case lessOrEqual = "<="
    /// `a > b`.
    case greater = ">"
    /// `a >= b`.
    case greaterOrEqual = ">="
    /// `a in b`.
    case `in`
    /// `a not in b`.
    case notIn = "not in"
    /// `a is b`.
    case `is`
    /// `a is not b`.
    case isNot = "is not"
    /// `|`: bitwise or SQL `OR`.
    case bitwiseOr = "|"
    /// `&`: bitwise or SQL `AND`.
    case bitwiseAnd = "&"
    /// `a + b`.
    case add = "+"
    /// `a - b`.
    case subtract = "-"
    /// `a * b`.
    case multiply = "*"
    /// `a / b`.
    case divide = "/"
    /// `a % b`.
    case remainder = "%"

    /// How tightly the operator binds its operands.
    var precedence: Precedence {
        switch self {
        case .or: .or
        case .and: .and
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in, .notIn, .is,
            .isNot:
            .comparison
        case .bitwiseOr: .bitwiseOr
        case .bitwiseAnd: .bitwiseAnd
        case .add, .subtract: .additive
        case .multiply, .divide, .remainder: .multiplicative
        }
    }
}

/// Operator precedence, loosest first, as in Python.
enum Precedence: Int, Comparable {
    case or = 1
    case and
    case not
    case comparison
    case bitwiseOr
    case bitwiseAnd
    case additive
    case multiplicative
    case unary
    /// Attribute access, calls, subscripts and atoms.
    case postfix

    /// The next tighter level.
    var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .postfix }

    static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }
}

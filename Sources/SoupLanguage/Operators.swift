/// Prefix operators.
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

/// Infix operators.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case or
    case and
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case `in`
    case notIn = "not in"
    case `is`
    case isNot = "is not"
    /// `|`: bitwise or SQL `OR`.
    case bitwiseOr = "|"
    /// `&`: bitwise or SQL `AND`.
    case bitwiseAnd = "&"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
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

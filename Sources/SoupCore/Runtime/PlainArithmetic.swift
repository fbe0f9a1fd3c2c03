import SoupDriver
import SoupLanguage

/// Python's operators on plain values (numbers, strings, lists), for the parts of a program
/// that do not build SQL.
enum PlainArithmetic {
    static func apply(_ op: BinaryOperator, _ left: RuntimeValue, _ right: RuntimeValue) throws -> RuntimeValue {
        switch op {
        case .equal: return .scalar(.bool(try equal(left, right)))
        case .notEqual: return .scalar(.bool(!(try equal(left, right))))
        case .is: return .scalar(.bool(try identical(left, right)))
        case .isNot: return .scalar(.bool(!(try identical(left, right))))
        case .in, .notIn:
            let found = try contains(right, left)
            return .scalar(.bool(op == .in ? found : !found))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return .scalar(.bool(try compare(op, left, right)))
        case .add, .subtract, .multiply, .divide, .remainder:
            return try arithmetic(op, left, right)
        case .bitwiseAnd, .bitwiseOr:
            guard case .scalar(.integer(let a)) = left, case .scalar(.integer(let b)) = right else {
                throw unsupported(op, left, right)
            }
            return .scalar(.integer(op == .bitwiseAnd ? a & b : a | b))
        case .and, .or:
            throw unsupported(op, left, right)
        }
    }

    private static func unsupported(_ op: BinaryOperator, _ left: RuntimeValue, _ right: RuntimeValue) -> EvaluationError {
        EvaluationError("unsupported operand types for \(op.rawValue): \(left.kindName) and \(right.kindName)")
    }

    static func equal(_ left: RuntimeValue, _ right: RuntimeValue) throws -> Bool {
        switch (left, right) {
        case (.scalar(let a), .scalar(let b)):
            if let x = number(a), let y = number(b) { return x == y }
            return a == b
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            guard a.count == b.count else { return false }
            return try zip(a, b).allSatisfy { try equal($0, $1) }
        case (.row(let a), .row(let b)):
            // SQLSoup: rows compare equal when all column values are equal.
            return a.entity === b.entity && a.values == b.values
        case (.record(let a), .record(let b)):
            return a.values == b.values
        case (.entity(let a), .entity(let b)):
            return a === b
        default:
            return false
        }
    }

    private static func identical(_ left: RuntimeValue, _ right: RuntimeValue) throws -> Bool {
        switch (left, right) {
        case (.row(let a), .row(let b)): return a === b
        case (.entity(let a), .entity(let b)): return a === b
        case (.scalar(.null), .scalar(.null)): return true
        case (.scalar(.bool(let a)), .scalar(.bool(let b))): return a == b
        case (.scalar, .scalar): return try equal(left, right)
        default: return false
        }
    }

    private static func contains(_ container: RuntimeValue, _ item: RuntimeValue) throws -> Bool {
        switch container {
        case .list(let items), .tuple(let items):
            return try items.contains { try equal($0, item) }
        case .dictionary(let entries):
            return try entries.contains { try equal($0.key, item) }
        case .scalar(.text(let text)):
            guard case .scalar(.text(let needle)) = item else { throw unsupported(.in, item, container) }
            return needle.isEmpty || text.contains(needle)
        default:
            throw unsupported(.in, item, container)
        }
    }

    private static func compare(_ op: BinaryOperator, _ left: RuntimeValue, _ right: RuntimeValue) throws -> Bool {
        let order: Int
        switch (left, right) {
        case (.scalar(let a), .scalar(let b)):
            if let x = number(a), let y = number(b) {
                order = x < y ? -1 : (x > y ? 1 : 0)
            } else if case .text(let x) = a, case .text(let y) = b {
                order = x < y ? -1 : (x > y ? 1 : 0)
            } else {
                throw unsupported(op, left, right)
            }
        default:
            throw unsupported(op, left, right)
        }
        switch op {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    private static func arithmetic(_ op: BinaryOperator, _ left: RuntimeValue, _ right: RuntimeValue) throws -> RuntimeValue {
        switch (left, right) {
        case (.scalar(.integer(let a)), .scalar(.integer(let b))):
            let result: (Int64, Bool)
            switch op {
            case .add: result = a.addingReportingOverflow(b)
            case .subtract: result = a.subtractingReportingOverflow(b)
            case .multiply: result = a.multipliedReportingOverflow(by: b)
            case .divide:
                guard b != 0 else { throw EvaluationError("division by zero") }
                return .scalar(.real(Double(a) / Double(b)))
            default:
                guard b != 0 else { throw EvaluationError("modulo by zero") }
                // Python's modulo takes the sign of the divisor.
                let r = a % b
                return .scalar(.integer(r != 0 && (r < 0) != (b < 0) ? r + b : r))
            }
            guard !result.1 else { throw EvaluationError("integer overflow") }
            return .scalar(.integer(result.0))
        case (.scalar(let a), .scalar(let b)):
            if let x = number(a), let y = number(b) {
                switch op {
                case .add: return .scalar(.real(x + y))
                case .subtract: return .scalar(.real(x - y))
                case .multiply: return .scalar(.real(x * y))
                case .divide:
                    guard y != 0 else { throw EvaluationError("division by zero") }
                    return .scalar(.real(x / y))
                default:
                    guard y != 0 else { throw EvaluationError("modulo by zero") }
                    let r = x.truncatingRemainder(dividingBy: y)
                    return .scalar(.real(r != 0 && (r < 0) != (y < 0) ? r + y : r))
                }
            }
            if op == .add, case .text(let x) = a, case .text(let y) = b { return .scalar(.text(x + y)) }
            throw unsupported(op, left, right)
        case (.list(let a), .list(let b)) where op == .add:
            return .list(a + b)
        default:
            throw unsupported(op, left, right)
        }
    }

    /// The value as a number, for mixed integer and float arithmetic.
    private static func number(_ value: Value) -> Double? {
        switch value {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
}

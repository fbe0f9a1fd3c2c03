/// Canonical soup source for a syntax tree: parsing what it prints gives the same tree back
/// (apart from source ranges).
enum Printer {
    static func statement(_ statement: Statement) -> String {
        switch statement.kind {
        case .expression(let expression):
            let text = Self.expression(expression)
            // `values + 1` would read back as raw SQL, and a bare `commit` as the session's commit.
            let isBareSessionWord = ["commit", "rollback"].contains(text.lowercased())
            let isSQL = SQLSpan.startsStatement(in: Array(text.utf8), at: 0)
            return isBareSessionWord || isSQL ? "(\(text))" : text
        case .assignment(let target, let value):
            return "\(Self.target(target)) = \(Self.expression(value))"
        case .sql(let text):
            // A `;` after a `--` comment would be part of the comment, and one after a `\` that
            // starts a line would make a meta command.
            // Bytes, not characters: `-` or `\\` and a combining mark are one character.
            let bytes = Array(text.utf8)
            let lastLine = bytes[(bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0)...]
            let hasComment = zip(lastLine, lastLine.dropFirst()).contains {
                $0 == UInt8(ascii: "-") && $1 == UInt8(ascii: "-")
            }
            let startsWithBackslash = lastLine.first { !isHorizontalSpace($0) } == UInt8(ascii: "\\")
            return hasComment || startsWithBackslash ? text + "\n;" : text + ";"
        case .meta(let command):
            let prefix = command.style == .backslash ? "\\" : "."
            return prefix + command.name + (command.argument.isEmpty ? "" : " " + command.argument)
        case .commit:
            return "commit"
        case .rollback:
            return "rollback"
        }
    }

    private static func target(_ target: AssignmentTarget) -> String {
        switch target.kind {
        case .name(let name): name
        case .attribute(let base, let name): attribute(base, name)
        case .subscript(let base, let index): item(base, index)
        }
    }

    static func expression(_ expression: Expression) -> String {
        switch expression.kind {
        case .integer(let value): String(value)
        case .float(let value): String(value)
        case .string(let value): quoted(value)
        case .none: "None"
        case .boolean(let value): value ? "True" : "False"
        case .name(let name): name
        case .list(let elements): "[" + list(elements) + "]"
        case .tuple(let elements): "(" + list(elements) + (elements.count == 1 ? ",)" : ")")
        case .dictionary(let entries):
            "{"
                + entries.map { "\(Self.expression($0.key)): \(Self.expression($0.value))" }
                .joined(separator: ", ") + "}"
        case .attribute(let base, let name): attribute(base, name)
        case .call(let function, let arguments):
            operand(function, atLeast: .postfix) + "(" + arguments.map(argument).joined(separator: ", ") + ")"
        case .subscript(let base, let index): item(base, index)
        case .slice(let lower, let upper, let step):
            [lower, upper].map { $0.map(Self.expression) ?? "" }.joined(separator: ":")
                + (step.map { ":" + Self.expression($0) } ?? "")
        case .unary(let op, let operand):
            unary(op, operand)
        case .binary(let op, let left, let right):
            // Operators associate to the left; comparisons do not chain at all.
            operand(left, atLeast: op.precedence == .comparison ? .bitwiseOr : op.precedence)
                + " \(op.rawValue) " + operand(right, atLeast: op.precedence.tighter)
        }
    }

    /// A string literal: single-quoted, with Python escapes for quotes, backslashes and controls.
    static func quoted(_ value: String) -> String {
        var text = "'"
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "'": text += "\\'"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                text += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "'"
    }

    private static func list(_ elements: [Expression]) -> String {
        elements.map(expression).joined(separator: ", ")
    }

    private static func attribute(_ base: Expression, _ name: Identifier) -> String {
        // `(1).real`: `1.real` would read as a malformed number.
        switch base.kind {
        case .integer, .float: "(\(expression(base))).\(name.name)"
        default: operand(base, atLeast: .postfix) + "." + name.name
        }
    }

    private static func item(_ base: Expression, _ index: Expression) -> String {
        operand(base, atLeast: .postfix) + "[" + expression(index) + "]"
    }

    private static func argument(_ argument: Argument) -> String {
        let value = expression(argument.value)
        switch argument.kind {
        case .positional: return value
        case .keyword(let label): return label.name + "=" + value
        case .unpackedSequence: return "*" + value
        case .unpackedDictionary: return "**" + value
        }
    }

    private static func unary(_ op: UnaryOperator, _ operand: Expression) -> String {
        let text = Self.operand(operand, atLeast: op.precedence)
        if op == .not { return "not " + text }
        // `- -x`, not `--x`, which starts a SQL comment at the start of a statement.
        let startsWithSign = text.utf8.first == UInt8(ascii: "-") || text.utf8.first == UInt8(ascii: "+")
        return op.rawValue + (startsWithSign ? " " : "") + text
    }

    /// An operand, in parentheses when it binds more loosely than `minimum`.
    private static func operand(_ operand: Expression, atLeast minimum: Precedence) -> String {
        let text = expression(operand)
        return precedence(of: operand) < minimum ? "(\(text))" : text
    }

    private static func precedence(of expression: Expression) -> Precedence {
        switch expression.kind {
        case .unary(let op, _): op.precedence
        case .binary(let op, _, _): op.precedence
        default: .postfix
        }
    }
}

extension Expression: CustomStringConvertible {
    /// The expression as canonical soup source: `db.users.filter(db.users.name == 'x')`.
    public var description: String { Printer.expression(self) }
}

extension Statement: CustomStringConvertible {
    /// The statement as canonical soup source; raw SQL gets its `;`.
    public var description: String { Printer.statement(self) }
}

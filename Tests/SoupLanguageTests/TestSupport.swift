import SoupLanguage
import Testing

/// The only statement of `source`.
func statement(_ source: String, sqlTermination: SQLTermination = .semicolonOrEndOfInput) throws -> Statement
{
    let statements = try Parser.parse(source, sqlTermination: sqlTermination)
    try #require(statements.count == 1, "expected one statement in \(source)")
    return statements[0]
}

/// The expression of the only statement of `source`, an expression statement.
func expression(_ source: String) throws -> Expression {
    let statement = try statement(source)
    guard case .expression(let expression) = statement.kind else {
        throw ParseError("not an expression statement: \(statement)", range: statement.range)
    }
    return expression
}

/// The error that parsing `source` throws.
func parseError(_ source: String, sqlTermination: SQLTermination = .semicolonOrEndOfInput) -> ParseError? {
    do {
        _ = try Parser.parse(source, sqlTermination: sqlTermination)
        return nil
    } catch {
        return error
    }
}

/// The tree as fully bracketed text, to check structure without ranges:
/// `(db.users.name == 'x')`, `(not x)`, `f(a, k=1)`.
func tree(_ expression: Expression) -> String {
    switch expression.kind {
    case .integer, .float, .string, .none, .boolean, .name:
        return expression.description
    case .list(let elements):
        return "[" + elements.map(tree).joined(separator: ", ") + "]"
    case .tuple(let elements):
        return "(" + elements.map(tree).joined(separator: ", ") + (elements.count == 1 ? ",)" : ")")
    case .dictionary(let entries):
        return "{" + entries.map { tree($0.key) + ": " + tree($0.value) }.joined(separator: ", ") + "}"
    case .attribute(let base, let name):
        return tree(base) + "." + name.name
    case .call(let function, let arguments):
        let texts = arguments.map { argument in
            switch argument.kind {
            case .positional: tree(argument.value)
            case .keyword(let label): label.name + "=" + tree(argument.value)
            case .unpackedSequence: "*" + tree(argument.value)
            case .unpackedDictionary: "**" + tree(argument.value)
            }
        }
        return tree(function) + "(" + texts.joined(separator: ", ") + ")"
    case .subscript(let base, let index):
        return tree(base) + "[" + tree(index) + "]"
    case .slice(let lower, let upper, let step):
        return [lower, upper, step].map { $0.map(tree) ?? "_" }.joined(separator: ":")
    case .unary(let op, let operand):
        return "(\(op.rawValue)\(op == .not ? " " : "")\(tree(operand)))"
    case .binary(let op, let left, let right):
        return "(\(tree(left)) \(op.rawValue) \(tree(right)))"
    }
}

/// The same tree with every range replaced, so that trees compare by structure alone.
extension Expression {
    func stripped() -> Expression {
        let kind: Kind
        switch self.kind {
        case .integer, .float, .string, .none, .boolean, .name:
            kind = self.kind
        case .list(let elements): kind = .list(elements.map { $0.stripped() })
        case .tuple(let elements): kind = .tuple(elements.map { $0.stripped() })
        case .dictionary(let entries):
            kind = .dictionary(
                entries.map { DictionaryEntry(key: $0.key.stripped(), value: $0.value.stripped()) })
        case .attribute(let base, let name): kind = .attribute(base.stripped(), name.stripped())
        case .call(let function, let arguments):
            kind = .call(
                function.stripped(),
                arguments.map { argument in
                    var kind = argument.kind
                    if case .keyword(let label) = kind { kind = .keyword(label.stripped()) }
                    return Argument(kind, value: argument.value.stripped(), range: .zero)
                })
        case .subscript(let base, let index): kind = .subscript(base.stripped(), index.stripped())
        case .slice(let lower, let upper, let step):
            kind = .slice(lower: lower?.stripped(), upper: upper?.stripped(), step: step?.stripped())
        case .unary(let op, let operand): kind = .unary(op, operand.stripped())
        case .binary(let op, let left, let right): kind = .binary(op, left.stripped(), right.stripped())
        }
        return Expression(kind, range: .zero)
    }
}

extension Identifier {
    func stripped() -> Identifier { Identifier(name, range: .zero) }
}

extension Statement {
    func stripped() -> Statement {
        switch kind {
        case .expression(let expression):
            return Statement(.expression(expression.stripped()), range: .zero)
        case .assignment(let target, let value):
            let targetKind: AssignmentTarget.Kind
            switch target.kind {
            case .name: targetKind = target.kind
            case .attribute(let base, let name): targetKind = .attribute(base.stripped(), name.stripped())
            case .subscript(let base, let index): targetKind = .subscript(base.stripped(), index.stripped())
            }
            return Statement(
                .assignment(AssignmentTarget(targetKind, range: .zero), value.stripped()), range: .zero)
        case .sql, .meta, .commit, .rollback:
            return Statement(kind, range: .zero)
        }
    }
}

extension SourceRange {
    static let zero = SourceRange(at: SourceLocation(offset: 0, line: 1, column: 1))
}

/// Source with position markers (1️⃣, 2️⃣) taken out, and where each marker was.
struct MarkedSource {
    static let markers = ["1️⃣", "2️⃣"]

    var text = ""
    /// The UTF-8 offset of each marker in `text`, by marker.
    var offsets: [String: Int] = [:]

    init(_ marked: String) {
        var rest = Substring(marked)
        while let first = rest.first {
            if let marker = Self.markers.first(where: { rest.hasPrefix($0) }) {
                offsets[marker] = text.utf8.count
                rest = rest.dropFirst(marker.count)
            } else {
                text.append(first)
                rest = rest.dropFirst()
            }
        }
    }
}

/// Checks that parsing the marked source fails with `message`, the error starting at 1️⃣ (and
/// ending at 2️⃣ when there is one).
func expectError(
    _ marked: String, _ message: String, hint: String? = nil, needsMoreInput: Bool = false,
    sqlTermination: SQLTermination = .semicolonOrEndOfInput,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let source = MarkedSource(marked)
    guard let error = parseError(source.text, sqlTermination: sqlTermination) else {
        Issue.record("no error for \(source.text)", sourceLocation: sourceLocation)
        return
    }
    #expect(error.message == message, sourceLocation: sourceLocation)
    #expect(
        error.range.start.offset == source.offsets["1️⃣"], "start of \(error)", sourceLocation: sourceLocation)
    if let end = source.offsets["2️⃣"] {
        #expect(error.range.end.offset == end, "end of \(error)", sourceLocation: sourceLocation)
    }
    if let hint { #expect(error.hint == hint, sourceLocation: sourceLocation) }
    #expect(error.needsMoreInput == needsMoreInput, sourceLocation: sourceLocation)
}

import SoupDriver
import SoupLanguage

/// The evaluated arguments of a call, with helpers that check them as Python would.
struct Arguments {
    var positional: [RuntimeValue]
    /// Keyword arguments in the order written.
    var keywords: [(name: String, value: RuntimeValue)]
    /// The call's source range, for errors.
    let range: SourceRange
    /// `name(...)`, for errors.
    let callee: String

    var isEmpty: Bool { positional.isEmpty && keywords.isEmpty }

    func error(_ message: String, hint: String? = nil) -> EvaluationError {
        EvaluationError("\(callee)(): \(message)", range: range, hint: hint)
    }

    /// Fails unless there are no arguments.
    func expectNone() throws {
        guard isEmpty else { throw error("takes no arguments") }
    }

    /// Fails on keyword arguments other than `allowed`.
    func allowKeywords(_ allowed: Set<String>) throws {
        for keyword in keywords where !allowed.contains(keyword.name) {
            throw error(
                "unexpected keyword argument '\(keyword.name)'",
                hint: allowed.isEmpty ? nil : "it takes " + allowed.sorted().joined(separator: ", "))
        }
    }

    /// The argument at `position`, or the keyword `name`; nil when absent.
    func optional(_ name: String, at position: Int? = nil) -> RuntimeValue? {
        if let position, position < positional.count { return positional[position] }
        return keywords.last { $0.name == name }?.value
    }

    /// Like ``optional(_:at:)``, but absent is an error.
    func required(_ name: String, at position: Int? = nil) throws -> RuntimeValue {
        guard let value = optional(name, at: position) else { throw error("missing argument '\(name)'") }
        return value
    }

    /// Fails when more than `count` positional arguments were given.
    func expectAtMost(_ count: Int) throws {
        guard positional.count <= count else {
            throw error("takes at most \(count) positional argument\(count == 1 ? "" : "s") (\(positional.count) given)")
        }
    }

    func integer(_ name: String, at position: Int? = nil) throws -> Int? {
        guard let value = optional(name, at: position) else { return nil }
        switch value {
        case .scalar(.null): return nil
        case .scalar(.integer(let i)): return Int(i)
        default: throw error("'\(name)' must be an integer, not \(value.kindName)")
        }
    }

    func boolean(_ name: String, at position: Int? = nil, default fallback: Bool) throws -> Bool {
        guard let value = optional(name, at: position) else { return fallback }
        guard let truth = value.truthValue else {
            throw error("'\(name)' must be True or False, not \(value.kindName)")
        }
        return truth
    }

    func string(_ name: String, at position: Int? = nil) throws -> String? {
        guard let value = optional(name, at: position) else { return nil }
        switch value {
        case .scalar(.null): return nil
        case .scalar(.text(let s)): return s
        default: throw error("'\(name)' must be a string, not \(value.kindName)")
        }
    }
}

extension RuntimeValue {
    /// Python truthiness for plain values; nil for SQL expressions and other objects whose
    /// truth is not known without the database.
    var truthValue: Bool? {
        switch self {
        case .scalar(let value):
            switch value {
            case .null: return false
            case .bool(let b): return b
            case .integer(let i): return i != 0
            case .real(let d): return d != 0
            case .text(let s): return !s.isEmpty
            case .blob(let bytes): return !bytes.isEmpty
            default: return true
            }
        case .list(let items), .tuple(let items): return !items.isEmpty
        case .dictionary(let items): return !items.isEmpty
        case .sql, .query, .select, .text: return nil
        default: return true
        }
    }
}

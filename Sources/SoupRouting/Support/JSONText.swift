/// A JSON value for the small documents soup writes itself (status, state file).
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case integer(Int)
    case boolean(Bool)
    case null
    case object(JSONText)
    case array([JSONValue])

    /// The compact JSON text.
    public var text: String {
        switch self {
        case .string(let string): JSONText.quoted(string)
        case .number(let number): number.isFinite ? String(number) : "null"
        case .integer(let integer): String(integer)
        case .boolean(let flag): flag ? "true" : "false"
        case .null: "null"
        case .object(let object): object.text
        case .array(let values): "[" + values.map(\.text).joined(separator: ",") + "]"
        }
    }
}

/// A JSON object whose keys keep their order.
public struct JSONText: Sendable, Equatable {
    private var members: [(String, JSONValue)] = []

    public static func object() -> JSONText { JSONText() }

    public mutating func add(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    public var text: String {
        "{" + members.map { JSONText.quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
    }

    public static func == (left: JSONText, right: JSONText) -> Bool { left.text == right.text }

    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

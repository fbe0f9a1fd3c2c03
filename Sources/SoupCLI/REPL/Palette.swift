import SoupCore

/// The terminal colours (SGR parameters) of each ``HighlightStyle`` and of suggestions.
struct Palette {
    /// Faint text: the suggestion when colours are off (an attribute, not a colour).
    static let faint = "2"

    var suggestion = "90"

    func sgr(_ style: HighlightStyle) -> String? {
        switch style {
        case .keyword: "1;35"
        case .builtin: "36"
        case .method: "96"
        case .table: "1;32"
        case .variable: "32"
        case .column: "34"
        case .relation: "4;34"
        case .member: "94"
        case .argument: "3;34"
        case .string: "33"
        case .openString: "4;33"
        case .number: "95"
        case .comment: "3;90"
        case .operator: "1"
        case .openBracket: "1;4"
        case .stray: "1;31"
        case .unknownName: "31"
        case .metaCommand: "1;36"
        case .sqlName: "37"
        case .function: "3;36"
        case .parameter: "35"
        }
    }
}

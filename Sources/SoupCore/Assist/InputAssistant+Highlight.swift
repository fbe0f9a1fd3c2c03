import SoupLanguage
import SoupReflection

/// How a piece of input is shown; the REPL maps each to a terminal colour.
public enum HighlightStyle: String, Hashable, Sendable, CaseIterable {
    /// Soup's and SQL's keywords.
    case keyword
    /// `db`, `func`, `print`, … and methods.
    case builtin, method
    /// A table or schema that exists.
    case table
    case variable
    /// A column or relation after a dot; `member` when what is before the dot is not known yet.
    case column, relation, member
    /// `name=` in a call.
    case argument
    case string, number, comment, `operator`
    /// A string or bracket not closed yet.
    case openString, openBracket
    /// A closing bracket that closes nothing, or a character soup does not know.
    case stray
    /// A name that is no variable, builtin, table or schema.
    case unknownName
    case metaCommand
    /// A SQL name that is not a known table; a SQL function call; a SQL parameter.
    case sqlName, function, parameter
}

/// A piece of input and how to show it (UTF-8 offsets).
public struct HighlightSpan: Hashable, Sendable {
    public var range: Range<Int>
    public var style: HighlightStyle

    public init(_ range: Range<Int>, _ style: HighlightStyle) {
        self.range = range
        self.style = style
    }
}

extension InputAssistant {
    /// The styled pieces of `text`; what is not covered is shown plainly. Asks the database
    /// nothing: names are checked against what is cached, and before the first listing of tables
    /// a name that is no variable or builtin is shown plainly rather than as unknown. The word
    /// ending at `cursor` is not unknown while it starts a known name (it is being typed).
    public func highlight(_ text: String, cursor: Int? = nil) -> [HighlightSpan] {
        let bytes = Array(text.utf8)
        let tokens = InputScanner.tokens(of: text)
        var spans: [HighlightSpan] = []
        spans.reserveCapacity(tokens.count)
        func word(_ token: InputToken) -> String { String(decoding: bytes[token.range], as: UTF8.self) }
        for (index, token) in tokens.enumerated() {
            let style: HighlightStyle?
            switch token.kind {
            case .name:
                style = nameStyle(word(token), isBeingTyped: token.range.upperBound == cursor)
            case .member:
                let receiver = index >= 2 ? receiverTarget(tokens, index - 2, bytes) : nil
                style = memberStyle(word(token), of: receiver)
            case .keywordArgument: style = .argument
            case .assignedName: style = .variable
            case .keyword, .sqlKeyword: style = .keyword
            case .number: style = .number
            case .string: style = token.isUnclosed ? .openString : .string
            case .comment: style = .comment
            case .operator: style = .operator
            case .punctuation, .metaArgument: style = nil
            case .openBracket: style = token.isUnclosed ? .openBracket : nil
            case .closeBracket: style = token.isStray ? .stray : nil
            case .metaCommand: style = .metaCommand
            case .sqlIdentifier:
                let name = word(token)
                let known = !name.hasPrefix("\"") && (cachedTables(named: name)?.isEmpty == false || isListedSchema(name))
                style = known ? .table : .sqlName
            case .sqlFunction: style = .function
            case .sqlParameter: style = .parameter
            case .unknown: style = .stray
            }
            if let style { spans.append(HighlightSpan(token.range, style)) }
        }
        return spans
    }

    private func nameStyle(_ name: String, isBeingTyped: Bool) -> HighlightStyle? {
        if soup.variables[name] != nil { return .variable }
        if name == "db" || Builtin(rawValue: name) != nil { return .builtin }
        if soup.cachedEntity(named: name) != nil { return .table }
        guard let listed = cachedTables(named: name) else { return nil }
        if !listed.isEmpty || isListedSchema(name) { return .table }
        if isBeingTyped, isStartOfKnownName(name) { return nil }
        return .unknownName
    }

    private func isStartOfKnownName(_ prefix: String) -> Bool {
        soup.variables.keys.contains { $0.hasPrefix(prefix) } || Builtin.allCases.contains { $0.rawValue.hasPrefix(prefix) }
            || "db".hasPrefix(prefix) || cachedTables?.contains { $0.name.name.hasPrefix(prefix) } == true
    }

    private func memberStyle(_ name: String, of receiver: Target?) -> HighlightStyle {
        switch receiver {
        case .entity(let entity), .row(let entity):
            if entity.attribute(named: name) != nil || name == "c" { return .column }
            if entity.relations[name] != nil { return .relation }
        case .columns(let entity):
            if entity.attribute(named: name) != nil { return .column }
        case .record(let columns):
            if columns.contains(name) { return .column }
        case .soup:
            if Soup.soupMethods.contains(name) { return .method }
            return .table
        case .functions:
            return .function
        default:
            break
        }
        return Self.allMethods.contains(name) ? .method : .member
    }

    private static let allMethods = Soup.queryMethods.union(Soup.entityMethods).union(Soup.soupMethods)
        .union(Soup.columnMethods).union(["as_dict", "keys"])

    /// What the name or member at token `index` stands for, from cached knowledge only.
    private func receiverTarget(_ tokens: [InputToken], _ index: Int, _ bytes: [UInt8]) -> Target? {
        let token = tokens[index]
        let name = String(decoding: bytes[token.range], as: UTF8.self)
        switch token.kind {
        case .name:
            if let value = soup.variables[name] { return target(ofCached: value) }
            if name == "db" { return .soup }
            if name == Builtin.func.rawValue { return .functions }
            return soup.cachedEntity(named: name).map(Target.entity)
        case .member where index >= 2:
            switch receiverTarget(tokens, index - 2, bytes) {
            case .soup: return soup.cachedEntity(named: name).map(Target.entity)
            case .entity(let entity) where name == "c": return .columns(entity)
            case .functions: return .functions
            default: return nil
            }
        default:
            return nil
        }
    }

    private func target(ofCached value: RuntimeValue) -> Target? {
        switch value {
        case .soup: .soup
        case .entity(let entity): .entity(entity)
        case .columns(let entity): .columns(entity)
        case .row(let row): .row(row.entity)
        case .record(let record): .record(record.columns.map(\.name))
        case .builtin(.func): .functions
        default: nil
        }
    }
}

/// Works out a ``CompletionContext`` from the tokens of the input around the cursor.
struct ContextReader {
    typealias Context = CompletionContext

    let bytes: [UInt8]
    let cursor: Int
    let tokens: [InputToken]

    init(text: String, cursor: Int) {
        bytes = Array(text.utf8)
        self.cursor = max(0, min(cursor, bytes.count))
        tokens = InputScanner.tokens(of: text)
    }

    func context() -> Context {
        // The token the cursor is in or just after.
        let touching = tokens.lastIndex { $0.range.lowerBound < cursor && cursor <= $0.range.upperBound }
        if let touching, let context = insideToken(touching) { return context }
        var wordStart = cursor
        while wordStart > 0, isNameByte(bytes[wordStart - 1]) { wordStart -= 1 }
        // A number is not a word to complete (`x + 1`), a name that starts with digits is.
        if wordStart < cursor, isDigit(bytes[wordStart]) { return make(.nothing, word: cursor..<cursor) }
        let word = wordStart..<cursor
        let before = tokens.prefix { $0.range.upperBound <= wordStart }
        if let meta = metaContext(before: before, word: word) { return meta }
        if let last = before.last, last.isSQL, !isSemicolon(last) {
            return SQLContextReader(reader: self, word: word, before: before.count).context()
        }
        return soupContext(before: Array(before), word: word)
    }

    // MARK: Inside strings, comments, meta commands

    /// The context when the cursor is inside a string, comment or meta command line.
    private func insideToken(_ index: Int) -> Context? {
        let token = tokens[index]
        let inside = cursor < token.range.upperBound || token.isUnclosed
        let isLineComment = bytes[token.range.lowerBound] != UInt8(ascii: "/")
        switch token.kind {
        case .comment where inside || isLineComment:
            return make(.nothing, word: cursor..<cursor)
        case .string where inside:
            return token.isSQL ? make(.nothing, word: cursor..<cursor) : stringContext(index)
        case .sqlIdentifier where inside && token.isUnclosed:
            return make(.nothing, word: cursor..<cursor)
        case .metaCommand:
            let dotted = bytes[token.range.lowerBound] == UInt8(ascii: ".")
            let start = token.range.lowerBound + (dotted ? 1 : 0)
            return make(.metaCommand(dotted: dotted), word: start..<cursor)
        default:
            return nil
        }
    }

    /// A meta command's argument, when the cursor is on its line after the name.
    private func metaContext(before: ArraySlice<InputToken>, word: Range<Int>) -> Context? {
        guard let index = before.lastIndex(where: { $0.kind == .metaCommand }) else { return nil }
        let command = tokens[index]
        guard !bytes[command.range.upperBound..<word.lowerBound].contains(UInt8(ascii: "\n")) else { return nil }
        let name = String(decoding: bytes[(command.range.lowerBound + 1)..<command.range.upperBound], as: UTF8.self)
        return make(.metaArgument(command: name), word: word)
    }

    /// Inside a soup string: a table name in `db.entity('…')`, a key in `update({'…`.
    private func stringContext(_ index: Int) -> Context {
        let token = tokens[index]
        var quote = token.range.lowerBound
        while quote < token.range.upperBound, bytes[quote] != UInt8(ascii: "'"), bytes[quote] != UInt8(ascii: "\"") {
            quote += 1
        }
        let word = min(quote + 1, cursor)..<cursor
        guard let open = enclosingBracket(before: index) else { return make(.nothing, word: word) }
        if bytes[tokens[open].range.lowerBound] == UInt8(ascii: "("), open + 1 == index,
            let call = call(openingAt: open), call.name == "entity", call.receiver == .name("db")
        {
            return make(.tableNameString, word: word)
        }
        if let call = dictionaryCall(open: open), startsItem(index - 1) {
            return make(.dictionaryKey(of: call, quoted: true), word: word)
        }
        return make(.nothing, word: word)
    }

    // MARK: Soup

    private func soupContext(before: [InputToken], word: Range<Int>) -> Context {
        guard let last = before.last, !isSemicolon(last), !(last.isSQL) else {
            return make(.name(atStatementStart: true), word: word)
        }
        let lastIndex = before.count - 1
        if last.kind == .punctuation, bytes[last.range.lowerBound] == UInt8(ascii: ".") {
            return make(.member(of: lastIndex > 0 ? receiver(endingAt: lastIndex - 1) : .unknown), word: word)
        }
        if bytes[last.range.upperBound..<word.lowerBound].contains(UInt8(ascii: "\n")), enclosingBracket(before: before.count) == nil {
            return make(.name(atStatementStart: true), word: word)
        }
        if let open = enclosingBracket(before: before.count), startsItem(lastIndex) {
            if bytes[tokens[open].range.lowerBound] == UInt8(ascii: "("), let call = call(openingAt: open) {
                return make(.argument(of: call), word: word)
            }
            if let call = dictionaryCall(open: open) {
                return make(.dictionaryKey(of: call, quoted: false), word: word)
            }
        }
        return make(.name(atStatementStart: false), word: word)
    }

    /// Whether the token at `index` starts an item of a list: it is an opening bracket or `,`.
    private func startsItem(_ index: Int) -> Bool {
        guard index >= 0 else { return false }
        let token = tokens[index]
        return token.kind == .openBracket || (token.kind == .punctuation && bytes[token.range.lowerBound] == UInt8(ascii: ","))
    }

    /// The call whose first argument is the dictionary opened at `open` (`update({`).
    private func dictionaryCall(open: Int) -> Context.Call? {
        guard bytes[tokens[open].range.lowerBound] == UInt8(ascii: "{"), open > 0,
            tokens[open - 1].kind == .openBracket, bytes[tokens[open - 1].range.lowerBound] == UInt8(ascii: "(")
        else { return nil }
        return call(openingAt: open - 1)
    }

    /// The innermost bracket open before token `end` (exclusive), skipping closed pairs.
    func enclosingBracket(before end: Int, inSQL: Bool = false) -> Int? {
        var depth = 0
        var index = end - 1
        while index >= 0 {
            let token = tokens[index]
            if token.isSQL != inSQL || isSemicolon(token) { return nil }
            if token.kind == .closeBracket, !token.isStray {
                depth += 1
            } else if token.kind == .openBracket {
                if depth == 0 { return index }
                depth -= 1
            }
            index -= 1
        }
        return nil
    }

    /// The call whose `(` is token `open`: `receiver.name(` or `name(`.
    private func call(openingAt open: Int) -> Context.Call? {
        guard open > 0 else { return nil }
        let callee = tokens[open - 1]
        guard callee.range.upperBound == tokens[open].range.lowerBound || isHorizontalGap(callee.range.upperBound, tokens[open].range.lowerBound)
        else { return nil }
        switch callee.kind {
        case .member:
            let receiver = open >= 3 ? receiver(endingAt: open - 3) : Context.Receiver.unknown
            return Context.Call(receiver: receiver, name: text(callee))
        case .name:
            return Context.Call(receiver: nil, name: text(callee))
        default:
            return nil
        }
    }

    /// The receiver expression that ends with token `index`.
    private func receiver(endingAt index: Int) -> Context.Receiver {
        guard index >= 0 else { return .unknown }
        let token = tokens[index]
        switch token.kind {
        case .name:
            return .name(text(token))
        case .member where index >= 2:
            return .member(receiver(endingAt: index - 2), text(token))
        case .closeBracket where bytes[token.range.lowerBound] == UInt8(ascii: ")") && !token.isStray:
            guard let open = enclosingBracket(before: index), let call = call(openingAt: open) else { return .unknown }
            var firstString: String?
            if open + 1 < index, tokens[open + 1].kind == .string, !tokens[open + 1].isUnclosed {
                firstString = stringValue(tokens[open + 1])
            }
            return .call(call, firstString: firstString)
        default:
            return .unknown
        }
    }

    // MARK: Helpers

    func make(_ kind: Context.Kind, word: Range<Int>, sqlTables: [Context.SQLTable] = []) -> Context {
        Context(kind: kind, word: word, prefix: String(decoding: bytes[word], as: UTF8.self), sqlTables: sqlTables)
    }

    func text(_ token: InputToken) -> String {
        String(decoding: bytes[token.range], as: UTF8.self)
    }

    func isSemicolon(_ token: InputToken) -> Bool {
        token.kind == .punctuation && bytes[token.range.lowerBound] == UInt8(ascii: ";")
    }

    private func isHorizontalGap(_ start: Int, _ end: Int) -> Bool {
        start <= end && bytes[start..<end].allSatisfy(isHorizontalSpace)
    }

    /// A soup string's text between its quotes (escapes left as written).
    private func stringValue(_ token: InputToken) -> String {
        var start = token.range.lowerBound
        while start < token.range.upperBound, bytes[start] != UInt8(ascii: "'"), bytes[start] != UInt8(ascii: "\"") {
            start += 1
        }
        let quote = bytes[start]
        let isTriple = start + 2 < token.range.upperBound && bytes[start + 1] == quote && bytes[start + 2] == quote
        let width = isTriple ? 3 : 1
        guard start + 2 * width <= token.range.upperBound else { return "" }
        return String(decoding: bytes[(start + width)..<(token.range.upperBound - width)], as: UTF8.self)
    }
}

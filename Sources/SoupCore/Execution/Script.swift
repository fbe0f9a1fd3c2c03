import SoupLanguage
import SoupReflection

/// Source text to run: a script file, standard input, a statement argument or a REPL input.
public struct Script: Sendable {
    /// The file name, `argN` for the N-th statement argument of `soup query`, or what the REPL
    /// calls its input.
    public var name: String
    public var text: String
    /// The line of the file that `text` starts on (a piece of a long script starts later).
    public var firstLine: Int

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
    }

    /// `range` moved from the lines of `text` to the file's.
    public func fileRange(_ range: SourceRange) -> SourceRange {
        var moved = range
        moved.start.line += firstLine - 1
        moved.end.line += firstLine - 1
        return moved
    }

    /// Cuts the script into pieces of about `lines` lines, each ending where a statement ends,
    /// and parses each piece once: `body` gets every piece in order with its statements. A
    /// long script is read this way so that it need not be held parsed whole.
    ///
    /// A piece ends at the first line end after `lines` lines where everything before is
    /// complete (SQL has its `;`, brackets are closed); the last piece is the rest.
    /// - Throws: The first syntax error, as a ``ScriptSyntaxError``; or what `body` throws.
    public func readPieces(ofAbout lines: Int = 2_000, _ body: (Script, [Statement]) throws -> Void) throws {
        let bytes = text.utf8
        // Where each line of the current piece starts; a piece's text runs from the first of
        // these to the line end before the last.
        var lineStarts = [bytes.startIndex]
        var pieceLine = firstLine
        var search = bytes.startIndex
        func piece(lines count: Int) -> Script {
            let end = bytes.index(before: lineStarts[count])
            return Script(name: name, text: String(text[lineStarts[0]..<end]), firstLine: pieceLine)
        }
        func emit(lines count: Int, _ piece: Script, _ statements: [Statement]) throws {
            try body(piece, statements)
            lineStarts.removeFirst(count)
            pieceLine += count
        }
        while let newline = bytes[search...].firstIndex(of: UInt8(ascii: "\n")) {
            search = bytes.index(after: newline)
            lineStarts.append(search)
            let count = lineStarts.count - 1
            guard count >= lines else { continue }
            let candidate = piece(lines: count)
            switch try candidate.parsePiece() {
            case .complete(let statements):
                try emit(lines: count, candidate, statements)
            case .needsMore(let line) where line > 1 && line < count:
                // The unfinished statement starts on a later line of its own (SQL awaiting its
                // `;`): the lines before it may make a piece.
                let shorter = piece(lines: line - 1)
                if case .complete(let statements) = try shorter.parsePiece() { try emit(lines: line - 1, shorter, statements) }
            case .needsMore:
                break
            }
        }
        let rest = Script(name: name, text: String(text[lineStarts[0]...]), firstLine: pieceLine)
        try body(rest, try rest.parse())
    }

    /// The statements of the whole text, as a script reads them (its end ends SQL).
    func parse() throws(ScriptSyntaxError) -> [Statement] {
        do {
            return try Parser.parse(text)
        } catch {
            throw ScriptSyntaxError(error, in: self)
        }
    }

    private enum PieceParse {
        case complete([Statement])
        /// More lines are needed; the unfinished part starts on this line of the piece.
        case needsMore(line: Int)
    }

    /// Parses a candidate piece: complete only when no SQL awaits its `;` and no bracket is open
    /// at its end. Any other error is the script's error, reported as the script reads it.
    private func parsePiece() throws(ScriptSyntaxError) -> PieceParse {
        do {
            return .complete(try Parser.parse(text, sqlTermination: .semicolon))
        } catch where error.needsMoreInput {
            return .needsMore(line: error.range.start.line)
        } catch {
            return .complete(try parse())
        }
    }
}

/// A parsed statement and the script (or piece of one) it came from.
public struct ScriptStatement: Sendable {
    public var script: Script
    public var statement: Statement

    public init(script: Script, statement: Statement) {
        self.script = script
        self.statement = statement
    }

    /// `NAME:LINE:COL` of the statement's start.
    public var location: String {
        let start = script.fileRange(statement.range).start
        return "\(script.name):\(start.line):\(start.column)"
    }
}

/// A script that could not be read, so nothing of it ran: its first syntax error.
public struct ScriptSyntaxError: Error, CustomStringConvertible {
    /// The error, positioned in the file.
    public var error: ParseError
    /// The text it was found in (a piece of a long script).
    public var script: Script
    /// Whether the report starts with the script's name (not for a REPL input).
    public var isNamed = true

    public init(_ error: ParseError, in script: Script) {
        self.error = Self.misspelledKeyword(error, in: script.text) ?? error
        self.error.range = script.fileRange(self.error.range)
        self.script = script
    }

    /// `SELEC 1` reads as soup (a name, then a number) and fails there; this is the error it
    /// deserves: the line's first word is no statement keyword, but near one, and the parse
    /// failed after it on that line. Nil when the error is of another kind.
    private static func misspelledKeyword(_ error: ParseError, in text: String) -> ParseError? {
        let bytes = Array(text.utf8)
        let failed = min(error.range.start.offset, bytes.count)
        let lineStart = bytes[..<failed].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        var start = lineStart
        while start < failed, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        var end = start
        while end < failed, bytes[end] == UInt8(ascii: "_") || (bytes[end] | 0x20 >= UInt8(ascii: "a") && bytes[end] | 0x20 <= UInt8(ascii: "z")) {
            end += 1
        }
        guard end - start >= 3, end < failed, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") else { return nil }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        let keywords = SQLKeywords.statementStarts
        guard !keywords.contains(word.uppercased()),
            let keyword = NameSuggester.suggestions(for: word, among: keywords.sorted(), limit: 1).first
        else { return nil }
        let line = error.range.start.line
        let range = SourceRange(
            start: SourceLocation(offset: start, line: line, column: start - lineStart + 1),
            end: SourceLocation(offset: end, line: line, column: end - lineStart + 1))
        return ParseError("'\(word)' starts no soup statement and no SQL statement", range: range, hint: "did you mean \(keyword)?")
    }

    /// The position and message, the line with a caret under the error, and the hint.
    public var report: String {
        error.rendered(in: script.text, path: isNamed ? script.name : nil)
    }

    public var description: String { report }
}

/// Why soup source could not be read, and where.
public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, in one plain sentence without a position: `unexpected ')'`.
    public var message: String
    /// The offending text; empty when something is missing there.
    public var range: SourceRange
    /// A suggestion for fixing it, if there is one.
    public var hint: String?
    /// True when the input merely stopped too early: more lines could still make it valid
    /// (an open bracket, a triple-quoted string, a trailing `\`, or, at the REPL, raw SQL
    /// without its `;`).
    public var needsMoreInput: Bool

    /// Creates a parse error.
    public init(_ message: String, range: SourceRange, hint: String? = nil, needsMoreInput: Bool = false) {
        self.message = message
        self.range = range
        self.hint = hint
        self.needsMoreInput = needsMoreInput
    }

    /// `LINE:COLUMN: message`.
    public var description: String { "\(range.start): \(message)" }

    /// The error as shown to a user: the position and message, the offending line, a caret under
    /// the offending text, and the hint.
    ///
    /// ```
    /// script.soup:1:31: expected ')' to close '(' opened at 1:13
    /// users.filter(users.name == 'x'
    ///                               ^
    /// ```
    ///
    /// - Parameters:
    ///   - source: The text that was parsed.
    ///   - path: A file name to put before the position, if any.
    public func rendered(in source: String, path: String? = nil) -> String {
        var lines = ["\(path.map { "\($0):" } ?? "")\(range.start): \(message)"]
        let bytes = Array(source.utf8)
        let start = min(range.start.offset, bytes.count)
        let lineStart = bytes[..<start].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        var lineEnd = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        let prefix = String(decoding: bytes[lineStart..<min(start, lineEnd)], as: UTF8.self)
        let underlined = String(
            decoding: bytes[min(start, lineEnd)..<min(max(range.end.offset, start), lineEnd)],
            as: UTF8.self)
        lines.append(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
        let indent = String(prefix.map { $0 == "\t" ? "\t" : " " })
        lines.append(indent + "^" + String(repeating: "~", count: max(underlined.count - 1, 0)))
        if let hint { lines.append("hint: \(hint)") }
        return lines.joined(separator: "\n")
    }
}

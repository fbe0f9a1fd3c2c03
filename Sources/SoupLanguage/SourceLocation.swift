/// A position in soup source text.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The offset from the start of the text, in UTF-8 bytes.
    public var offset: Int
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column, counted in characters (grapheme clusters) from the start of the line.
    public var column: Int

    /// Creates a location from its byte offset, line and column.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `LINE:COLUMN`, as positions are shown in messages.
    public var description: String { "\(line):\(column)" }

    /// Whether `lhs` comes before `rhs` in the source.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.offset < rhs.offset
    }
}

/// A span of source text, from `start` up to, not including, `end`.
public struct SourceRange: Hashable, Sendable {
    /// The first position in the span.
    public var start: SourceLocation
    /// The position just after the span.
    public var end: SourceLocation

    /// Creates a range from its two ends.
    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// Creates an empty range at a location.
    public init(at location: SourceLocation) {
        self.init(start: location, end: location)
    }

    /// The span as UTF-8 byte offsets into the source.
    public var offsets: Range<Int> { start.offset..<end.offset }

    /// The smallest range that covers this range and `other`.
    func extended(to other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }
}

/// Turns UTF-8 offsets into lines and character columns.
struct SourceLocator {
    /// The offset where each line starts.
    private let lineStarts: [Int]
    /// The offset where each character starts; `nil` when the text is ASCII, so bytes are characters.
    private let characterStarts: [Int]?

    /// Prepares to locate offsets in `source`, whose UTF-8 bytes are `bytes`.
    init(_ source: String, bytes: [UInt8]) {
        var lineStarts = [0]
        var isASCII = true
        for offset in bytes.indices {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
            if byte >= 0x80 { isASCII = false }
        }
        self.lineStarts = lineStarts
        if isASCII {
            characterStarts = nil
        } else {
            var starts: [Int] = []
            var offset = 0
            for character in source {
                starts.append(offset)
                offset += character.utf8.count
            }
            characterStarts = starts
        }
    }

    /// The location of a byte offset; its column counts the characters of its line that start
    /// before it.
    func location(at offset: Int) -> SourceLocation {
        let line = Self.count(in: lineStarts, below: offset + 1)
        let lineStart = lineStarts[line - 1]
        let column: Int
        if let characterStarts {
            column =
                Self.count(in: characterStarts, below: offset)
                - Self.count(in: characterStarts, below: lineStart) + 1
        } else {
            column = offset - lineStart + 1
        }
        return SourceLocation(offset: offset, line: line, column: column)
    }

    /// The range between two byte offsets.
    func range(_ offsets: Range<Int>) -> SourceRange {
        SourceRange(start: location(at: offsets.lowerBound), end: location(at: offsets.upperBound))
    }

    /// How many elements of a sorted array are less than `value`.
    private static func count(in sorted: [Int], below value: Int) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

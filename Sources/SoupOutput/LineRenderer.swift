/// Draws the prompt and the line being edited for a terminal (the REPL's line editor hands it the
/// line at each keystroke): coloured pieces, the suggestion
/// after the cursor, wrapping at the terminal's width (wide characters never split), and where
/// the cursor ends up. Pure, so that layout is tested without a terminal.
///
/// Rows are broken explicitly (`\r\n`), never by the terminal's own wrapping, and each row is
/// cleared after its text (`ESC[K`, except on a full row, where xterm would erase the last
/// character); `ESC[J` clears what a longer earlier drawing left below. A newline in the line
/// (an input of several lines recalled from history) starts a row with the continuation prompt.
public struct LineRenderer {
    /// What to draw.
    public struct Input {
        /// The prompt; `\u{1}`…`\u{2}` wrap parts that take no room (readline's convention).
        public var prompt: String
        /// What starts each further line of a multi-line input.
        public var continuationPrompt = "...> "
        /// The line being edited, as UTF-8.
        public var line: [UInt8]
        /// Where the cursor is, as an offset into `line`.
        public var cursor: Int
        /// Coloured pieces of `line` (offsets into it), in order.
        public var pieces: [Piece] = []
        /// Text shown after the end of the line, for → to accept.
        public var suggestion: String?
        /// How the suggestion looks (SGR parameters): faint unless said otherwise.
        public var suggestionStyle = "2"
        public var width: Int

        public init(
            prompt: String, line: [UInt8], cursor: Int, pieces: [Piece] = [], suggestion: String? = nil,
            suggestionStyle: String = "2", width: Int
        ) {
            self.prompt = prompt
            self.line = line
            self.cursor = cursor
            self.pieces = pieces
            self.suggestion = suggestion
            self.suggestionStyle = suggestionStyle
            self.width = width
        }
    }

    /// A piece of the line and its colour, as SGR parameters (`1;32`).
    public struct Piece: Equatable, Sendable {
        public var range: Range<Int>
        public var style: String

        public init(_ range: Range<Int>, _ style: String) {
            self.range = range
            self.style = style
        }
    }

    /// What to write and where it leaves things. Rows count from the prompt's first row.
    public struct Frame: Equatable, Sendable {
        public var bytes: [UInt8]
        public var cursorRow: Int
        public var cursorColumn: Int
        /// The row the writing ends on (the last row of the drawing), at `endColumn`.
        public var endRow: Int
        public var endColumn: Int
    }

    private let width: Int
    private var bytes: [UInt8] = []
    private var row = 0
    private var column = 0
    private var style: String?
    private var cursor: (row: Int, column: Int)?
    private var cursorDue = false

    private init(width: Int) {
        self.width = max(width, 4)
        bytes.reserveCapacity(256)
    }

    public static func render(_ input: Input) -> Frame {
        var renderer = LineRenderer(width: input.width)
        renderer.drawPrompt(input.prompt)
        renderer.drawLine(input)
        return renderer.finish()
    }

    // MARK: Drawing

    private mutating func drawPrompt(_ prompt: String) {
        var invisible = false
        for scalar in prompt.unicodeScalars {
            switch scalar {
            case "\u{1}": invisible = true
            case "\u{2}": invisible = false
            case "\n" where !invisible: newRow()
            default:
                if invisible { append(scalar) } else { put(scalar) }
            }
        }
    }

    private mutating func drawLine(_ input: Input) {
        var pieceIndex = 0
        var offset = 0
        let line = input.line
        let pieces = input.pieces
        while offset < line.count {
            if offset == input.cursor { cursorDue = true }
            while pieceIndex < pieces.count, pieces[pieceIndex].range.upperBound <= offset { pieceIndex += 1 }
            let piece = pieceIndex < pieces.count && pieces[pieceIndex].range.lowerBound <= offset ? pieces[pieceIndex] : nil
            let (scalar, length) = Self.scalar(in: line, at: offset)
            offset += length
            if scalar == "\n" {
                markCursor()
                newRow()
                setStyle(nil)
                for prompt in input.continuationPrompt.unicodeScalars { put(prompt) }
                continue
            }
            setStyle(piece?.style)
            put(scalar)
        }
        if input.cursor >= line.count { cursorDue = true }
        markCursor()
        if let suggestion = input.suggestion, input.cursor >= line.count {
            let dim = input.suggestionStyle
            for scalar in suggestion.unicodeScalars {
                if scalar == "\n" {
                    newRow()
                    setStyle(dim)
                    for prompt in input.continuationPrompt.unicodeScalars { put(prompt) }
                } else {
                    setStyle(dim)
                    put(scalar)
                }
            }
        }
    }

    private mutating func finish() -> Frame {
        setStyle(nil)
        if column >= width {
            // A full last row: go to the next, so that the cursor after the end is visible and
            // `ESC[J` erases nothing of the row.
            if cursor?.row == row, cursor?.column ?? 0 >= width { cursor = (row + 1, 0) }
            bytes += Array("\r\n".utf8)
            row += 1
            column = 0
        }
        bytes += Array("\u{1B}[J".utf8)
        let place = cursor ?? (row, column)
        return Frame(bytes: bytes, cursorRow: place.row, cursorColumn: min(place.column, width - 1), endRow: row, endColumn: column)
    }

    /// Writes one scalar of text, wrapping first when it does not fit on the row.
    private mutating func put(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if value == 9 {
            let spaces = min(8 - column % 8, max(width - column, 1))
            for _ in 0..<spaces { put(" ") }
            return
        }
        if value < 0x20 || value == 0x7F {
            put("^")
            put(Unicode.Scalar(UInt8(value == 0x7F ? 0x3F : value + 0x40)))
            return
        }
        let columns = DisplayWidth.of(scalar)
        if column + columns > width, column > 0 { breakRow() }
        markCursor()
        append(scalar)
        column += columns
    }

    /// Puts the cursor here when it is due (before the character at the cursor, after its wrap).
    private mutating func markCursor() {
        guard cursorDue else { return }
        cursorDue = false
        cursor = (row, column)
    }

    /// Ends the row where the text wraps; the style goes on on the next row.
    private mutating func breakRow() {
        let kept = style
        newRow()
        setStyle(kept)
    }

    /// Ends the row: plain style, the rest of the row cleared, the cursor to the next row.
    private mutating func newRow() {
        setStyle(nil)
        if column < width { bytes += Array("\u{1B}[K".utf8) }
        bytes += Array("\r\n".utf8)
        row += 1
        column = 0
    }

    private mutating func setStyle(_ next: String?) {
        guard next != style else { return }
        if style != nil { bytes += Array("\u{1B}[0m".utf8) }
        if let next { bytes += Array("\u{1B}[\(next)m".utf8) }
        style = next
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { bytes.append($0) }
    }

    /// The scalar that starts at `offset` of UTF-8 `bytes`, and its length (an invalid byte is
    /// shown as U+FFFD and takes one byte).
    private static func scalar(in bytes: [UInt8], at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[offset]
        guard lead >= 0x80 else { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard length > 1, offset + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(lead) & UInt32(0x7F >> length)
        for continuation in bytes[(offset + 1)..<(offset + length)] {
            guard continuation & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}

/// A small terminal emulator: replays what a program wrote to a terminal of `rows` x `columns`
/// and tells what the screen shows, where the cursor is and which colours each character has.
///
/// It knows what line editors write: printable text with autowrap (a wide character that does
/// not fit moves to the next row, as in xterm), CR, LF, BS, TAB, cursor moves (`ESC[nA`, `B`,
/// `C`, `D`, `G`, `H`), erasing (`ESC[K`, `ESC[J`), inserting and deleting characters (`ESC[n@`,
/// `ESC[nP`) and SGR colours (`ESC[…m`); other escape sequences are read and ignored.
///
/// ```swift
/// var screen = TerminalScreen(rows: 24, columns: 80)
/// screen.feed(terminal.transcript)
/// #expect(screen.line(screen.cursor.row).hasPrefix("soup:t> "))
/// ```
public struct TerminalScreen {
    /// One character cell: its text ("" for the right half of a wide character) and the SGR
    /// parameters it was written with ("" for plain, else as written, `1;32`).
    public struct Cell: Equatable, Sendable {
        public var text = " "
        public var style = ""
    }

    public let rows: Int
    public let columns: Int
    public private(set) var cells: [[Cell]]
    /// Where the cursor is, 0-based.
    public private(set) var cursor = (row: 0, column: 0)
    /// Rows that scrolled off the top.
    public private(set) var scrolledRows = 0
    private var style: [String] = []
    private var pendingWrap = false
    private var pending: [UInt8] = []

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        cells = Array(repeating: Array(repeating: Cell(), count: columns), count: rows)
    }

    /// Replays `text` as the terminal would.
    public mutating func feed(_ text: String) {
        feed(Array(text.utf8))
    }

    public mutating func feed(_ bytes: [UInt8]) {
        var input = pending + bytes
        pending = []
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == 0x1B {
                guard let end = escapeEnd(input, from: index) else {
                    pending = Array(input[index...])
                    return
                }
                escape(Array(input[index..<end]))
                index = end
                continue
            }
            if byte < 0x20 || byte == 0x7F {
                control(byte)
                index += 1
                continue
            }
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            guard index + length <= input.count else {
                pending = Array(input[index...])
                return
            }
            let text = String(decoding: input[index..<(index + length)], as: UTF8.self)
            print(text)
            index += length
        }
        input.removeAll()
    }

    /// The text of `row`, without trailing spaces.
    public func line(_ row: Int) -> String {
        var text = cells[row].map(\.text).joined()
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// Every row's text, joined by newlines, without trailing empty rows.
    public var text: String {
        var lines = (0..<rows).map(line)
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// The runs of `row` with one style, as (text, style) pairs, without the trailing plain spaces.
    public func runs(_ row: Int) -> [(text: String, style: String)] {
        var runs: [(text: String, style: String)] = []
        for cell in cells[row] {
            if let last = runs.last, last.style == cell.style {
                runs[runs.count - 1].text += cell.text
            } else {
                runs.append((cell.text, cell.style))
            }
        }
        while let last = runs.last, last.style == "", last.text.allSatisfy({ $0 == " " }) { runs.removeLast() }
        return runs
    }

    /// The style of the first character of the first place where `text` shows in `rows` (read
    /// as one run of characters, so that text wrapped onto the next row is found too).
    public func style(of text: String, rows: ClosedRange<Int>) -> String? {
        let filled = rows.flatMap { cells[$0] }.filter { !$0.text.isEmpty }
        let characters = filled.map(\.text)
        let wanted = Array(text).map(String.init)
        guard !wanted.isEmpty, wanted.count <= characters.count else { return nil }
        for start in 0...(characters.count - wanted.count) where Array(characters[start..<(start + wanted.count)]) == wanted {
            return filled[start].style
        }
        return nil
    }

    /// The text of `rows` read as one run of characters (the text of a line that wraps).
    public func text(rows: ClosedRange<Int>) -> String {
        rows.flatMap { cells[$0] }.map(\.text).joined()
    }

    // MARK: Writing

    private mutating func print(_ text: String) {
        guard let scalar = text.unicodeScalars.first else { return }
        let width = Self.width(of: scalar)
        if width == 0 {
            // A combining mark joins the character before it.
            let column = max(cursor.column - (pendingWrap ? 0 : 1), 0)
            cells[cursor.row][column].text += text
            return
        }
        if pendingWrap || cursor.column + width > columns {
            pendingWrap = false
            cursor.column = 0
            lineFeed()
        }
        cells[cursor.row][cursor.column] = Cell(text: text, style: style.joined(separator: ";"))
        if width == 2, cursor.column + 1 < columns {
            cells[cursor.row][cursor.column + 1] = Cell(text: "", style: style.joined(separator: ";"))
        }
        cursor.column += width
        if cursor.column >= columns {
            cursor.column = columns - 1
            pendingWrap = true
        }
    }

    private mutating func control(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\r"):
            cursor.column = 0
            pendingWrap = false
        case UInt8(ascii: "\n"):
            pendingWrap = false
            lineFeed()
        case 0x08:
            pendingWrap = false
            cursor.column = max(cursor.column - 1, 0)
        case UInt8(ascii: "\t"):
            cursor.column = min((cursor.column / 8 + 1) * 8, columns - 1)
        default:
            break
        }
    }

    private mutating func lineFeed() {
        if cursor.row + 1 < rows {
            cursor.row += 1
        } else {
            cells.removeFirst()
            cells.append(Array(repeating: Cell(), count: columns))
            scrolledRows += 1
        }
    }

    // MARK: Escape sequences

    /// Where the escape sequence at `start` ends (exclusive); nil when it is not complete yet.
    private func escapeEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start + 1 < bytes.count else { return nil }
        switch bytes[start + 1] {
        case UInt8(ascii: "["):
            var index = start + 2
            while index < bytes.count {
                if (0x40...0x7E).contains(bytes[index]) { return index + 1 }
                index += 1
            }
            return nil
        case UInt8(ascii: "]"):
            var index = start + 2
            while index < bytes.count {
                if bytes[index] == 0x07 { return index + 1 }
                if bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") { return index + 2 }
                index += 1
            }
            return nil
        case UInt8(ascii: "("), UInt8(ascii: ")"):
            return start + 3 <= bytes.count ? start + 3 : nil
        default:
            return start + 2
        }
    }

    private mutating func escape(_ sequence: [UInt8]) {
        guard sequence.count >= 3, sequence[1] == UInt8(ascii: "[") else { return }
        let final = sequence.last!
        let body = String(decoding: sequence[2..<(sequence.count - 1)], as: UTF8.self)
        if body.hasPrefix("?") || body.hasPrefix(">") { return }
        let parameters = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let first = parameters.first.flatMap { $0 } ?? 0
        let count = max(first, 1)
        switch final {
        case UInt8(ascii: "A"): move(row: cursor.row - count, column: cursor.column)
        case UInt8(ascii: "B"): move(row: cursor.row + count, column: cursor.column)
        case UInt8(ascii: "C"): move(row: cursor.row, column: cursor.column + count)
        case UInt8(ascii: "D"): move(row: cursor.row, column: cursor.column - count)
        case UInt8(ascii: "G"): move(row: cursor.row, column: count - 1)
        case UInt8(ascii: "H"), UInt8(ascii: "f"):
            let row = parameters.first.flatMap { $0 } ?? 1
            let column = parameters.count > 1 ? parameters[1] ?? 1 : 1
            move(row: max(row, 1) - 1, column: max(column, 1) - 1)
        case UInt8(ascii: "K"):
            let range: Range<Int> =
                switch first {
                case 1: 0..<(cursor.column + 1)
                case 2: 0..<columns
                default: cursor.column..<columns
                }
            for column in range { cells[cursor.row][column] = Cell() }
        case UInt8(ascii: "J"):
            if first == 2 || first == 3 {
                for row in 0..<rows { cells[row] = Array(repeating: Cell(), count: columns) }
            } else {
                for column in cursor.column..<columns { cells[cursor.row][column] = Cell() }
                for row in (cursor.row + 1)..<rows { cells[row] = Array(repeating: Cell(), count: columns) }
            }
        case UInt8(ascii: "P"):
            let removed = min(count, columns - cursor.column)
            cells[cursor.row].removeSubrange(cursor.column..<(cursor.column + removed))
            cells[cursor.row] += Array(repeating: Cell(), count: removed)
        case UInt8(ascii: "@"):
            let added = min(count, columns - cursor.column)
            cells[cursor.row].insert(contentsOf: Array(repeating: Cell(), count: added), at: cursor.column)
            cells[cursor.row].removeLast(added)
        case UInt8(ascii: "m"):
            for parameter in parameters.map({ $0 ?? 0 }) {
                if parameter == 0 { style = [] } else { style.append(String(parameter)) }
            }
        default:
            break
        }
    }

    private mutating func move(row: Int, column: Int) {
        pendingWrap = false
        cursor = (min(max(row, 0), rows - 1), min(max(column, 0), columns - 1))
    }

    /// Columns a scalar takes: 2 for East Asian wide characters, 0 for combining marks.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if (0x300...0x36F).contains(value) || (0x200B...0x200F).contains(value) { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }
}

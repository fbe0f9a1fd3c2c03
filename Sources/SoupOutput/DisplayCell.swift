import SoupDriver

/// A value laid out for the aligned formats: split into lines, each measured in terminal columns.
struct DisplayCell {
    /// One printed line and the columns it takes.
    struct Line {
        var text: String
        var width: Int
        /// Whether the next line goes on where this one was wrapped to fit its column, rather
        /// than after a line break of the value.
        var wraps = false
    }

    /// The first line; most cells have only this one.
    var first: Line
    /// The lines after the first, for values that hold newlines.
    var rest: [Line] = []
    /// Whether the cell shows NULL (coloured dim when colour is on).
    var isNull = false
    /// Whether the value changed since the previous run of a `\watch` (shown reversed when
    /// colour is on).
    var isChanged = false
    /// Whether the cell shows a number, which is never wrapped.
    var isNumber = false
    /// The JSON document the cell lays out, laid out again when the cell is wrapped.
    var document: JSONLayout.Node?

    /// The widest line's width.
    var width: Int {
        rest.reduce(first.width) { max($0, $1.width) }
    }

    /// How many lines the cell prints.
    var lineCount: Int { rest.count + 1 }

    /// Line `index`, or `nil` past the last line.
    func line(_ index: Int) -> Line? {
        index == 0 ? first : index <= rest.count ? rest[index - 1] : nil
    }

    /// Lays `text` out the way psql does (its `pg_wcsformat`): a line per `\n`; a carriage return
    /// shown as `\r`; a tab as spaces to the next multiple of 8 columns; other control characters
    /// as `\xHH` (C0 and DEL) or `\uHHHH` (C1), so nothing printed can move the cursor.
    init(formatting text: String, isNull: Bool = false) {
        self.isNull = isNull
        if Self.isPrintableASCII(text) {
            first = Line(text: text, width: text.utf8.count)
            return
        }
        var lines: [Line] = []
        var current = ""
        var width = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0a:
                lines.append(Line(text: current, width: width))
                current = ""
                width = 0
            case 0x0d:
                current += "\\r"
                width += 2
            case 0x09:
                repeat {
                    current += " "
                    width += 1
                } while width % 8 != 0
            case 0..<0x20, 0x7f:
                current += "\\x" + Self.upperHex(scalar.value, digits: 2)
                width += 4
            case 0x80..<0xa0:
                current += "\\u" + Self.upperHex(scalar.value, digits: 4)
                width += 6
            default:
                current.unicodeScalars.append(scalar)
                width += DisplayWidth.of(scalar)
            }
        }
        lines.append(Line(text: current, width: width))
        first = lines[0]
        rest = Array(lines.dropFirst())
    }

    /// The cell for a value: its psql text, or `nullText` for NULL. With `prettyJSON`, a JSON
    /// value, or text that is a JSON object or array, is laid out over several lines
    /// (``JSONLayout``) for a column about `prettyJSON` wide.
    init(value: Value, nullText: String, prettyJSON width: Int? = nil) {
        if let width, let document = JSONLayout.document(value) {
            self.init(formatting: document.text(width: width))
            self.document = document
        } else if let text = value.printedText {
            self.init(formatting: text)
            isNumber = value.isNumeric
        } else {
            self.init(formatting: nullText, isNull: true)
        }
    }

    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isPrintableASCII)
            ?? Array(text.utf8).withUnsafeBufferPointer(isPrintableASCII)
    }

    /// Eight bytes at a time: none below 0x20, none at 0x7f, none from 0x80 up.
    static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= raw.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let control = word &- ones &* 0x20  // a high bit where a byte is below 0x20
            let delete = word ^ (ones &* 0x7f)  // a zero byte where a byte is 0x7f
            if (word | control | (delete &- ones) & ~delete) & high != 0 { return false }
            index += 8
        }
        return bytes[index...].allSatisfy { $0 >= 0x20 && $0 < 0x7f }
    }

    private static func upperHex(_ value: UInt32, digits: Int) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - hex.count)) + hex
    }
}

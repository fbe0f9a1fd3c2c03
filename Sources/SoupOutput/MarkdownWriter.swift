import SoupDriver

/// A GitHub-flavoured Markdown table, padded so it also reads well as plain text:
///
/// ```
/// |  id | name  | note   |
/// |----:|-------|--------|
/// |   1 | alice | a<br>b |
/// |   2 | a\|b  |        |
/// ```
///
/// Pipes are escaped as `\|` and line breaks (LF, CRLF or CR) become `<br>`, so every row stays
/// one table row; tabs and other control characters are shown as `table` shows them. NULL
/// shows as ``OutputOptions/nullText``. Numeric columns are right-aligned (`---:`). Columns are
/// at least 3 wide, and sized from the first ``OutputOptions/sizingWindow`` rows like `table`;
/// there is no footer and no colour.
struct MarkdownWriter: WindowedWriter {
    private let options: OutputOptions
    private var headers: [DisplayCell] = []
    var window: SizingWindow
    private var widths: [Int] = []
    private var rightAligned: [Bool] = []

    init(options: OutputOptions) {
        self.options = options
        window = SizingWindow(columnCount: 0, capacity: options.sizingWindow)
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        headers = columns.map { Self.cell(escaping: $0.name) }
        window = SizingWindow(columnCount: columns.count, capacity: options.sizingWindow)
    }

    func cell(for value: Value) -> DisplayCell {
        Self.cell(escaping: value.printedText ?? options.nullText ?? "")
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {
        if !window.isClosed { printWindow(to: sink) }
    }

    mutating func end(rowCount: Int, truncation: RowTruncation, to sink: OutputSink) {
        end(rowCount: rowCount, to: sink)
        sink.write("\n" + truncation.footer + "\n")
    }

    mutating func printWindow(to sink: OutputSink) {
        widths = zip(headers, window.widths).map { max(3, $0.width, $1) }
        rightAligned = window.rightAligned
        var rule = "|"
        for (width, right) in zip(widths, rightAligned) {
            rule += right ? String(repeating: "-", count: width + 1) + ":|"
                : String(repeating: "-", count: width + 2) + "|"
        }
        var header: [UInt8] = []
        render(headers, into: &header)
        sink.write(bytes: header)
        sink.write(rule + "\n")
        printRowsHeldBack(to: sink)
    }

    func render(_ cells: [DisplayCell], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "|"))
        for (column, cell) in cells.enumerated() {
            let padding = widths[column] - cell.first.width
            out.append(UInt8(ascii: " "))
            if rightAligned[column] { out.append(spaces: padding) }
            out.append(cell.first.text)
            if !rightAligned[column] { out.append(spaces: padding) }
            out.append(contentsOf: " |".utf8)
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// A single-line cell: `|` escaped, line breaks as `<br>`, and tabs and other control
    /// characters shown as `table` shows them. Backslashes right before a `|` are doubled, so
    /// the text `a\|b` stays in one cell (`a\\\|b`) instead of ending it at the pipe.
    private static func cell(escaping text: String) -> DisplayCell {
        guard text.utf8.contains(where: { $0 == 0x7c || $0 == 0x0a || $0 == 0x0d }) else {
            return DisplayCell(formatting: text)
        }
        var escaped = ""
        var afterCarriageReturn = false
        var backslashes = 0
        for scalar in text.unicodeScalars {
            defer {
                afterCarriageReturn = scalar == "\r"
                backslashes = scalar == "\\" ? backslashes + 1 : 0
            }
            switch scalar {
            case "|": escaped += String(repeating: "\\", count: backslashes) + "\\|"
            case "\r": escaped += "<br>"
            case "\n": if !afterCarriageReturn { escaped += "<br>" }
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return DisplayCell(formatting: escaped)
    }
}

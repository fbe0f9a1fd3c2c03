import SoupDriver

/// psql's default `aligned` format (border 1, ASCII lines), byte for byte:
///
/// ```
///  id |  name   | note
/// ----+---------+------
///   1 | alice   | a   +
///     |         | b
///   2 | bob     |
/// (2 rows)
///
/// ```
///
/// Headers are centred; numeric columns are right-aligned, others left-aligned; a value with
/// newlines continues on the next lines with `+` at the right of each line but the last. Widths
/// come from the first ``OutputOptions/sizingWindow`` rows (see ``ResultPrinter``).
struct TableWriter: WindowedWriter {
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
        headers = columns.map { DisplayCell(formatting: $0.name) }
        window = SizingWindow(columnCount: columns.count, capacity: options.sizingWindow)
    }

    func cell(for value: Value) -> DisplayCell {
        DisplayCell(value: value, nullText: options.nullText)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {
        if !window.isClosed { printWindow(to: sink) }
        sink.write(rowCount == 1 ? "(1 row)\n\n" : "(\(rowCount) rows)\n\n")
    }

    /// Fixes the widths from the window, then prints the header and the rows held back.
    mutating func printWindow(to sink: OutputSink) {
        widths = zip(headers, window.widths).map { max($0.width, $1) }
        rightAligned = window.rightAligned
        sink.write(renderHeader() + renderRule())
        for cells in window.close() { sink.write(render(cells)) }
    }

    private func renderHeader() -> String {
        var out = ""
        let lineCount = headers.map(\.lineCount).max() ?? 0
        for index in 0..<lineCount {
            for (column, header) in headers.enumerated() {
                out += " "
                if let line = header.line(index) {
                    let room = widths[column] - line.width
                    out += spaces(room / 2) + Style.header(line, options: options)
                    out += spaces((room + 1) / 2)
                } else {
                    out += spaces(widths[column])
                }
                out += header.line(index + 1) == nil ? " " : "+"
                if column < headers.count - 1 { out += "|" }
            }
            out += "\n"
        }
        return out
    }

    private func renderRule() -> String {
        "-" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "-\n"
    }

    func render(_ cells: [DisplayCell]) -> String {
        var out = ""
        let lineCount = cells.map(\.lineCount).max() ?? 0
        for index in 0..<lineCount {
            for (column, cell) in cells.enumerated() {
                let isLast = column == cells.count - 1
                let continues = cell.line(index + 1) != nil
                out += " "
                if let line = cell.line(index) {
                    let text = Style.value(line, of: cell, options: options)
                    let padding = spaces(widths[column] - line.width)
                    if rightAligned[column] {
                        out += padding + text
                    } else {
                        out += text
                        if !isLast || continues { out += padding }
                    }
                } else if !isLast {
                    out += spaces(widths[column])
                }
                out += continues ? "+" : isLast ? "" : " "
                if !isLast { out += "|" }
            }
            out += "\n"
        }
        return out
    }

}

/// `count` spaces; none when `count` is negative (a value wider than its column).
func spaces(_ count: Int) -> String {
    count > 0 ? String(repeating: " ", count: count) : ""
}

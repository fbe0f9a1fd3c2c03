import SoupDriver

/// psql's expanded display (`\x`, border 1), byte for byte:
///
/// ```
/// -[ RECORD 1 ]
/// id   | 1
/// name | alice
/// note | a    +
///      | b
///
/// ```
///
/// The record rule is as wide as the widest name plus the widest value (measured over the first
/// ``OutputOptions/sizingWindow`` rows); an empty result prints `(0 rows)`.
///
/// On a terminal (``OutputOptions/terminalWidth``) JSON cells are laid out over several lines
/// (``JSONLayout``), and values wider than what the names leave of the terminal wrap, each line
/// but the last ending in `.`, so no line is wider than the terminal; numbers never wrap.
struct ExpandedWriter: WindowedWriter {
    private let options: OutputOptions
    private var headers: [DisplayCell] = []
    private var headerWidth = 0
    private var valueWidth = 0
    var window: SizingWindow
    private var recordNumber = 0

    init(options: OutputOptions) {
        self.options = options
        window = SizingWindow(columnCount: 0, capacity: options.sizingWindow)
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        headers = columns.map { DisplayCell(formatting: $0.name) }
        headerWidth = headers.map(\.width).max() ?? 0
        window = SizingWindow(columnCount: columns.count, capacity: options.sizingWindow)
    }

    /// The widest a value may be on the terminal: what the name, ` | ` and a wrap mark leave.
    private var fitWidth: Int? {
        options.terminalWidth.map { max(10, $0 - headerWidth - 4) }
    }

    func cell(for value: Value) -> DisplayCell {
        DisplayCell(value: value, nullText: options.shownNullText, prettyJSON: fitWidth)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {
        if !window.isClosed { printWindow(to: sink) }
        sink.write(rowCount == 0 ? "(0 rows)\n\n" : "\n")
    }

    mutating func end(rowCount: Int, truncation: RowTruncation, to sink: OutputSink) {
        if !window.isClosed { printWindow(to: sink) }
        sink.write("\n" + truncation.footer + "\n\n")
    }

    mutating func printWindow(to sink: OutputSink) {
        valueWidth = window.widths.max() ?? 0
        if let fitWidth { valueWidth = min(valueWidth, max(fitWidth, window.numberWidths.max() ?? 0)) }
        printRowsHeldBack(to: sink)
    }

    mutating func render(_ cells: [DisplayCell], into out: inout [UInt8]) {
        recordNumber += 1
        appendRecordRule(to: &out)
        for (header, cell) in zip(headers, cells) {
            let cell = fitWidth.map(cell.wrapped(to:)) ?? cell
            for index in 0..<max(header.lineCount, cell.lineCount) {
                if let line = header.line(index) {
                    out.append(Style.header(line, options: options))
                    out.append(spaces: headerWidth - line.width)
                } else {
                    out.append(spaces: headerWidth)
                }
                out.append(contentsOf: (header.line(index + 1) == nil ? " |" : "+|").utf8)
                if let line = cell.line(index) {
                    out.append(UInt8(ascii: " "))
                    out.append(Style.value(line, of: cell, options: options))
                    if let marker = TableWriter.marker(after: line, in: cell, at: index) {
                        out.append(spaces: valueWidth - line.width)
                        out.append(marker)
                    }
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// `-[ RECORD n ]-` padded with `-` to the name and value widths, with a `+` above the
    /// divider when the label leaves room (psql's `print_aligned_vertical_line`).
    private func appendRecordRule(to out: inout [UInt8]) {
        let dash = UInt8(ascii: "-")
        out.append(contentsOf: "-[ RECORD ".utf8)
        out.append(decimal: Int64(recordNumber))
        out.append(contentsOf: " ]".utf8)
        var used = 12 + String(recordNumber).utf8.count
        out.append(contentsOf: repeatElement(dash, count: max(0, headerWidth - used)))
        used -= headerWidth
        for mark in [dash, UInt8(ascii: "+"), dash] {
            if used <= 0 { out.append(mark) }
            used -= 1
        }
        out.append(contentsOf: repeatElement(dash, count: max(0, valueWidth - max(0, used))))
        out.append(UInt8(ascii: "\n"))
    }
}

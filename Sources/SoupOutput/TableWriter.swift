import SoupDriver

/// psql's default `aligned` format (border 1, ASCII lines), byte for byte:
///
/// ```
///  id | name  | note
/// ----+-------+------
///   1 | alice | a   +
///     |       | b
///   2 | bob   |
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
        var out: [UInt8] = []
        appendHeader(to: &out)
        out.append(UInt8(ascii: "-"))
        for (column, width) in widths.enumerated() {
            if column > 0 { out.append(contentsOf: "-+-".utf8) }
            out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: width))
        }
        out.append(contentsOf: "-\n".utf8)
        sink.write(bytes: out)
        printRowsHeldBack(to: sink)
    }

    private func appendHeader(to out: inout [UInt8]) {
        let lineCount = headers.reduce(0) { max($0, $1.lineCount) }
        for index in 0..<lineCount {
            for (column, header) in headers.enumerated() {
                out.append(UInt8(ascii: " "))
                if let line = header.line(index) {
                    let room = widths[column] - line.width
                    out.append(spaces: room / 2)
                    out.append(Style.header(line, options: options))
                    out.append(spaces: (room + 1) / 2)
                } else {
                    out.append(spaces: widths[column])
                }
                out.append(UInt8(ascii: header.line(index + 1) == nil ? " " : "+"))
                if column < headers.count - 1 { out.append(UInt8(ascii: "|")) }
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    func render(_ cells: [DisplayCell], into out: inout [UInt8]) {
        let lineCount = cells.reduce(0) { max($0, $1.lineCount) }
        for index in 0..<lineCount {
            for (column, cell) in cells.enumerated() {
                let isLast = column == cells.count - 1
                let continues = cell.line(index + 1) != nil
                out.append(UInt8(ascii: " "))
                if let line = cell.line(index) {
                    let padding = widths[column] - line.width
                    if rightAligned[column] { out.append(spaces: padding) }
                    out.append(Style.value(line, of: cell, options: options))
                    if !rightAligned[column], !isLast || continues { out.append(spaces: padding) }
                } else if !isLast {
                    out.append(spaces: widths[column])
                }
                if continues {
                    out.append(UInt8(ascii: "+"))
                } else if !isLast {
                    out.append(UInt8(ascii: " "))
                }
                if !isLast { out.append(UInt8(ascii: "|")) }
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

}

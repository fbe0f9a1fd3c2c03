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
///
/// As `wrapped` (with a ``fitWidth``), the widths come from ``ColumnFitting`` instead, and a
/// cell wider than its column wraps onto more lines, each but the last ending in `.`; JSON
/// cells are laid out over several lines (``JSONLayout``).
struct TableWriter: WindowedWriter {
    private let options: OutputOptions
    /// The terminal width that `wrapped` fits the table to; nil for the aligned table.
    private let fitWidth: Int?
    private var headers: [DisplayCell] = []
    var window: SizingWindow
    private var widths: [Int] = []
    private var rightAligned: [Bool] = []
    /// What NULL shows, when that is printable ASCII (one plain line).
    private var plainNullText: [UInt8]?
    /// The line being assembled by ``write(_:to:)``, reused from row to row.
    private var line: [UInt8] = []

    /// A table for `options`; `wrapped` fits it to `fitWidth` terminal columns.
    init(options: OutputOptions, fitWidth: Int? = nil) {
        self.options = options
        self.fitWidth = fitWidth
        window = SizingWindow(columnCount: 0, capacity: options.sizingWindow)
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        headers = columns.map { DisplayCell(formatting: $0.name) }
        let nullText = options.shownNullText
        plainNullText = DisplayCell.isPrintableASCII(nullText) ? Array(nullText.utf8) : nil
        window = SizingWindow(columnCount: columns.count, capacity: options.sizingWindow)
    }

    /// For `wrapped`, JSON is laid out for the whole terminal, then again for its column.
    func cell(for value: Value) -> DisplayCell {
        DisplayCell(value: value, nullText: options.shownNullText, prettyJSON: fitWidth)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {
        if !window.isClosed { printWindow(to: sink) }
        sink.write(rowCount == 1 ? "(1 row)\n\n" : "(\(rowCount) rows)\n\n")
    }

    mutating func end(rowCount: Int, truncation: RowTruncation, to sink: OutputSink) {
        if !window.isClosed { printWindow(to: sink) }
        sink.write(truncation.footer + "\n\n")
    }

    /// Fixes the widths from the window, then prints the header and the rows held back.
    mutating func printWindow(to sink: OutputSink) {
        widths = zip(headers, window.widths).map { max($0.width, $1) }
        rightAligned = window.rightAligned
        if let fitWidth {
            widths = ColumnFitting(
                natural: widths, headers: headers.map(\.width), numbers: window.numberWidths, total: fitWidth
            ).widths
            headers = zip(headers, widths).map { $0.wrapped(to: $1) }
        }
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
                out.append(Self.marker(after: header.line(index), in: header, at: index) ?? UInt8(ascii: " "))
                if column < headers.count - 1 { out.append(UInt8(ascii: "|")) }
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Prints one row of stored values, once the window has closed: straight from the values
    /// when each is one plain line, else through their cells.
    mutating func write(_ row: StoredRow, to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        if !appendPlain(row, to: &line) {
            line.removeAll(keepingCapacity: true)
            render(row.fields.indices.map { cell(for: row.value(at: $0)) }, into: &line)
        }
        sink.write(bytes: line)
    }

    /// Appends `row` laid out as ``render(_:into:)`` lays out its cells, when every value is
    /// one plain line: a number, NULL, or text of printable ASCII. `false` otherwise (`out` is
    /// then partly written): a blob, or text with line breaks, control or non-ASCII characters.
    private func appendPlain(_ row: StoredRow, to out: inout [UInt8]) -> Bool {
        guard let last = row.fields.indices.last else { return false }
        for (column, field) in row.fields.enumerated() {
            out.append(UInt8(ascii: " "))
            let start = out.count
            switch field {
            case .null:
                guard let plainNullText else { return false }
                out.append(contentsOf: plainNullText)
            case .integer(let number):
                out.append(decimal: number)
            case .real(let number):
                out.append(real: number)
            case .text(let range):
                let plain = row.withBytes(of: range) { bytes in
                    guard DisplayCell.isPrintableASCII(bytes) else { return false }
                    out.append(contentsOf: bytes)
                    return true
                }
                guard plain else { return false }
            case .blob:
                return false
            }
            let padding = widths[column] - (out.count - start)
            if padding > 0, rightAligned[column] {
                out.insert(contentsOf: repeatElement(UInt8(ascii: " "), count: padding), at: start)
            } else if column < last {
                out.append(spaces: padding)
            }
            if column < last {
                out.append(UInt8(ascii: " "))
                out.append(UInt8(ascii: "|"))
            }
        }
        out.append(UInt8(ascii: "\n"))
        return true
    }

    func render(_ cells: [DisplayCell], into out: inout [UInt8]) {
        var cells = cells
        if fitWidth != nil {
            for column in cells.indices { cells[column] = cells[column].wrapped(to: widths[column]) }
        }
        let lineCount = cells.reduce(0) { max($0, $1.lineCount) }
        for index in 0..<lineCount {
            for (column, cell) in cells.enumerated() {
                let isLast = column == cells.count - 1
                let marker = Self.marker(after: cell.line(index), in: cell, at: index)
                let continues = marker != nil
                out.append(UInt8(ascii: " "))
                if let line = cell.line(index) {
                    let padding = widths[column] - line.width
                    if rightAligned[column] { out.append(spaces: padding) }
                    out.append(Style.value(line, of: cell, options: options))
                    if !rightAligned[column], !isLast || continues { out.append(spaces: padding) }
                } else if !isLast {
                    out.append(spaces: widths[column])
                }
                if let marker {
                    out.append(marker)
                } else if !isLast {
                    out.append(UInt8(ascii: " "))
                }
                if !isLast { out.append(UInt8(ascii: "|")) }
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// What ends line `index` of a cell that goes on: `.` where it was wrapped, `+` at a line
    /// break of the value; nil on its last line.
    static func marker(after line: DisplayCell.Line?, in cell: DisplayCell, at index: Int) -> UInt8? {
        guard let line, cell.line(index + 1) != nil else { return nil }
        return UInt8(ascii: line.wraps ? "." : "+")
    }
}

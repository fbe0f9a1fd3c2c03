import SoupDriver

/// `\x auto`: `table` (or `wrapped`) when the rows fit the terminal, else `expanded`.
///
/// The first ``OutputOptions/sizingWindow`` rows are held and measured as the table would lay
/// them out: `table` fits when its widest line is no wider than the terminal, `wrapped` when
/// ``ColumnFitting`` can keep every header on one line. The layout chosen then prints those
/// rows and every later one, so a result never changes layout halfway.
struct AutoExpandedWriter: RowWriter {
    private let options: OutputOptions
    private let terminalWidth: Int
    private var columns: [ColumnDescription] = []
    private var held: [[Value]] = []
    /// The changed columns of each held row (`\watch`).
    private var heldChanges: [Set<Int>] = []
    private var chosen: (any RowWriter)?

    init(options: OutputOptions, terminalWidth: Int) {
        self.options = options
        self.terminalWidth = terminalWidth
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        self.columns = columns
    }

    mutating func write(row: [Value], to sink: OutputSink) throws {
        try write(row: row, changed: [], to: sink)
    }

    mutating func write(row: [Value], changed: Set<Int>, to sink: OutputSink) throws {
        if chosen != nil {
            try chosen!.write(row: row, changed: changed, to: sink)
            return
        }
        held.append(row)
        heldChanges.append(changed)
        if held.count >= options.sizingWindow { try choose(to: sink) }
    }

    mutating func end(rowCount: Int, to sink: OutputSink) throws {
        if chosen == nil { try choose(to: sink) }
        try chosen!.end(rowCount: rowCount, to: sink)
    }

    mutating func end(rowCount: Int, truncation: RowTruncation, to sink: OutputSink) throws {
        if chosen == nil { try choose(to: sink) }
        try chosen!.end(rowCount: rowCount, truncation: truncation, to: sink)
    }

    func write(scalar: Value, to sink: OutputSink) {
        TableWriter(options: options).write(scalar: scalar, to: sink)
    }

    /// Picks the layout for the rows held, and hands them to it.
    private mutating func choose(to sink: OutputSink) throws {
        var writer: any RowWriter =
            fits
            ? TableWriter(options: options, fitWidth: options.format == .wrapped ? terminalWidth : nil)
            : ExpandedWriter(options: options)
        try writer.begin(columns: columns, to: sink)
        for (row, changed) in zip(held, heldChanges) { try writer.write(row: row, changed: changed, to: sink) }
        held = []
        heldChanges = []
        chosen = writer
    }

    /// Whether the held rows fit the terminal as the table.
    private var fits: Bool {
        let headers = columns.map { DisplayCell(formatting: $0.name).width }
        var natural = headers
        var numbers = Array(repeating: 0, count: columns.count)
        for row in held {
            for (column, value) in row.prefix(columns.count).enumerated() {
                let width = DisplayCell(value: value, nullText: options.shownNullText).width
                natural[column] = max(natural[column], width)
                if value.isNumeric { numbers[column] = max(numbers[column], width) }
            }
        }
        if options.format == .wrapped {
            return ColumnFitting(natural: natural, headers: headers, numbers: numbers, total: terminalWidth).isComfortable
        }
        return natural.reduce(0, +) + ColumnFitting.separators(columns.count) <= terminalWidth
    }
}

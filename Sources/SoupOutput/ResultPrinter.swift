import SoupDriver

/// Prints result sets and single values in one ``OutputFormat``.
///
/// Rows stream from the cursor to the sink: CSV, TSV, JSON, JSON Lines and SQL hold one row at a
/// time. The aligned formats (`table`, `expanded`, `markdown`) hold the first
/// ``OutputOptions/sizingWindow`` rows (1,000 by default) to size their columns, print them, then
/// print each later row as it arrives with the same widths. A later value wider than its column
/// is printed whole and pushes the rest of its line to the right; the header is not repeated and
/// the other rows stay aligned with it. (psql's `FETCH_COUNT` re-sizes every batch instead,
/// which shifts all rows after the first batch away from the header.)
///
/// ```swift
/// let printer = ResultPrinter(options: OutputOptions(format: .json))
/// let sink = OutputSink(fileDescriptor: 1)
/// try printer.print(cursor, to: sink)
/// try sink.flush()
/// ```
public struct ResultPrinter: Sendable {
    /// The format and its settings.
    public let options: OutputOptions

    /// Creates a printer for `options`.
    public init(options: OutputOptions) {
        self.options = options
    }

    /// Streams every row of the cursor to the sink; returns the row count.
    ///
    /// Throws the cursor's errors, and ``OutputError`` as soon as the sink fails (for example
    /// ``OutputError/brokenPipe`` once the reader has gone away).
    @discardableResult
    public func print(_ cursor: some RowCursor, to sink: OutputSink) throws -> Int {
        if let borrowing = cursor.borrowing {
            if options.format == .csv { return try printCSV(borrowing, to: sink) }
            if options.format == .json || options.format == .jsonl { return try printJSON(borrowing, to: sink) }
            if isPlainTable, !options.useColor, borrowing.lendsStoredValues {
                return try printTable(borrowing, to: sink)
            }
        }
        var writer = makeWriter()
        let columns = cursor.columns
        try writer.begin(columns: columns, to: sink)
        var count = 0
        while var row = try cursor.next() {
            if row.count != columns.count { row = conform(row, to: columns.count) }
            let changed = cursor.changedColumns
            if !changed.isEmpty {
                try writer.write(row: row, changed: changed, to: sink)
            } else {
                try writer.write(row: row, to: sink)
            }
            count += 1
            try sink.flushIfFull()
        }
        if let truncation = cursor.truncation {
            try writer.end(rowCount: count, truncation: truncation, to: sink)
        } else {
            try writer.end(rowCount: count, to: sink)
        }
        try sink.flushIfFull()
        return count
    }

    /// CSV straight from the values the cursor lends (on PostgreSQL, their text as `psql --csv`
    /// prints it), with no ``Value`` built.
    private func printCSV(_ cursor: any BorrowingRowCursor, to sink: OutputSink) throws -> Int {
        var writer = CSVWriter()
        writer.begin(columns: cursor.columns, to: sink)
        var count = 0
        while try writer.writeRow(from: cursor, to: sink) {
            count += 1
            try sink.flushIfFull()
        }
        return count
    }

    /// JSON straight from the values the cursor lends (see ``JSONWriter/writeRow(from:to:)``).
    private func printJSON(_ cursor: any BorrowingRowCursor, to sink: OutputSink) throws -> Int {
        var writer = JSONWriter(lines: options.format == .jsonl)
        writer.begin(columns: cursor.columns, to: sink)
        var count = 0
        while try writer.writeRow(from: cursor, to: sink) {
            count += 1
            try sink.flushIfFull()
        }
        writer.end(rowCount: count, to: sink)
        try sink.flushIfFull()
        return count
    }

    /// The aligned table: the sizing window from ``Value``s, then each later row straight from
    /// the stored values the cursor lends (see ``TableWriter/write(_:to:)``).
    private func printTable(_ cursor: any BorrowingRowCursor, to sink: OutputSink) throws -> Int {
        var writer = TableWriter(options: options)
        writer.begin(columns: cursor.columns, to: sink)
        var count = 0
        while !writer.window.isClosed, let row = try cursor.next() {
            writer.write(row: row, to: sink)
            count += 1
            try sink.flushIfFull()
        }
        var row = StoredRow()
        while try row.read(from: cursor) {
            writer.write(row, to: sink)
            count += 1
            try sink.flushIfFull()
        }
        writer.end(rowCount: count, to: sink)
        try sink.flushIfFull()
        return count
    }

    /// Prints one value that is not a result set (a scalar).
    ///
    /// `table`, `expanded` and `markdown` print its text and a newline (nothing at all for
    /// NULL); `json` and `jsonl` one JSON document (`null` for NULL); `csv` and `tsv` one field;
    /// `sql` one literal.
    public func print(value: Value, to sink: OutputSink) throws {
        makeWriter().write(scalar: value, to: sink)
        try sink.flushIfFull()
    }

    /// Whether the rows print as the aligned table, as they come: `table`, or `wrapped` with no
    /// terminal to fit, and not left to `\x auto`.
    private var isPlainTable: Bool {
        (options.format == .table || options.format == .wrapped)
            && (options.terminalWidth == nil || !options.expandsAutomatically && options.format == .table)
    }

    private func makeWriter() -> any RowWriter {
        switch options.format {
        case .table, .wrapped:
            if let width = options.terminalWidth, options.expandsAutomatically {
                AutoExpandedWriter(options: options, terminalWidth: width)
            } else {
                TableWriter(options: options, fitWidth: options.format == .wrapped ? options.terminalWidth : nil)
            }
        case .expanded: ExpandedWriter(options: options)
        case .csv: CSVWriter()
        case .tsv: TSVWriter()
        case .json: JSONWriter(lines: false)
        case .jsonl: JSONWriter(lines: true)
        case .markdown: MarkdownWriter(options: options)
        case .sql: SQLWriter(options: options)
        }
    }

    /// Pads a short row with NULLs or drops extra values, so writers can trust the arity.
    private func conform(_ row: [Value], to count: Int) -> [Value] {
        row.count > count
            ? Array(row.prefix(count))
            : row + Array(repeating: .null, count: count - row.count)
    }
}

/// One output format. ``ResultPrinter`` calls ``begin(columns:to:)`` once, ``write(row:to:)``
/// for each row, then ``end(rowCount:to:)``; or ``write(scalar:to:)`` alone for a single value.
protocol RowWriter {
    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) throws
    mutating func write(row: [Value], to sink: OutputSink) throws
    mutating func end(rowCount: Int, to sink: OutputSink) throws
    /// Writes a row whose `changed` columns differ from the previous run of a `\watch`.
    mutating func write(row: [Value], changed: Set<Int>, to sink: OutputSink) throws
    /// Ends a result that a row limit cut off: the aligned formats say so in their footer.
    mutating func end(rowCount: Int, truncation: RowTruncation, to sink: OutputSink) throws
    func write(scalar: Value, to sink: OutputSink)
}

extension RowWriter {
    /// Formats without colour have nothing to mark a changed cell with.
    mutating func write(row: [Value], changed: Set<Int>, to sink: OutputSink) throws {
        try write(row: row, to: sink)
    }

    /// Formats read by programs (CSV, JSON, ...) end as usual: a footer would corrupt them.
    mutating func end(rowCount: Int, truncation: RowTruncation, to sink: OutputSink) throws {
        try end(rowCount: rowCount, to: sink)
    }
}

/// A format of one line per row, fields between separators (CSV, TSV): each line is assembled
/// as bytes in one reused buffer and handed to the sink whole. A scalar prints as one field on
/// a line of its own.
protocol DelimitedWriter: RowWriter {
    static var separator: UInt8 { get }
    /// The line being assembled.
    var line: [UInt8] { get set }
    /// Appends a column name to ``line``, quoted or escaped as the format needs.
    mutating func append(name: String)
    /// Appends a value to ``line``.
    mutating func append(_ value: Value)
}

extension DelimitedWriter {
    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        for (index, column) in columns.enumerated() {
            if index > 0 { line.append(Self.separator) }
            append(name: column.name)
        }
        line.append(UInt8(ascii: "\n"))
        sink.write(bytes: line)
    }

    mutating func write(row: [Value], to sink: OutputSink) {
        writeLine(row, to: sink)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {}

    func write(scalar: Value, to sink: OutputSink) {
        var writer = self
        writer.writeLine([scalar], to: sink)
    }

    private mutating func writeLine(_ row: [Value], to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(Self.separator) }
            append(value)
        }
        line.append(UInt8(ascii: "\n"))
        sink.write(bytes: line)
    }
}

/// ANSI SGR sequences for the coloured formats.
enum Style {
    static let bold = "\u{1B}[1m"
    static let dim = "\u{1B}[2m"
    static let reset = "\u{1B}[0m"
    static let reversed = "\u{1B}[7m"

    /// `text` wrapped in `style` when colour is on and there is a style and a text to wrap.
    private static func apply(_ style: String?, to text: String, if enabled: Bool) -> String {
        guard enabled, let style, !text.isEmpty else { return text }
        return style + text + reset
    }

    /// A header line, bold when colour is on.
    static func header(_ line: DisplayCell.Line, options: OutputOptions) -> String {
        apply(bold, to: line.text, if: options.useColor)
    }

    /// A line of `cell`: reversed when it changed since the last run of `\watch` and colour or
    /// styling is on, dim when it shows NULL and colour is on.
    static func value(_ line: DisplayCell.Line, of cell: DisplayCell, options: OutputOptions)
        -> String
    {
        if cell.isChanged { return apply(reversed, to: line.text, if: options.useColor || options.useStyles) }
        return apply(cell.isNull ? dim : nil, to: line.text, if: options.useColor)
    }
}

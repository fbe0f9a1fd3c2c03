import SoupDriver

/// The first rows of a result, held back so an aligned format can size its columns.
///
/// The aligned formats (`table`, `expanded`, `markdown`) stream: they keep at most
/// ``OutputOptions/sizingWindow`` rows, measure them, print them, and print every later row at
/// once with the widths measured so far. Memory stays flat however long the result is.
struct SizingWindow {
    private let capacity: Int
    /// The rows held back, as cells.
    private var rows: [[DisplayCell]] = []
    /// The widest cell of each column among the rows seen while the window was open.
    private(set) var widths: [Int]
    /// The widest number of each column (0 when none), which `wrapped` never wraps.
    private(set) var numberWidths: [Int]
    private var numericValues: [Int]
    private var otherValues: [Int]
    /// Whether the window has been emptied; later rows are printed as they come.
    private(set) var isClosed = false

    init(columnCount: Int, capacity: Int) {
        self.capacity = capacity
        widths = Array(repeating: 0, count: columnCount)
        numberWidths = widths
        numericValues = widths
        otherValues = widths
    }

    /// Whether the window holds as many rows as it may.
    var isFull: Bool { rows.count >= capacity }

    /// Holds back one row and measures it.
    mutating func add(_ cells: [DisplayCell], values: [Value]) {
        for column in widths.indices {
            widths[column] = max(widths[column], cells[column].width)
            if values[column].isNumeric {
                numericValues[column] += 1
                numberWidths[column] = max(numberWidths[column], cells[column].width)
            } else if !values[column].isNull {
                otherValues[column] += 1
            }
        }
        rows.append(cells)
    }

    /// Hands back the rows held so far and closes the window.
    mutating func close() -> [[DisplayCell]] {
        isClosed = true
        defer { rows = [] }
        return rows
    }

    /// Columns to right-align: those whose non-NULL values in the window were all numbers.
    ///
    /// psql decides by column type; a SQLite column has no fixed type, so soup decides by the
    /// values it sized the column with.
    var rightAligned: [Bool] {
        widths.indices.map { numericValues[$0] > 0 && otherValues[$0] == 0 }
    }
}

/// A format that sizes its columns from a ``SizingWindow`` of leading rows.
protocol WindowedWriter: RowWriter {
    var window: SizingWindow { get set }
    /// How one value is shown.
    func cell(for value: Value) -> DisplayCell
    /// Fixes the widths from the window, then prints whatever precedes the rows and the rows
    /// held back. Called once, when the window fills or the result ends.
    mutating func printWindow(to sink: OutputSink)
    /// Appends one row, laid out with the widths fixed by ``printWindow(to:)``.
    mutating func render(_ cells: [DisplayCell], into out: inout [UInt8])
}

extension WindowedWriter {
    mutating func write(row: [Value], to sink: OutputSink) {
        write(cellsOf: row, changed: [], to: sink)
    }

    mutating func write(row: [Value], changed: Set<Int>, to sink: OutputSink) {
        write(cellsOf: row, changed: changed, to: sink)
    }

    private mutating func write(cellsOf row: [Value], changed: Set<Int>, to sink: OutputSink) {
        var cells = row.map(cell(for:))
        for column in changed where column < cells.count { cells[column].isChanged = true }
        if window.isClosed {
            var out: [UInt8] = []
            out.reserveCapacity(256)
            render(cells, into: &out)
            sink.write(bytes: out)
            return
        }
        window.add(cells, values: row)
        if window.isFull { printWindow(to: sink) }
    }

    /// Prints the rows held back by the window, then closes it.
    mutating func printRowsHeldBack(to sink: OutputSink) {
        var out: [UInt8] = []
        for cells in window.close() { render(cells, into: &out) }
        sink.write(bytes: out)
    }

    /// A scalar prints as its text on a line of its own; NULL prints nothing.
    func write(scalar: Value, to sink: OutputSink) {
        if let text = scalar.printedText { sink.write(text + "\n") }
    }
}

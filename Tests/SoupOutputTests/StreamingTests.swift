import Foundation
import SoupDriver
import SoupOutput
import Testing

/// A million rows print with flat memory: nothing but the sizing window is held.
@Suite(.serialized) struct StreamingTests {
    static let rowCount = 1_000_000

    @Test(arguments: [OutputFormat.table, .csv, .json])
    func millionRowsKeepMemoryFlat(format: OutputFormat) throws {
        let before = try residentBytes()
        let sink = OutputSink.discarding()
        let cursor = GeneratedCursor(count: Self.rowCount)
        let printed = try ResultPrinter(options: OutputOptions(format: format)).print(cursor, to: sink)
        try sink.flush()
        let growth = try residentBytes() - before
        #expect(printed == Self.rowCount)
        #expect(growth < 30 << 20, "RSS grew by \(growth >> 20) MiB")
    }

    /// Resident set size, from the second field of `/proc/self/statm` (in pages).
    private func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let pages = try #require(Int(statm.split(separator: " ")[1]))
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Rows made up on demand: an id, a name, an amount (NULL every 100th row), a note that needs
/// CSV quoting, and from row 5,000 on a name wider than any in the sizing window.
final class GeneratedCursor: RowCursor {
    let columns = ["id", "name", "amount", "note"].map { ColumnDescription(name: $0) }
    private let count: Int
    private var produced = 0

    init(count: Int) {
        self.count = count
    }

    func next() throws -> [Value]? {
        guard produced < count else { return nil }
        produced += 1
        let id = Int64(produced)
        return [
            .integer(id),
            .text(produced >= 5_000 ? "a rather longer name \(id)" : "name \(id)"),
            produced % 100 == 0 ? .null : .real(Double(id) * 0.25),
            .text("note, \"quoted\" \(id % 7)"),
        ]
    }
}

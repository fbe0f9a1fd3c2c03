import Foundation
import SoupDriver
import SoupOutput
import Testing

/// The tests that print a million rows or hold large results, run one at a time: `StreamingTests`
/// measures the process's resident memory, which another test's large allocations would spoil.
@Suite(.serialized) enum LargeResults {}

extension LargeResults {
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
}

/// Rows made up on demand: an id, a name, an amount (NULL every 100th row), a note that needs
/// CSV quoting, and from row 5,000 on a name wider than any in the sizing window. The texts
/// come from small tables, so making rows costs little next to printing them; a printer that
/// kept rows would still grow by their arrays.
final class GeneratedCursor: RowCursor {
    let columns = ["id", "name", "amount", "note"].map { ColumnDescription(name: $0) }
    private let count: Int
    private var produced = 0
    private let names = (0..<100).map { Value.text("name \($0)") }
    private let longNames = (0..<100).map { Value.text("a rather longer name \($0)") }
    private let notes = (0..<7).map { Value.text("note, \"quoted\" \($0)") }

    init(count: Int) {
        self.count = count
    }

    func next() throws -> [Value]? {
        guard produced < count else { return nil }
        produced += 1
        return [
            .integer(Int64(produced)),
            produced >= 5_000 ? longNames[produced % 100] : names[produced % 100],
            produced % 100 == 0 ? .null : .real(Double(produced) * 0.25),
            notes[produced % 7],
        ]
    }
}

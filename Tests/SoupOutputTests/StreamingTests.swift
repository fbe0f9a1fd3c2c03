import Foundation
import SoupDriver
import SoupOutput
import SoupTestSupport
import Testing

/// The tests that print a million rows or hold large results, run one at a time, so their large
/// allocations do not pile up in the one test process.
@Suite(.serialized) enum LargeResults {}

extension LargeResults {
    /// A million rows print with flat memory: nothing but the sizing window is held. Measured on
    /// a child `soup` printing rows shaped like ``GeneratedCursor``'s (its peak beside that of
    /// printing 1,000 of them), never on this shared test process, whose resident size other
    /// suites move.
    @Suite(.serialized) struct StreamingTests {
        static let rowCount = 1_000_000

        /// `count` generated rows: an id, a name (wider from row 5,000 on, after the sizing
        /// window), an amount (NULL every 100th row) and a note that needs CSV quoting.
        static func rows(_ count: Int) -> String {
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            SELECT i AS id,
                   CASE WHEN i >= 5000 THEN 'a rather longer name ' ELSE 'name ' END || (i % 100) AS name,
                   CASE WHEN i % 100 = 0 THEN NULL ELSE i * 0.25 END AS amount,
                   'note, "quoted" ' || (i % 7) AS note
              FROM n
            """
        }

        @Test(arguments: ["table", "csv", "json"])
        func millionRowsKeepMemoryFlat(format: String) throws {
            let small = try SoupBinary.runMeasuringMemory(["query", "sqlite::memory:", "-f", format, Self.rows(1_000)])
            let whole = try SoupBinary.runMeasuringMemory(
                ["query", "sqlite::memory:", "-f", format, Self.rows(Self.rowCount)], timeout: 300)
            #expect(small.status == 0 && whole.status == 0, "\(small.stderr) \(whole.stderr)")
            switch format {
            case "table": #expect(whole.stdout.hasSuffix("(1000000 rows)\n\n"), "\(whole.stdout.suffix(100))")
            case "csv": #expect(whole.stdout.utf8.count { $0 == 0x0a } == Self.rowCount + 1)
            default: #expect(whole.stdout.utf8.count { $0 == 0x0a } == Self.rowCount + 2)
            }
            let growth = (whole.maxRSSKilobytes - small.maxRSSKilobytes) / 1024
            print("-f \(format): soup's peak \(small.maxRSSKilobytes) kB for 1,000 rows, \(whole.maxRSSKilobytes) kB for a million")
            #expect(growth < 30, "soup's peak grew by \(growth) MiB from 1,000 to a million rows (-f \(format))")
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

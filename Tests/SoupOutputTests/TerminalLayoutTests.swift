import SoupDriver
import SoupOutput
import SoupTestSupport
import Testing

/// The layouts for a terminal of known width: `wrapped`, `expanded` with JSON laid out and long
/// values wrapped, `\x auto`, and NULL shown apart from the empty string. Compared with
/// `Golden/terminal/`, and measured with the C library's `wcwidth`.
@Suite struct TerminalLayoutTests {
    /// The formats whose goldens print to a file: every one but `wrapped`, which prints as
    /// `table` when the width is unknown (``wrappedWithoutATerminalIsTheTable()``).
    static let fileFormats = OutputFormat.allCases.filter { $0 != .wrapped }

    let golden = GoldenFile(set: "terminal")

    /// Long English and CJK text with emoji, JSON in a JSON column and in text, numbers, NULL
    /// and the empty string.
    static let wide = Fixture(
        name: "wide",
        columns: ["id", "name", "note", "doc", "price"].map { ColumnDescription(name: $0) },
        rows: [
            [.integer(1), .text("Soup spoon"),
             .text("A deep spoon for thick soups, with a long handle so it reaches the bottom of the pot."),
             .json(#"{"tags": ["kitchen", "metal"], "size": {"length": 21.5, "unit": "cm"}}"#), .real(4.5)],
            [.integer(22), .text("中文汤勺"), .text("汤勺是用来喝汤的餐具，常见于中国家庭的餐桌上，也有很多人收藏。🍲🥣 好吃"),
             .json("[1, 2, 3]"), .real(12)],
            [.integer(333), .text(""), .null, .null, .null],
            [.integer(4444), .text("tab\there"), .text("averyveryveryverylongwordwithoutanyspacesinitatallwhatsoever end"),
             .text(#"{"sqlite": "json in text", "list": [true, false, null, {}, "a \"word\""]}"#),
             .real(-1234567.25)],
        ])

    static func options(_ format: OutputFormat, width: Int?, auto: Bool = false, color: Bool = false) -> OutputOptions {
        OutputOptions(format: format, useColor: color, terminalWidth: width, expandsAutomatically: auto)
    }

    @Test func wrappedWithoutATerminalIsTheTable() throws {
        for fixture in [Fixtures.hostile, Fixtures.typed, Fixtures.empty, Self.wide] {
            let table = try fixture.printed(OutputOptions(format: .table))
            #expect(try fixture.printed(OutputOptions(format: .wrapped)) == table, "\(fixture.name)")
            #expect(try fixture.printed(Self.options(.wrapped, width: nil, auto: true)) == table, "\(fixture.name)")
            #expect(try fixture.printed(Self.options(.table, width: nil, auto: true)) == table, "\(fixture.name)")
            // A terminal does not change the aligned table.
            #expect(try fixture.printed(Self.options(.table, width: 30)) == table, "\(fixture.name)")
        }
    }

    @Test(arguments: [40, 80, 200])
    func wrapped(width: Int) throws {
        let text = try Self.wide.printed(Self.options(.wrapped, width: width))
        golden.check(text, "wide.wrapped-\(width).txt")
        #expect(TerminalWidth.widest(text) <= width)
    }

    @Test(arguments: [40, 80])
    func expandedOnATerminal(width: Int) throws {
        let text = try Self.wide.printed(Self.options(.expanded, width: width))
        golden.check(text, "wide.expanded-\(width).txt")
        #expect(TerminalWidth.widest(text) <= width)
    }

    @Test("\\x auto: expanded when the table is wider than the terminal", arguments: [80, 200])
    func automaticExpanded(width: Int) throws {
        let text = try Self.wide.printed(Self.options(.table, width: width, auto: true))
        golden.check(text, "wide.auto-\(width).txt")
        #expect(text.hasPrefix("-[ RECORD 1 ]") == (width == 80))
        #expect(TerminalWidth.widest(text) <= width)
        // Narrow rows stay a table on the narrow terminal.
        let narrow = Fixture(name: "narrow", columns: Self.wide.columns, rows: [[.integer(1), .text("a"), .text("b"), .null, .real(2)]])
        #expect(try narrow.printed(Self.options(.table, width: width, auto: true)) == (try narrow.printed(OutputOptions())))
    }

    @Test("\\x auto with wrapped: expanded only when the headers cannot fit")
    func automaticWrapped() throws {
        let fits = try Self.wide.printed(Self.options(.wrapped, width: 60, auto: true))
        #expect(fits == (try Self.wide.printed(Self.options(.wrapped, width: 60))))
        let headers = Fixture(
            name: "headers", columns: (1...8).map { ColumnDescription(name: "a_long_column_name_\($0)") },
            rows: [(1...8).map { .text("value \($0)") }])
        let expanded = try headers.printed(Self.options(.wrapped, width: 80, auto: true))
        #expect(expanded.hasPrefix("-[ RECORD 1 ]"))
        #expect(TerminalWidth.widest(expanded) <= 80)
    }

    /// NULL is a dim `∅` with colour and the empty string shows nothing; without colour both are
    /// empty, as psql prints them; `--null`/`\null` chooses the text in every layout.
    @Test(arguments: [OutputFormat.table, .wrapped, .expanded])
    func nullAndEmpty(format: OutputFormat) throws {
        let fixture = Fixture(
            name: "null", columns: [ColumnDescription(name: "kind"), ColumnDescription(name: "value")],
            rows: [[.text("null"), .null], [.text("empty"), .text("")]])
        let colored = try fixture.printed(Self.options(format, width: 80, color: true))
        golden.check(colored, "null.\(format).color.txt")
        #expect(colored.contains("\u{1B}[2m∅\u{1B}[0m"))
        let plain = try fixture.printed(Self.options(format, width: 80))
        #expect(!plain.contains("∅"))
        var chosen = Self.options(format, width: 80, color: true)
        chosen.nullText = "(null)"
        #expect(try fixture.printed(chosen).contains("\u{1B}[2m(null)\u{1B}[0m"))
    }

    @Test func hostileValuesWrapped() throws {
        let text = try Fixtures.hostile.printed(Self.options(.wrapped, width: 52))
        golden.check(text, "hostile.wrapped-52.txt")
        #expect(TerminalWidth.widest(text) <= 52)
        // The 40-digit numeric does not wrap: on 30 columns it overflows, and the headers stay
        // whole beside it.
        let narrow = try Fixtures.hostile.printed(Self.options(.wrapped, width: 30))
        #expect(narrow.contains("1234567890123456789012345678901234567890"))
        #expect(narrow.hasPrefix(" kind |"), "\(narrow.prefix(80))")
    }

    /// Generated rows of words in several scripts, emoji, long words, JSON and numbers: at
    /// widths from 40 columns up (room for the numbers), no line of `wrapped` or `expanded` is
    /// wider than the terminal, and no number is broken.
    @Test func generatedRowsNeverOverflow() throws {
        var random = SeededRandom(seed: FuzzSettings.seed)
        let words = ["soup", "spoon", "a", "pot", "中文", "汤勺是用来喝汤的", "🍲", "🥣🥣", "é\u{301}", "naïve",
                     "averyveryveryverylongword", "x", "Ελληνικά", "שלום"]
        func text() -> String {
            (0..<Int.random(in: 0...30, using: &random)).map { _ in words.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : "  ")
        }
        let columns = ["id", "name", "body", "doc", "amount"].map { ColumnDescription(name: $0) }
        for _ in 0..<40 {
            let rows: [[Value]] = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                [.integer(Int64.random(in: 0...999_999, using: &random)), .text(text()), .text(text()),
                 Bool.random(using: &random) ? .json("{\"k\": [\(Int.random(in: 0...9, using: &random)), \"\(text())\"]}") : .null,
                 .real(Double(Int.random(in: -99_999...99_999, using: &random)) / 4)]
            }
            let fixture = Fixture(name: "generated", columns: columns, rows: rows)
            let width = Int.random(in: 40...160, using: &random)
            for format in [OutputFormat.wrapped, .expanded] {
                let printed = try fixture.printed(Self.options(format, width: width))
                #expect(TerminalWidth.widest(printed) <= width, "\(format) at \(width):\n\(printed)")
                for row in rows {
                    guard case .integer(let id) = row[0] else { continue }
                    #expect(printed.contains(String(id)), "\(format) at \(width): \(id) broken")
                }
            }
        }
    }
}

import SoupDriver
import SoupOutput
import Testing

/// Every format over every fixture, compared with `Golden/values/`.
@Suite struct GoldenTests {
    let golden = GoldenFile(set: "values")

    static func fileName(_ fixture: Fixture, _ format: OutputFormat, variant: String = "") -> String {
        let suffix = switch format {
        case .table, .expanded: "\(format.rawValue).txt"
        case .markdown: "md"
        case .sql: "sqlite.sql"
        default: format.rawValue
        }
        return fixture.name + variant + "." + suffix
    }

    @Test(arguments: TerminalLayoutTests.fileFormats)
    func hostileValues(format: OutputFormat) throws {
        let fixture = Fixtures.hostile
        golden.check(try fixture.printed(OutputOptions(format: format)), Self.fileName(fixture, format))
    }

    @Test(arguments: TerminalLayoutTests.fileFormats)
    func typedColumns(format: OutputFormat) throws {
        let fixture = Fixtures.typed
        golden.check(try fixture.printed(OutputOptions(format: format)), Self.fileName(fixture, format))
    }

    @Test(arguments: TerminalLayoutTests.fileFormats)
    func emptyResult(format: OutputFormat) throws {
        let fixture = Fixtures.empty
        golden.check(try fixture.printed(OutputOptions(format: format)), Self.fileName(fixture, format))
    }

    @Test(arguments: [OutputFormat.table, .expanded, .markdown])
    func nullText(format: OutputFormat) throws {
        let fixture = Fixtures.typed
        let options = OutputOptions(format: format, nullText: "(null)")
        golden.check(try fixture.printed(options), Self.fileName(fixture, format, variant: "-null"))
    }

    @Test(arguments: [OutputFormat.table, .expanded])
    func colour(format: OutputFormat) throws {
        let fixture = Fixtures.typed
        let options = OutputOptions(format: format, nullText: "∅", useColor: true)
        golden.check(try fixture.printed(options), Self.fileName(fixture, format, variant: "-color"))
    }

    @Test(arguments: [Fixtures.hostile, Fixtures.typed])
    func postgresInserts(fixture: Fixture) throws {
        let options = OutputOptions(format: .sql, sqlTableName: "Hostile Values", dialect: .postgres)
        golden.check(try fixture.printed(options), fixture.name + ".postgres.sql")
    }

    /// Rows after the sizing window keep the window's widths; a wider value overflows its cell.
    @Test(arguments: [OutputFormat.table, .expanded, .markdown])
    func rowsAfterTheSizingWindow(format: OutputFormat) throws {
        let options = OutputOptions(format: format, sizingWindow: 2)
        golden.check(try Fixtures.typed.printed(options), Self.fileName(Fixtures.typed, format, variant: "-window2"))
    }
}

extension Fixture: CustomTestStringConvertible {
    var testDescription: String { name }
}

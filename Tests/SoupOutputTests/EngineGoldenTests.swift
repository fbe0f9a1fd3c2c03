import SoupDriver
import SoupOutput
import Testing

/// Every format over the hostile table read back from real SQLite and PostgreSQL, compared with
/// `Golden/sqlite/` and `Golden/postgres/`, plus PostgreSQL's own types. These goldens show what
/// each engine hands soup (SQLite turns NaN into NULL and stores -0.0 as 0) and how soup prints it.
@Suite struct EngineGoldenTests {
    static let cases = Engine.allCases.flatMap { engine in TerminalLayoutTests.fileFormats.map { (engine, $0) } }

    static func fileName(_ name: String, _ format: OutputFormat, _ engine: Engine) -> String {
        let suffix = switch format {
        case .table, .expanded: "\(format.rawValue).txt"
        case .markdown: "md"
        case .sql: "\(engine).sql"
        default: format.rawValue
        }
        return name + "." + suffix
    }

    @Test(arguments: cases)
    func hostileTable(engine: Engine, format: OutputFormat) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        try HostileTable.create(on: connection, engine: engine)
        let options = OutputOptions(format: format, sqlTableName: "hostile", dialect: engine.dialect)
        let text = try connection.printed(HostileTable.select, options)
        engine.golden.check(text, Self.fileName("hostile", format, engine))
    }

    @Test(arguments: TerminalLayoutTests.fileFormats)
    func postgresTypes(format: OutputFormat) throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try PostgresTypesTable.create(on: connection)
        let options = OutputOptions(format: format, sqlTableName: "types", dialect: .postgres)
        let text = try connection.printed(PostgresTypesTable.select, options)
        Engine.postgres.golden.check(text, Self.fileName("types", format, .postgres))
    }

    /// The `sql` format's INSERTs, run on an empty copy of the table, give back the same rows
    /// (compared as text, since NaN is not equal to itself).
    @Test(arguments: Engine.allCases)
    func sqlFormatReloadsTheSameRows(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        try HostileTable.create(on: connection, engine: engine)
        let options = OutputOptions(format: .sql, sqlTableName: "hostile", dialect: engine.dialect)
        let inserts = try connection.printed(HostileTable.select, options)
        let original = try connection.fetchAll(HostileTable.select).map { $0.map(\.text) }
        try connection.executeScript("DELETE FROM hostile")
        try connection.executeScript(inserts)
        #expect(try connection.fetchAll(HostileTable.select).map { $0.map(\.text) } == original)
    }

    @Test func sqlFormatReloadsPostgresTypes() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try PostgresTypesTable.create(on: connection)
        let options = OutputOptions(format: .sql, sqlTableName: "types", dialect: .postgres)
        let inserts = try connection.printed(PostgresTypesTable.select, options)
        let original = try connection.fetchAll(PostgresTypesTable.select).map { $0.map(\.text) }
        try connection.executeScript("DELETE FROM types")
        try connection.executeScript(inserts)
        #expect(try connection.fetchAll(PostgresTypesTable.select).map { $0.map(\.text) } == original)
    }
}

import ArgumentParser
import SoupDriver
import SoupOutput
import SoupReflection

/// `soup tables DB [--counts] [--schema S]`: list tables and views without reflecting them.
struct TablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables",
        abstract: "List tables and views (with row counts).",
        discussion: """
            One catalog query lists every table, view, materialized view and partitioned table \
            of every user schema (PostgreSQL) or attached database (SQLite); nothing is \
            reflected. The result is a result set, so -f csv, -f json and the other formats \
            work. --counts adds an exact row count per table (one count(*) query each). With \
            no DB: $DATABASE_URL, then the config's default profile.
            """)

    @Argument(help: "The database (see 'soup --help').", completion: .database)
    var database: String?

    @Flag(help: "Add each table's exact row count (runs count(*) on every table).")
    var counts = false

    @Option(help: "Only this schema (PostgreSQL) or attached database (SQLite: main, temp, ...).")
    var schema: String?

    @OptionGroup var options: GlobalOptions

    var request: Request {
        Request(database: database, counts: counts, schema: schema, settings: options.settings)
    }

    func run() throws {
        try request.run()
    }

    /// `soup tables` in plain values.
    struct Request: Equatable, Sendable {
        var database: String?
        var counts = false
        var schema: String?
        var settings = Settings()

        func run() throws {
            let connector = Connector(settings: settings, environment: Environment.current())
            let database = try DefaultDatabase(connector: connector).split(first: database, rest: []).database
            let session = try CommandSession(settings: settings, database: database)
            defer { session.connection.close() }
            let printer = session.makePrinter(dialect: session.connection.dialect)
            try session.reportingFailures {
                let catalog = SchemaCatalog(connection: session.connection)
                let tables = try catalog.listTables(schema: schema)
                var columns = ["schema", "name", "type"].map { ColumnDescription(name: $0) }
                var rows = tables.map { summary -> [Value] in
                    [.text(summary.name.schema ?? ""), .text(summary.name.name), .text(summary.kind.displayName)]
                }
                if counts {
                    columns.append(ColumnDescription(name: "rows"))
                    for (index, summary) in tables.enumerated() {
                        let count = try session.interrupts.whileRunning(session.connection.makeCanceller()) {
                            try catalog.rowCount(of: summary.name)
                        }
                        rows[index].append(count ?? .null)
                    }
                }
                try printer.printer.print(ArrayCursor(columns: columns, rows: rows), to: printer.sink)
                try printer.sink.flush()
            }
        }
    }
}

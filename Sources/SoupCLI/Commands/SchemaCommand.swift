import ArgumentParser
import SoupDriver
import SoupOutput
import SoupReflection

/// `soup schema DB [TABLE...] --format text|json|dot|mermaid`: describe tables.
///
/// `-f/--format` here takes a *schema* format, not a result format, so this command declares
/// its own connection options (`--read-only`, `--echo`, `--create`, `-v`) instead of the shared
/// ``GlobalOptions``, whose `-f/--format` names result formats; ArgumentParser allows one
/// definition of a name per command.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Describe tables: columns, keys, foreign keys, indexes; or draw them.",
        discussion: """
            With no TABLE, every table and view is described. A TABLE is NAME or SCHEMA.NAME \
            (double quotes keep dots and spaces in a name: '"Odd Name"'). Unqualified names \
            resolve as the database does (search_path on PostgreSQL; temp, main, then attached \
            databases on SQLite). Only the named tables are reflected. A SQLite view over a \
            table dropped since cannot be read: it is shown with the error, and the other \
            tables are described as usual.

            With no DB: $DATABASE_URL, then the config's default profile. The first argument is \
            the database only when it can name one (an existing SQLite database file, a URL or \
            key=value connection string, a profile of the config, a name ending in .db, \
            .sqlite, .sqlite3 or .db3); otherwise it is the first TABLE: soup schema users.

            Formats (-f/--format; in this command it names a schema format, not a result \
            format): text reads like psql's \\d; json is a stable document (see the README); \
            dot is a Graphviz digraph (soup schema DB -f dot | dot -Tsvg > schema.svg); mermaid \
            is a Mermaid erDiagram. dot and mermaid draw each table with its key columns and \
            one edge per foreign key.
            """)

    @Argument(help: "The database (see 'soup --help'); may be left out (see above).", completion: .database)
    var database: String?

    @Argument(
        help: "Tables to describe (NAME or SCHEMA.NAME); all when none are given.", completion: .tableName)
    var tables: [String] = []

    @Option(name: [.short, .customLong("format")], help: "Schema format: text, json, dot or mermaid.")
    var format: SchemaFormat = .text

    @Option(help: "Only this schema (PostgreSQL) or attached database (SQLite); also qualifies bare TABLE names.")
    var schema: String?

    @Option(name: SettingOption.bind.names, help: SettingOption.bind.argumentHelp)
    var bind: String?

    @Option(name: SettingOption.config.names, help: SettingOption.config.argumentHelp)
    var config: String?

    @Flag(name: SettingOption.readOnly.names, help: "Open the database read-only.")
    var readOnly = false

    @Flag(name: SettingOption.echo.names, help: "Print every catalog query sent, with its parameters, to standard error.")
    var echo = false

    @Flag(name: SettingOption.create.names, help: SettingOption.create.argumentHelp)
    var create = false

    @Flag(name: SettingOption.verbose.names, help: SettingOption.verbose.argumentHelp)
    var verbose = false

    var request: Request {
        let settings = Settings(readOnly: readOnly, echo: echo, create: create, verbose: verbose, bind: bind, config: config)
        return Request(database: database, tables: tables, format: format, schema: schema, settings: settings)
    }

    func run() throws {
        try request.run()
    }

    /// `soup schema` in plain values; of ``Settings`` it uses the connection options.
    struct Request: Equatable, Sendable {
        var database: String?
        var tables: [String] = []
        var format: SchemaFormat = .text
        var schema: String?
        var settings = Settings()

        func run() throws {
            let connector = Connector(settings: settings, environment: Environment.current())
            let (database, tables) = try DefaultDatabase(connector: connector).split(first: database, rest: tables)
            let session = try CommandSession(settings: settings, database: database)
            defer { session.connection.close() }
            try session.reportingFailures {
                let catalog = SchemaCatalog(connection: session.connection)
                let described: [Table]
                if tables.isEmpty {
                    described = try catalog.allTables(schema: schema)
                } else {
                    described = try catalog.tables(tables.map { text in
                        var name = TableName(parsing: text)
                        if name.schema == nil { name.schema = schema }
                        return name
                    })
                }
                let sink = OutputSink(fileDescriptor: 1)
                sink.write(format.render(described, dialect: session.connection.dialect))
                try sink.flush()
            }
        }
    }
}

extension SchemaFormat: ChoiceArgument {}

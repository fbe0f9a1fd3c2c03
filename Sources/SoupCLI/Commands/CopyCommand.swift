import ArgumentParser
import SoupDriver
import SoupReflection
import SoupTransfer

/// `soup copy SRC DST TABLE...`: copy tables between two databases, SQLite and PostgreSQL in
/// either direction.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy tables between two databases (SQLite and PostgreSQL, either way), schema and rows.",
        discussion: """
            Each TABLE is created on DST from SRC's reflected schema: its columns through the \
            normalized types (integer, real, numeric, text, blob, boolean, dates and times, \
            uuid, json, arrays; text for the rest), primary key, unique constraints, NOT NULL, \
            the defaults both engines understand, and its foreign keys to the other tables \
            copied. The rows follow in dependency order (COPY on PostgreSQL, one prepared \
            INSERT on SQLite), read from SRC in one read-only transaction; the foreign keys \
            come after all the rows, and everything is one transaction on DST: all of it or \
            none. An existing table on DST is an error unless --data-only copies rows into it.
            """)

    @Argument(help: "The database to copy from.", completion: .database)
    var source: String

    @Argument(help: "The database to copy into.", completion: .database)
    var destination: String

    @Argument(help: "The tables to copy (NAME or SCHEMA.NAME).", completion: .tableName)
    var tables: [String] = []

    @Option(name: .customLong("where"), help: "Copy only the rows of each table for which this SQL condition holds on SRC.")
    var whereClause: String?

    @Flag(help: "Create the tables, copy no rows.")
    var schemaOnly = false

    @Flag(help: "Copy the rows into tables that already exist on DST (matched by column name).")
    var dataOnly = false

    @Flag(name: SettingOption.dryRun.names, help: "Print the statements that would run on DST, change nothing.")
    var dryRun = false

    @Flag(name: SettingOption.create.names, help: "Create the destination SQLite file when it does not exist.")
    var create = false

    @Option(name: SettingOption.config.names, help: SettingOption.config.argumentHelp)
    var config: String?

    @Flag(name: SettingOption.echo.names, help: "Print every SQL statement sent to standard error (the bulk insert once).")
    var echo = false

    @Flag(name: SettingOption.verbose.names, help: SettingOption.verbose.argumentHelp)
    var verbose = false

    func validate() throws {
        if tables.isEmpty { throw ValidationError("name at least one table to copy") }
        if schemaOnly && dataOnly { throw ValidationError("give --schema-only or --data-only, not both") }
        if schemaOnly && whereClause != nil { throw ValidationError("--where goes with copying rows, not --schema-only") }
    }

    func run() throws {
        var sourceSettings = Settings()
        sourceSettings.echo = echo
        sourceSettings.verbose = verbose
        sourceSettings.config = config
        var destinationSettings = sourceSettings
        destinationSettings.create = create
        var options = CopyOptions(tables: tables.map { TableName(parsing: $0) })
        options.whereClause = whereClause
        options.schemaOnly = schemaOnly
        options.dataOnly = dataOnly
        options.dryRun = dryRun

        let sourceSession = try CommandSession(settings: sourceSettings, database: source)
        defer { sourceSession.connection.close() }
        let destinationSession = try CommandSession(settings: destinationSettings, database: destination)
        defer { destinationSession.connection.close() }
        let bar = ProgressBar(environment: destinationSession.environment)
        var job = CopyJob(options: options)
        job.onProgress = { table, rows in bar.show(table: "\(table)", rows: rows) }
        let report: CopyReport
        do {
            defer { bar.clear() }
            report = try job.run(
                from: sourceSession.connection, into: destinationSession.router, interrupts: destinationSession.interrupts)
        } catch {
            throw TransferFailure.exit(
                for: error, nothingDone: dryRun ? nil : "copied", interrupts: destinationSession.interrupts)
        }
        for note in report.notes { StandardError.line("soup: note: " + note) }
        Terminal.write(report.summary(dryRun: dryRun, schemaOnly: schemaOnly, showingStatements: dryRun || verbose), to: 1)
    }
}

import ArgumentParser
import SoupDriver
import SoupReflection
import SoupTransfer

/// `soup import DB TABLE [FILE|-]`: load a CSV, TSV, JSON or JSON Lines file into a table.
///
/// Its `--null` names the input's NULL text, so like ``SchemaCommand`` it declares the
/// connection options it takes instead of sharing ``GlobalOptions``.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a CSV, TSV, JSON or JSON Lines file into a table, all rows or none.",
        discussion: """
            The format comes from the file's extension (.csv, .tsv, .json, .jsonl or .ndjson; \
            CSV for standard input), or --input-format. CSV is RFC 4180 as psql --csv and soup \
            write it: an empty unquoted field is NULL and "" the empty string, so soup's own \
            output reads back exactly. TSV is PostgreSQL's COPY text format (\\N is NULL). JSON is \
            an array of objects, JSON Lines one object per line; keys name the columns.

            Header names are matched to the table's columns as the database folds an unquoted \
            name; columns the file lacks take their defaults. A missing table is an error unless \
            --create makes it, with each column as narrow as all its values allow (integer, \
            real, numeric, boolean, date, timestamp, and on PostgreSQL timestamptz, uuid and \
            json; text otherwise) and a primary key from --pk (else SQLite's rowid, or on \
            PostgreSQL an identity column id when no column has that name).

            Everything runs in one transaction: a bad row stops the import with \
            FILE:LINE:COL and the reason, and nothing is kept. --continue skips bad rows, \
            imports the rest and lists the skipped ones on standard error (exit 1). Rows stream \
            with flat memory: COPY on PostgreSQL, one prepared INSERT on SQLite. The import \
            goes to the profile's writer (--read-only refuses it), and the audit log records \
            it once.
            """)

    @Argument(help: "The database (see 'soup --help').", completion: .database)
    var database: String

    @Argument(help: "The table to load (NAME or SCHEMA.NAME).", completion: .tableName)
    var table: String

    @Argument(help: "The file to read; '-' or none reads standard input.", completion: .file())
    var file: String = "-"

    @Option(help: "The input format: csv, tsv, json or jsonl (default: from the file's extension).")
    var inputFormat: InputFormat?

    @Option(help: "The field delimiter of CSV or TSV, one character (default ',' and tab).")
    var delimiter: String?

    @Flag(help: "The first line is data; the columns are c1, c2, ... (or the table's, in order).")
    var noHeader = false

    @Option(name: .customLong("null"), help: "An unquoted field with this text is NULL (default: an empty unquoted field).")
    var nullText: String?

    @Option(help: "The file's encoding: utf8 or latin1.")
    var encoding: ImportInput.Encoding = .utf8

    @Flag(
        name: SettingOption.create.names,
        help: "Make the table when it does not exist, with types inferred from the input (and the SQLite file too).")
    var create = false

    @Option(name: .customLong("pk"), parsing: .singleValue, help: "With --create: the primary key column (repeat for a composite key).")
    var primaryKey: [String] = []

    @Flag(help: "A row whose primary key exists replaces it; columns the file lacks get their defaults.")
    var replace = false

    @Flag(help: "A row whose primary key exists updates its columns from the file; the others are kept.")
    var upsert = false

    @Flag(help: "Empty the table first, in the same transaction.")
    var truncate = false

    @Flag(name: SettingOption.dryRun.names, help: "Read and check every row, print the CREATE TABLE and the row count, change nothing.")
    var dryRun = false

    @Flag(name: .customLong("continue"), help: "Skip bad rows (listed on standard error, exit 1) and import the rest.")
    var continueOnError = false

    @Option(help: "Infer column types from the first N rows instead of all of them.")
    var inferRows: Int?

    @Flag(name: SettingOption.readOnly.names, help: "Refuse to write: with --dry-run only, anything else is refused.")
    var readOnly = false

    @Option(name: SettingOption.bind.names, help: "Send the import to this binding of the profile (default: the writer).")
    var bind: String?

    @Option(name: SettingOption.config.names, help: SettingOption.config.argumentHelp)
    var config: String?

    @Flag(name: SettingOption.echo.names, help: "Print every SQL statement sent to standard error (the bulk insert once).")
    var echo = false

    @Flag(name: SettingOption.verbose.names, help: SettingOption.verbose.argumentHelp)
    var verbose = false

    func validate() throws {
        if replace && upsert { throw ValidationError("give --replace or --upsert, not both") }
        if let delimiter, delimiter.utf8.count != 1 || delimiter.utf8.first! >= 0x80 {
            throw ValidationError("--delimiter takes one ASCII character")
        }
        if let inferRows, inferRows < 1 { throw ValidationError("--infer-rows takes a positive number") }
        if !primaryKey.isEmpty && !create { throw ValidationError("--pk goes with --create") }
    }

    /// The import the options ask for (the REPL's `\import` reads its options here too).
    var importOptions: ImportOptions {
        var options = ImportOptions(table: TableName(parsing: table))
        options.format = inputFormat ?? InputFormat(fileName: file) ?? .csv
        options.delimiter = delimiter?.utf8.first
        options.header = !noHeader
        options.nullText = nullText
        options.create = create
        options.primaryKey = primaryKey.flatMap { $0.split(separator: ",").map(String.init) }
        options.conflict = replace ? .replace : (upsert ? .upsert : .error)
        options.truncate = truncate
        options.dryRun = dryRun
        options.continueOnError = continueOnError
        options.inferRows = inferRows
        return options
    }

    func run() throws {
        var settings = Settings(readOnly: readOnly, echo: echo, create: create, verbose: verbose, bind: bind, config: config)
        settings.dryRun = dryRun
        let input: ImportInput
        do {
            input = try ImportInput.open(file, encoding: encoding)
        } catch {
            StandardError.line("soup: error: \(error)")
            throw ExitCode(ExitStatus.statementFailed)
        }
        let session = try CommandSession(settings: settings, database: database)
        defer { session.connection.close() }
        let bar = ProgressBar(environment: session.environment)
        var job = ImportJob(input: input, options: importOptions)
        job.onProgress = { bar.show($0) }
        let report: ImportReport
        do {
            defer { bar.clear() }
            report = try job.run(on: session.router, interrupts: session.interrupts)
        } catch {
            throw TransferFailure.exit(for: error, nothingDone: dryRun ? nil : "imported", interrupts: session.interrupts)
        }
        Self.print(report, options: importOptions, verbose: verbose)
        if report.skippedCount > 0 { throw ExitCode(ExitStatus.statementFailed) }
    }

    /// The CREATE TABLE and the count on standard output; skipped rows on standard error.
    static func print(_ report: ImportReport, options: ImportOptions, verbose: Bool, pendingNote: String = "") {
        Terminal.write(report.summary(dryRun: options.dryRun, showingCreate: options.dryRun || verbose, note: pendingNote), to: 1)
        for line in report.diagnostics { StandardError.line(line) }
    }
}

extension InputFormat: ChoiceArgument {}
extension ImportInput.Encoding: ChoiceArgument {}

/// How `soup import` and `soup copy` report a failure: the error (an input error with its
/// position), that nothing was kept, and the exit status.
enum TransferFailure {
    /// Prints `error` and returns the exit code to throw; `nothingDone` completes "nothing was
    /// …" (nil for a dry run, which keeps nothing anyway).
    static func exit(for error: any Error, nothingDone: String?, interrupts: InterruptMonitor) -> ExitCode {
        switch error {
        case let error as ImportError:
            StandardError.line(error.location == nil ? "soup: error: " + error.description : error.description)
        case let error as DatabaseError:
            StandardError.line("soup: error: " + error.report)
        default:
            StandardError.line("soup: error: \(error)")
        }
        if let nothingDone { StandardError.line("soup: nothing was \(nothingDone) (the transaction was rolled back)") }
        let cancelled = (error as? DatabaseError)?.kind == .cancelled || interrupts.wasInterrupted
        return ExitCode(cancelled ? ExitStatus.interrupted : ExitStatus.statementFailed)
    }
}

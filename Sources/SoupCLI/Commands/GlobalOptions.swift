import ArgumentParser
import SoupOutput

/// Options that every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: [.short, .customLong("format")],
        help: "Output format: table, wrapped, expanded, csv, tsv, json, jsonl, markdown or sql.")
    var format: OutputFormat = .table

    @Option(help: "Expanded display: on, off, or auto (expanded when the table would be wider than the terminal; the REPL's default).")
    var expanded: ExpandedMode?

    @Flag(help: "Refuse writes: SQLite opens the file read-only; PostgreSQL sessions are read-only.")
    var readOnly = false

    @Option(name: [.short, .customLong("bind")], help: "Send every statement to this binding of the profile (writer, reader, ...).")
    var bind: String?

    @Option(help: "The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).")
    var config: String?

    @Flag(help: "Print every SQL statement sent, with its parameters, to standard error.")
    var echo = false

    @Option(name: .customLong("null"), help: "Text shown for NULL in table, wrapped, expanded and markdown output (default: a dim empty-set sign on a colour terminal, else nothing).")
    var nullText: String?

    @Flag(help: "Never colour the output (NO_COLOR in the environment does the same).")
    var noColor = false

    @Flag(
        inversion: .prefixedNo,
        help: "Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).")
    var pager = true

    @Flag(help: "Print how long each statement took to standard error.")
    var timing = false

    @Option(help: "Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written).")
    var tx: TransactionMode = .file

    @Flag(help: "Run everything, then roll back.")
    var dryRun = false

    @Flag(help: "Create the SQLite database file when it does not exist.")
    var create = false

    @Flag(name: .shortAndLong, help: "Say more about what happens.")
    var verbose = false

    /// The values asked for.
    var settings: Settings {
        Settings(
            format: format, expanded: expanded, readOnly: readOnly, bind: bind, config: config, echo: echo, nullText: nullText,
            noColor: noColor, pager: pager, timing: timing, tx: tx, dryRun: dryRun, create: create, verbose: verbose)
    }
}

extension OutputFormat: ChoiceArgument {}

/// `--expanded`, `\x`: whether `table` and `wrapped` print as `expanded`.
enum ExpandedMode: String, ChoiceArgument, Sendable {
    case on, off
    /// Expanded when the table would be wider than the terminal.
    case auto
}

extension OutputOptions {
    /// Sets the expanded display: `on` turns `table` and `wrapped` into `expanded`; `auto` lets
    /// them print as `expanded` when they would be wider than the terminal.
    mutating func apply(_ mode: ExpandedMode) {
        expandsAutomatically = mode == .auto
        if mode == .on, format == .table || format == .wrapped { format = .expanded }
    }
}

/// How statements of a command are grouped into transactions (SPEC §4).
enum TransactionMode: String, ChoiceArgument, Sendable {
    /// Everything in one transaction: commit on success, roll back on the first error.
    case file
    /// Commit after each successful statement.
    case statement
    /// Exactly as written; an explicit COMMIT is needed.
    case none
}

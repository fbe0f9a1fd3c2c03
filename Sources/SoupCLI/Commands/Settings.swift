import SoupCore
import SoupOutput

/// What the options every command takes asked for, as plain values.
///
/// ArgumentParser's commands make it from ``GlobalOptions``, and ``FastCommandLine`` makes it
/// without ArgumentParser; sessions, runs and the REPL read only this, so both ways in run
/// the same code.
struct Settings: Equatable, Sendable {
    var format: OutputFormat = .table
    /// Nil: off, but `auto` in the REPL.
    var expanded: ExpandedMode?
    var readOnly = false
    var bind: String?
    var config: String?
    var echo = false
    var nullText: String?
    var noColor = false
    var pager = true
    var timing = false
    var tx: TransactionMode = .file
    var dryRun = false
    var create = false
    var verbose = false
    /// `--limit N`: results show at most N rows (nil: all, but 1,000 in the REPL; 0: all).
    var limit: Int?
    /// `--safe-updates`: refuse an UPDATE or DELETE of every row of a table.
    var safeUpdates = false
}

extension Settings {
    /// The settings of a command that only connects (`soup schema`, `soup import`): how to
    /// reach the database and what to say while doing it; the rest as the defaults.
    init(readOnly: Bool, echo: Bool, create: Bool, verbose: Bool, bind: String?, config: String?) {
        self.init()
        (self.readOnly, self.echo, self.create, self.verbose, self.bind, self.config) = (readOnly, echo, create, verbose, bind, config)
    }
}

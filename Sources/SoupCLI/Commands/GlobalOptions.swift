import ArgumentParser
import SoupCore
import SoupOutput

/// Options that every command takes; each one's names and help are declared in
/// ``SettingOption``.
struct GlobalOptions: ParsableArguments {
    @Option(name: SettingOption.format.names, help: SettingOption.format.argumentHelp)
    var format = Settings().format

    @Option(name: SettingOption.expanded.names, help: SettingOption.expanded.argumentHelp)
    var expanded: ExpandedMode?

    @Flag(name: SettingOption.readOnly.names, help: SettingOption.readOnly.argumentHelp)
    var readOnly = false

    @Option(name: SettingOption.bind.names, help: SettingOption.bind.argumentHelp)
    var bind: String?

    @Option(name: SettingOption.config.names, help: SettingOption.config.argumentHelp)
    var config: String?

    @Flag(name: SettingOption.echo.names, help: SettingOption.echo.argumentHelp)
    var echo = false

    @Option(name: SettingOption.nullText.names, help: SettingOption.nullText.argumentHelp)
    var nullText: String?

    @Flag(name: SettingOption.noColor.names, help: SettingOption.noColor.argumentHelp)
    var noColor = false

    @Flag(name: SettingOption.pager.names, inversion: .prefixedNo, help: SettingOption.pager.argumentHelp)
    var pager = Settings().pager

    @Flag(name: SettingOption.timing.names, help: SettingOption.timing.argumentHelp)
    var timing = false

    @Option(name: SettingOption.tx.names, help: SettingOption.tx.argumentHelp)
    var tx = Settings().tx

    @Flag(name: SettingOption.dryRun.names, help: SettingOption.dryRun.argumentHelp)
    var dryRun = false

    @Flag(name: SettingOption.create.names, help: SettingOption.create.argumentHelp)
    var create = false

    @Flag(name: SettingOption.verbose.names, help: SettingOption.verbose.argumentHelp)
    var verbose = false

    @Option(name: SettingOption.limit.names, help: SettingOption.limit.argumentHelp)
    var limit: Int?

    @Flag(name: SettingOption.safeUpdates.names, help: SettingOption.safeUpdates.argumentHelp)
    var safeUpdates = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit takes 0 (all rows) or more, not \(limit)") }
    }

    /// The values asked for.
    var settings: Settings {
        Settings(
            format: format, expanded: expanded, readOnly: readOnly, bind: bind, config: config, echo: echo, nullText: nullText,
            noColor: noColor, pager: pager, timing: timing, tx: tx, dryRun: dryRun, create: create, verbose: verbose,
            limit: limit, safeUpdates: safeUpdates)
    }
}

extension OutputFormat: ChoiceArgument {}

extension TransactionMode: ChoiceArgument {}

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

import ArgumentParser
import SoupCore
import SoupOutput

/// Options that every command takes; each one's names and help are declared in
/// ``SettingOption``.
struct GlobalOptions: ParsableArguments {
    @Option(name: SettingOption.format.names, help: SettingOption.format.argumentHelp)
    var format = Settings().format

    @Flag(name: SettingOption.readOnly.names, help: SettingOption.readOnly.argumentHelp)
    var readOnly = false

    @Option(name: SettingOption.bind.names, help: SettingOption.bind.argumentHelp)
    var bind: String?

    @Option(name: SettingOption.config.names, help: SettingOption.config.argumentHelp)
    var config: String?

    @Flag(name: SettingOption.echo.names, help: SettingOption.echo.argumentHelp)
    var echo = false

    @Option(name: SettingOption.nullText.names, help: SettingOption.nullText.argumentHelp)
    var nullText = Settings().nullText

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

    /// The values asked for.
    var settings: Settings {
        Settings(
            format: format, readOnly: readOnly, bind: bind, config: config, echo: echo, nullText: nullText,
            noColor: noColor, pager: pager, timing: timing, tx: tx, dryRun: dryRun, create: create, verbose: verbose)
    }
}

extension OutputFormat: ChoiceArgument {}

extension TransactionMode: ChoiceArgument {}

import ArgumentParser
import SoupCore
import SoupOutput

/// An option every command takes, declared once: its spellings, whether it takes a value, its
/// help, and how it sets its field of ``Settings``.
///
/// ``GlobalOptions`` gives ArgumentParser each option's names and help from here, and
/// ``FastCommandLine`` reads command lines by these spellings, so the two cannot drift apart
/// (`FastCommandLineTests` checks them against each other on generated command lines).
struct SettingOption: Sendable {
    let long: String
    let short: Character?
    /// Whether the next argument is its value; a flag has none.
    let takesValue: Bool
    let help: String
    /// Every spelling: `-f`, `--format`; `--pager` and `--no-pager`.
    let spellings: [String]
    /// Sets the field from the option's value (a flag's is the spelling used); false when the
    /// value is not one of the option's words.
    let set: @Sendable (inout Settings, String) -> Bool

    private init(
        _ long: String, short: Character? = nil, takesValue: Bool, inversion: Bool = false, help: String,
        set: @escaping @Sendable (inout Settings, String) -> Bool
    ) {
        self.long = long
        self.short = short
        self.takesValue = takesValue
        self.help = help
        spellings = (short.map { ["-" + String($0)] } ?? []) + ["--" + long] + (inversion ? ["--no-" + long] : [])
        self.set = set
    }

    /// A flag that sets its field to true.
    private static func flag(
        _ long: String, short: Character? = nil, help: String, _ set: @escaping @Sendable (inout Settings) -> Void
    ) -> SettingOption {
        SettingOption(long, short: short, takesValue: false, help: help) { settings, _ in
            set(&settings)
            return true
        }
    }

    /// An option whose value is any text.
    private static func text(
        _ long: String, short: Character? = nil, help: String, _ set: @escaping @Sendable (inout Settings, String) -> Void
    ) -> SettingOption {
        SettingOption(long, short: short, takesValue: true, help: help) { settings, value in
            set(&settings, value)
            return true
        }
    }

    /// An option whose value is one of a fixed set of words.
    private static func choice<Choice: ChoiceArgument>(
        _ long: String, short: Character? = nil, help: String, _ set: @escaping @Sendable (inout Settings, Choice) -> Void
    ) -> SettingOption {
        SettingOption(long, short: short, takesValue: true, help: help) { settings, value in
            guard let choice = Choice(rawValue: value) else { return false }
            set(&settings, choice)
            return true
        }
    }

    /// ArgumentParser's names for the option.
    var names: NameSpecification {
        NameSpecification((short.map { [.customShort($0)] } ?? []) + [.customLong(long)])
    }

    var argumentHelp: ArgumentHelp { ArgumentHelp(stringLiteral: help) }
}

extension SettingOption {
    static let format = choice(
        "format", short: "f", help: "Output format: table, expanded, csv, tsv, json, jsonl, markdown or sql."
    ) { (settings, format: OutputFormat) in settings.format = format }
    static let readOnly = flag(
        "read-only", help: "Refuse writes: SQLite opens the file read-only; PostgreSQL sessions are read-only."
    ) { $0.readOnly = true }
    static let bind = text(
        "bind", short: "b", help: "Send every statement to this binding of the profile (writer, reader, ...)."
    ) { $0.bind = $1 }
    static let config = text(
        "config", help: "The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml)."
    ) { $0.config = $1 }
    static let echo = flag("echo", help: "Print every SQL statement sent, with its parameters, to standard error.") {
        $0.echo = true
    }
    static let nullText = text("null", help: "Text shown for NULL in table, expanded and markdown output.") {
        $0.nullText = $1
    }
    static let noColor = flag("no-color", help: "Never colour the output (NO_COLOR in the environment does the same).") {
        $0.noColor = true
    }
    static let pager = SettingOption(
        "pager", takesValue: false, inversion: true,
        help: "Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX)."
    ) { settings, spelling in
        settings.pager = spelling != "--no-pager"
        return true
    }
    static let timing = flag("timing", help: "Print how long each statement took to standard error.") { $0.timing = true }
    static let tx = choice(
        "tx",
        help: "Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written)."
    ) { (settings, mode: TransactionMode) in settings.tx = mode }
    static let dryRun = flag(
        "dry-run", help: "Run everything in one transaction, then roll back (refused for a script that manages transactions)."
    ) { $0.dryRun = true }
    static let create = flag("create", help: "Create the SQLite database file when it does not exist.") { $0.create = true }
    static let verbose = flag("verbose", short: "v", help: "Say more about what happens.") { $0.verbose = true }

    /// Every option of ``GlobalOptions``.
    static let all = [format, readOnly, bind, config, echo, nullText, noColor, pager, timing, tx, dryRun, create, verbose]

    /// The connection options, which `soup schema` takes (its `-f` names a schema format).
    static let connection = [bind, config, readOnly, echo, create, verbose]

    /// The option spelled `spelling` among `options`.
    static func spelled(_ spelling: String, among options: [SettingOption] = all) -> SettingOption? {
        options.first { $0.spellings.contains(spelling) }
    }
}

extension Settings {
    /// The settings that `options` set, given each option's value by its long name; nil when a
    /// value is not one of its option's words.
    init?(given values: [String: String], among options: [SettingOption] = SettingOption.all) {
        self.init()
        for option in options {
            guard let value = values[option.long] else { continue }
            guard option.set(&self, value) else { return nil }
        }
    }
}

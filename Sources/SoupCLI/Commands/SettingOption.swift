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
    /// How the option sets its field.
    enum Setter: Sendable {
        /// A flag: turns its field on.
        case flag(@Sendable (inout Settings) -> Void)
        /// A flag with a `--no-` form: sets its field to whether the plain form was given.
        case inversion(@Sendable (inout Settings, Bool) -> Void)
        /// Takes any text.
        case text(@Sendable (inout Settings, String) -> Void)
        /// Takes one of a fixed set of words.
        case choice(@Sendable (inout Settings, String) -> Bool)

        /// A choice among the raw values of `Choice`.
        static func choosing<Choice: ChoiceArgument>(_ set: @escaping @Sendable (inout Settings, Choice) -> Void) -> Setter {
            .choice { settings, word in
                guard let choice = Choice(rawValue: word) else { return false }
                set(&settings, choice)
                return true
            }
        }
    }

    /// `--format`; also the option's key in ``Settings/init(given:)``.
    let long: String
    /// `-f`.
    let short: String?
    let setter: Setter
    let help: String

    init(_ long: String, short: String? = nil, _ setter: Setter, help: String) {
        self.long = long
        self.short = short
        self.setter = setter
        self.help = help
    }

    /// Whether the next argument is its value; a flag has none.
    var takesValue: Bool {
        switch setter {
        case .flag, .inversion: false
        case .text, .choice: true
        }
    }

    /// Whether `word` spells this option.
    func isSpelled(_ word: String) -> Bool {
        if word == long || word == short { return true }
        guard case .inversion = setter else { return false }
        return word.hasPrefix("--no-") && word.dropFirst(5) == long.dropFirst(2)
    }

    /// Sets the field from the option's value (a flag's is the spelling used); false when the
    /// value is not one of the option's words.
    func set(_ settings: inout Settings, _ value: String) -> Bool {
        switch setter {
        case .flag(let set): set(&settings)
        case .inversion(let set): set(&settings, value == long)
        case .text(let set): set(&settings, value)
        case .choice(let set): return set(&settings, value)
        }
        return true
    }

    /// ArgumentParser's names for the option.
    var names: NameSpecification {
        NameSpecification((short.map { [.customShort($0.last!)] } ?? []) + [.customLong(String(long.dropFirst(2)))])
    }

    var argumentHelp: ArgumentHelp { ArgumentHelp(stringLiteral: help) }
}

extension SettingOption {
    static var format: SettingOption {
        SettingOption(
            "--format", short: "-f", .choosing { (settings, format: OutputFormat) in settings.format = format },
            help: "Output format: table, wrapped, expanded, csv, tsv, json, jsonl, markdown or sql.")
    }

    static var expanded: SettingOption {
        SettingOption(
            "--expanded", .choosing { (settings, mode: ExpandedMode) in settings.expanded = mode },
            help: "Expanded display: on, off, or auto (expanded when the table would be wider than the terminal; the REPL's default).")
    }

    static var readOnly: SettingOption {
        SettingOption(
            "--read-only", .flag { $0.readOnly = true },
            help: "Refuse writes: SQLite opens the file read-only; every PostgreSQL transaction is READ ONLY.")
    }

    static var bind: SettingOption {
        SettingOption(
            "--bind", short: "-b", .text { $0.bind = $1 },
            help: "Send every statement to this binding of the profile (writer, reader, ...).")
    }

    static var config: SettingOption {
        SettingOption(
            "--config", .text { $0.config = $1 },
            help: "The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).")
    }

    static var echo: SettingOption {
        SettingOption(
            "--echo", .flag { $0.echo = true }, help: "Print every SQL statement sent, with its parameters, to standard error.")
    }

    static var nullText: SettingOption {
        SettingOption(
            "--null", .text { $0.nullText = $1 },
            help: "Text shown for NULL in table, wrapped, expanded and markdown output (default: a dim empty-set sign on a colour terminal, else nothing).")
    }

    static var noColor: SettingOption {
        SettingOption("--no-color", .flag { $0.noColor = true }, help: "Never colour the output (NO_COLOR in the environment does the same).")
    }

    static var pager: SettingOption {
        SettingOption(
            "--pager", .inversion { $0.pager = $1 },
            help: "Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).")
    }

    static var timing: SettingOption {
        SettingOption("--timing", .flag { $0.timing = true }, help: "Print how long each statement took to standard error.")
    }

    static var tx: SettingOption {
        SettingOption(
            "--tx", .choosing { (settings, mode: TransactionMode) in settings.tx = mode },
            help: "Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written).")
    }

    static var dryRun: SettingOption {
        SettingOption(
            "--dry-run", .flag { $0.dryRun = true },
            help: "Run everything in one transaction, then roll back (refused for a script that manages transactions).")
    }

    static var create: SettingOption {
        SettingOption("--create", .flag { $0.create = true }, help: "Create the SQLite database file when it does not exist.")
    }

    static var verbose: SettingOption {
        SettingOption("--verbose", short: "-v", .flag { $0.verbose = true }, help: "Say more about what happens.")
    }

    static var limit: SettingOption {
        SettingOption(
            "--limit",
            .choice { settings, word in
                guard let rows = Int(word), rows >= 0 else { return false }
                settings.limit = rows
                return true
            },
            help: "Show at most N rows of each result, and say so in the footer; the rest is not read (the REPL's default is 1,000; 0 shows all).")
    }

    static var safeUpdates: SettingOption {
        SettingOption(
            "--safe-updates", .flag { $0.safeUpdates = true },
            help: "Refuse an UPDATE or DELETE without WHERE, and update() or delete() of an unfiltered entity.")
    }

    /// How many options ``GlobalOptions`` has; ``global(_:)`` takes 0 up to this.
    static let globalCount = 16

    /// The options of ``GlobalOptions``, in order. (A switch rather than an array, and no
    /// optional: an array or an optional of options needs runtime type metadata, which costs the
    /// fast path more at every start than anything it saves.)
    static func global(_ index: Int) -> SettingOption {
        switch index {
        case 0: format
        case 1: expanded
        case 2: readOnly
        case 3: bind
        case 4: config
        case 5: echo
        case 6: nullText
        case 7: noColor
        case 8: pager
        case 9: timing
        case 10: tx
        case 11: dryRun
        case 12: create
        case 13: verbose
        case 14: limit
        case 15: safeUpdates
        default: preconditionFailure("GlobalOptions has \(globalCount) options, not \(index + 1)")
        }
    }

    /// The connection options, which `soup schema` takes (its `-f` names a schema format).
    static let connection = [bind, config, readOnly, echo, create, verbose]
}

extension Settings {
    /// The settings that the options of ``GlobalOptions`` set, given each option's value by its
    /// long spelling; nil when a value is not one of its option's words.
    init?(given values: [String: String]) {
        self.init()
        guard !values.isEmpty else { return }
        for index in 0..<SettingOption.globalCount {
            let option = SettingOption.global(index)
            if let value = values[option.long], !option.set(&self, value) { return nil }
        }
    }

    /// The same for the connection options only (`soup schema`).
    init?(givenConnection values: [String: String]) {
        self.init()
        for option in SettingOption.connection {
            if let value = values[option.long], !option.set(&self, value) { return nil }
        }
    }
}

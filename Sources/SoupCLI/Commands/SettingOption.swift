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
    /// `--format`; also the option's key in ``Settings/init(given:among:)``.
    let long: String
    /// `-f`.
    let short: String?
    /// `--no-pager`, for a flag that can be turned off.
    let negation: String?
    /// Whether the next argument is its value; a flag has none.
    let takesValue: Bool
    let help: String
    /// Sets the field from the option's value (a flag's is the spelling used); false when the
    /// value is not one of the option's words. (Closures that capture nothing, and spellings
    /// that are literals: the fast path builds this table at every start.)
    let set: @Sendable (inout Settings, String) -> Bool

    /// Whether `word` spells this option.
    func isSpelled(_ word: String) -> Bool {
        word == long || word == short || word == negation
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
            long: "--format", short: "-f", negation: nil, takesValue: true,
            help: "Output format: table, expanded, csv, tsv, json, jsonl, markdown or sql."
        ) { settings, value in
            guard let format = OutputFormat(rawValue: value) else { return false }
            settings.format = format
            return true
        }
    }

    static var readOnly: SettingOption {
        SettingOption(
            long: "--read-only", short: nil, negation: nil, takesValue: false,
            help: "Refuse writes: SQLite opens the file read-only; PostgreSQL sessions are read-only."
        ) { settings, _ in
            settings.readOnly = true
            return true
        }
    }

    static var bind: SettingOption {
        SettingOption(
            long: "--bind", short: "-b", negation: nil, takesValue: true,
            help: "Send every statement to this binding of the profile (writer, reader, ...)."
        ) { settings, value in
            settings.bind = value
            return true
        }
    }

    static var config: SettingOption {
        SettingOption(
            long: "--config", short: nil, negation: nil, takesValue: true,
            help: "The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml)."
        ) { settings, value in
            settings.config = value
            return true
        }
    }

    static var echo: SettingOption {
        SettingOption(
            long: "--echo", short: nil, negation: nil, takesValue: false,
            help: "Print every SQL statement sent, with its parameters, to standard error."
        ) { settings, _ in
            settings.echo = true
            return true
        }
    }

    static var nullText: SettingOption {
        SettingOption(
            long: "--null", short: nil, negation: nil, takesValue: true,
            help: "Text shown for NULL in table, expanded and markdown output."
        ) { settings, value in
            settings.nullText = value
            return true
        }
    }

    static var noColor: SettingOption {
        SettingOption(
            long: "--no-color", short: nil, negation: nil, takesValue: false,
            help: "Never colour the output (NO_COLOR in the environment does the same)."
        ) { settings, _ in
            settings.noColor = true
            return true
        }
    }

    static var pager: SettingOption {
        SettingOption(
            long: "--pager", short: nil, negation: "--no-pager", takesValue: false,
            help: "Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX)."
        ) { settings, spelling in
            settings.pager = spelling != "--no-pager"
            return true
        }
    }

    static var timing: SettingOption {
        SettingOption(
            long: "--timing", short: nil, negation: nil, takesValue: false,
            help: "Print how long each statement took to standard error."
        ) { settings, _ in
            settings.timing = true
            return true
        }
    }

    static var tx: SettingOption {
        SettingOption(
            long: "--tx", short: nil, negation: nil, takesValue: true,
            help: "Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written)."
        ) { settings, value in
            guard let mode = TransactionMode(rawValue: value) else { return false }
            settings.tx = mode
            return true
        }
    }

    static var dryRun: SettingOption {
        SettingOption(
            long: "--dry-run", short: nil, negation: nil, takesValue: false,
            help: "Run everything in one transaction, then roll back (refused for a script that manages transactions)."
        ) { settings, _ in
            settings.dryRun = true
            return true
        }
    }

    static var create: SettingOption {
        SettingOption(
            long: "--create", short: nil, negation: nil, takesValue: false,
            help: "Create the SQLite database file when it does not exist."
        ) { settings, _ in
            settings.create = true
            return true
        }
    }

    static var verbose: SettingOption {
        SettingOption(
            long: "--verbose", short: "-v", negation: nil, takesValue: false, help: "Say more about what happens."
        ) { settings, _ in
            settings.verbose = true
            return true
        }
    }

    /// How many options ``GlobalOptions`` has; ``global(_:)`` takes 0 up to this.
    static let globalCount = 13

    /// The options of ``GlobalOptions``, in order. (A switch rather than an array, and no
    /// optional: an array or an optional of options needs runtime type metadata, which costs the
    /// fast path more at every start than anything it saves.)
    static func global(_ index: Int) -> SettingOption {
        switch index {
        case 0: format
        case 1: readOnly
        case 2: bind
        case 3: config
        case 4: echo
        case 5: nullText
        case 6: noColor
        case 7: pager
        case 8: timing
        case 9: tx
        case 10: dryRun
        case 11: create
        case 12: verbose
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

import SoupCore
import SoupOutput
import SoupReflection

/// The command lines people type most, read without ArgumentParser.
///
/// ArgumentParser builds each command's arguments by reflection on every run: about 13 M
/// instructions (3 to 4 ms) before soup does anything, several times what all of
/// `sqlite3 DB 'select 1'` costs. This reader takes the common shapes (a command word, its
/// positionals, and the spellings of ``GlobalOptions`` and the command's own options, each at
/// most once, a value in the argument after its option) and returns nil for anything else:
/// `--help`, `--version`, completion requests, `--`, `--name=value`, combined short flags, a
/// repeated option, a positional or value that begins with `-` (other than `-` itself), a word
/// that is not one of an option's choices, too few or too many positionals, `soup demo`.
/// ArgumentParser then parses, reports and explains those as always.
///
/// Whenever it returns an invocation, it is the one ArgumentParser makes of the same
/// arguments: `FastCommandLineTests` checks that over generated command lines, and that every
/// option ArgumentParser declares for these commands is known here.
enum FastCommandLine {
    /// The invocation `arguments` (without the program name) ask for, or nil when
    /// ArgumentParser must read them.
    static func invocation(for arguments: [String]) -> Invocation? {
        switch arguments.first {
        case "query":
            guard let line = databaseAndItems(arguments.dropFirst(), options: querying) else { return nil }
            var request = ScriptRequest(
                database: line.database, source: .statements(line.items), continueOnError: line.continueOnError,
                settings: line.settings)
            if let seconds = line.watch {
                guard let value = Double(seconds), (0.01...86400).contains(value) else { return nil }
                request.watch = Watch(interval: .milliseconds(Int64((value * 1000).rounded())))
            }
            return .query(request)
        case "run":
            guard let line = databaseAndItems(arguments.dropFirst()) else { return nil }
            return .run(
                ScriptRequest(
                    database: line.database, source: .files(line.items), continueOnError: line.continueOnError,
                    settings: line.settings))
        case "tables":
            guard let words = Words(arguments.dropFirst(), options: tablesOption),
                words.positionals.count <= 1, let settings = words.settings
            else { return nil }
            return .tables(
                TablesCommand.Request(
                    database: words.positionals.first, counts: words.has("counts"), schema: words.value("schema"),
                    settings: settings))
        case "status":
            guard let words = Words(arguments.dropFirst(), options: statusOption),
                words.positionals.count <= 1, let settings = words.settings
            else { return nil }
            return .status(
                StatusCommand.Request(database: words.positionals.first, json: words.has("json"), settings: settings))
        case "schema":
            return schema(arguments.dropFirst())
        case "open":
            return open(arguments.dropFirst())
        case "demo", "help", "import", "copy":
            return nil
        default:
            // ArgumentParser runs the default command, open, on everything that does not
            // start with another command's name.
            return open(arguments[...])
        }
    }

    /// What `query` and `run` were given. A struct, not a tuple: the runtime builds a tuple's
    /// type from its mangled name at first use, 66,000 of the 1.1 M instructions of `SELECT 1`.
    private struct ScriptLine {
        var database: String
        var items: [String]
        var continueOnError: Bool
        var settings: Settings
        var watch: String?
    }

    /// `query` and `run`: the database or the first statement or file, then the others.
    private static func databaseAndItems(
        _ arguments: ArraySlice<String>, options: (String) -> Option? = continuing
    ) -> ScriptLine? {
        guard let words = Words(arguments, options: options), words.positionals.count >= 1,
            let settings = words.settings
        else { return nil }
        return ScriptLine(
            database: words.positionals[0], items: Array(words.positionals.dropFirst()),
            continueOnError: words.has("continue"), settings: settings, watch: words.value("watch"))
    }

    private static func open(_ arguments: ArraySlice<String>) -> Invocation? {
        guard let words = Words(arguments, options: continuing),
            words.positionals.count <= 1, let settings = words.settings
        else { return nil }
        let script = ScriptRequest(
            database: words.positionals.first, source: .files(["-"]), continueOnError: words.has("continue"),
            settings: settings)
        return .open(OpenCommand.Request(script: script))
    }

    private static func schema(_ arguments: ArraySlice<String>) -> Invocation? {
        guard let words = Words(arguments, options: schemaOption) else { return nil }
        var format = SchemaFormat.text
        if let text = words.value("format") {
            guard let chosen = SchemaFormat(rawValue: text) else { return nil }
            format = chosen
        }
        guard let settings = Settings(givenConnection: words.given) else { return nil }
        return .schema(
            SchemaCommand.Request(
                database: words.positionals.first, tables: Array(words.positionals.dropFirst()), format: format,
                schema: words.value("schema"), settings: settings))
    }

    // MARK: - Spellings

    /// Whether an option is a flag or takes the next argument as its value.
    private enum Arity {
        case flag
        case value
    }

    /// An option's key (the same for all its spellings) and arity.
    private typealias Option = (key: String, arity: Arity)

    /// ``GlobalOptions``, by spelling; an option's key is its long spelling.
    private static func global(_ spelling: String) -> Option? {
        for index in 0..<SettingOption.globalCount {
            let option = SettingOption.global(index)
            if option.isSpelled(spelling) { return (option.long, option.takesValue ? .value : .flag) }
        }
        return nil
    }

    /// Open, query and run: ``GlobalOptions`` and `--continue`.
    private static func continuing(_ spelling: String) -> Option? {
        spelling == "--continue" ? ("continue", .flag) : global(spelling)
    }

    /// Query: ``continuing`` and `--watch`.
    private static func querying(_ spelling: String) -> Option? {
        spelling == "--watch" ? ("watch", .value) : continuing(spelling)
    }

    private static func tablesOption(_ spelling: String) -> Option? {
        switch spelling {
        case "--counts": ("counts", .flag)
        case "--schema": ("schema", .value)
        default: global(spelling)
        }
    }

    private static func statusOption(_ spelling: String) -> Option? {
        spelling == "--json" ? ("json", .flag) : global(spelling)
    }

    /// ``SchemaCommand`` declares its own options: its `-f` names a schema format, and of the
    /// others it takes the connection options.
    private static func schemaOption(_ spelling: String) -> Option? {
        switch spelling {
        case "--schema": ("schema", .value)
        case "-f", "--format": ("format", .value)
        default:
            SettingOption.connection.contains { $0.isSpelled(spelling) } ? global(spelling) : nil
        }
    }

    /// A command's arguments sorted into positionals and options.
    private struct Words {
        var positionals: [String] = []
        /// The value of each option given, by key; for a flag, the spelling used.
        var given: [String: String] = [:]

        /// Nil when an argument is not of the simple shapes this reader takes.
        init?(_ arguments: ArraySlice<String>, options: (String) -> Option?) {
            var remaining = arguments[...]
            while let argument = remaining.popFirst() {
                guard Self.isValue(argument) else {
                    guard let option = options(argument), given[option.key] == nil else { return nil }
                    switch option.arity {
                    case .flag:
                        given[option.key] = argument
                    case .value:
                        guard let value = remaining.popFirst(), Self.isValue(value) else { return nil }
                        given[option.key] = value
                    }
                    continue
                }
                positionals.append(argument)
            }
        }

        /// Whether ArgumentParser reads `argument` as a value rather than an option.
        private static func isValue(_ argument: String) -> Bool {
            argument == "-" || !argument.hasPrefix("-")
        }

        func has(_ key: String) -> Bool { given[key] != nil }

        func value(_ key: String) -> String? { given[key] }

        /// The ``GlobalOptions`` given; nil when a choice is not one of its words.
        var settings: Settings? { Settings(given: given) }
    }
}

import SoupDriver

/// A config file error, naming the file, the line and the key.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// The dotted key, e.g. `profile.app.bindings.writer.url`.
    public var key: String
    public var message: String

    public var description: String { "\(file):\(line): \(key): \(message)" }
}

/// Read-your-writes after a write (docs/routing-rules.md, section 5).
public enum StickyMode: String, Sendable, CaseIterable {
    /// Reads go to the reader at once.
    case off
    /// Reads stay on the writer for `sticky_window` after a write.
    case time
    /// Reads wait up to `lsn_wait_timeout` for the reader to replay the write, else use the writer.
    case lsn
}

/// One named connection of a profile.
public struct BindingConfig: Sendable, Equatable {
    public var name: String
    /// The `DB` argument: a URL, a libpq keyword string or a SQLite path.
    public var url: String
    public var locator: DatabaseLocator

    public init(name: String, url: String, locator: DatabaseLocator) {
        self.name = name
        self.url = url
        self.locator = locator
    }

    /// The URL with any password masked.
    public var displayURL: String { ConnectionString.redacted(url) }
}

/// A named set of bindings and how statements are routed among them.
public struct Profile: Sendable, Equatable {
    public var name: String
    public var sticky: StickyMode = .off
    public var stickyWindow: Duration = .seconds(2)
    public var lsnWaitTimeout: Duration = .milliseconds(500)
    public var readOnly = false
    /// In file order; `writer` is required, `reader` and `logger` have their roles by name.
    public var bindings: [BindingConfig] = []

    /// `pool_mode`: what the pooler in front of the servers keeps between transactions.
    public var poolMode = PoolMode.session

    public init(name: String, bindings: [BindingConfig] = []) {
        self.name = name
        self.bindings = bindings
    }

    /// A profile made of one database: everything goes to it.
    public static func single(url: String, locator: DatabaseLocator) -> Profile {
        Profile(name: "", bindings: [BindingConfig(name: Binding.writer, url: url, locator: locator)])
    }

    public func binding(named name: String) -> BindingConfig? {
        bindings.first { $0.name == name }
    }
}

/// The binding names with a role.
public enum Binding {
    public static let writer = "writer"
    public static let reader = "reader"
    public static let logger = "logger"
}

/// The config file: profiles and the default one, and the REPL's settings (the README's
/// "Profiles and read/write routing" shows one).
public struct RoutingConfig: Sendable, Equatable {
    public var file: String
    public var defaultProfile: String?
    public var profiles: [String: Profile]
    /// `suggest = false` turns the REPL's suggestions from history off; nil when not set.
    public var suggest: Bool?

    /// Reads and checks a config file's text; errors name `file`, the line and the key.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> RoutingConfig {
        var builder = Builder(file: file)
        for entry in try TOMLReader.entries(of: text, file: file) {
            try builder.add(entry)
        }
        return try builder.finish()
    }

    /// Reads the config file at `path`.
    public static func load(path: String) throws(ConfigError) -> RoutingConfig {
        guard let text = TextFile.read(path) else {
            throw ConfigError(file: path, line: 0, key: "(file)", message: "cannot read the config file")
        }
        return try parse(text, file: path)
    }

    /// The profile named `name`.
    public func profile(named name: String) -> Profile? { profiles[name] }
}

/// Collects entries into profiles, checking keys and types as they come.
private struct Builder {
    let file: String
    var defaultProfile: (name: String, line: Int)?
    var suggest: Bool?
    var profiles: [String: Profile] = [:]
    var profileLines: [String: Int] = [:]
    /// The line of each binding's table, by `profile.bindings.name`.
    var bindingLines: [String: Int] = [:]

    init(file: String) {
        self.file = file
    }

    private func fail(_ entry: TOMLEntry, _ message: String) -> ConfigError {
        ConfigError(file: file, line: entry.line, key: entry.path.joined(separator: "."), message: message)
    }

    mutating func add(_ entry: TOMLEntry) throws(ConfigError) {
        let path = entry.path
        if path == ["default"] {
            defaultProfile = (try string(entry), entry.line)
            return
        }
        if path == ["suggest"] {
            guard case .boolean(let flag) = entry.value else { throw typeError(entry, expected: "a boolean (true or false)") }
            suggest = flag
            return
        }
        guard path.first == "profile" else { throw fail(entry, "unknown key (known: default, suggest, profile)") }
        if path.count == 1 {
            guard entry.value == nil else { throw fail(entry, "'profile' must be a table: [profile.NAME]") }
            return
        }
        let name = path[1]
        if profiles[name] == nil {
            profiles[name] = Profile(name: name)
            profileLines[name] = entry.line
        }
        let rest = Array(path.dropFirst(2))
        if rest.isEmpty {
            guard entry.value == nil else { throw fail(entry, "a profile must be a table: [profile.\(name)]") }
            return
        }
        switch rest[0] {
        case "sticky":
            let text = try string(entry)
            guard let mode = StickyMode(rawValue: text) else {
                throw fail(entry, "expected one of off, time, lsn; got \(ConnectionString.quoted(text))")
            }
            profiles[name]?.sticky = mode
        case "sticky_window":
            let window = try duration(entry)
            profiles[name]?.stickyWindow = window
        case "lsn_wait_timeout":
            let timeout = try duration(entry)
            profiles[name]?.lsnWaitTimeout = timeout
        case "read_only":
            guard case .boolean(let flag) = entry.value else { throw typeError(entry, expected: "a boolean (true or false)") }
            profiles[name]?.readOnly = flag
        case "pool_mode":
            let text = try string(entry)
            guard let mode = PoolMode(rawValue: text) else {
                throw fail(entry, "expected session or transaction; got \(ConnectionString.quoted(text))")
            }
            profiles[name]?.poolMode = mode
        case "bindings" where rest.count == 1:
            guard entry.value == nil else { throw fail(entry, "bindings must be tables: [profile.\(name).bindings.NAME]") }
        case "bindings":
            try addBinding(entry, profile: name, binding: rest[1], keys: Array(rest.dropFirst(2)))
        default:
            throw fail(entry, "unknown key (known: sticky, sticky_window, lsn_wait_timeout, read_only, pool_mode, bindings)")
        }
    }

    private mutating func addBinding(_ entry: TOMLEntry, profile: String, binding: String, keys: [String]) throws(ConfigError) {
        let bindingKey = "\(profile).bindings.\(binding)"
        if bindingLines[bindingKey] == nil { bindingLines[bindingKey] = entry.line }
        if keys.isEmpty {
            guard entry.value == nil else { throw fail(entry, "a binding must be a table: [profile.\(profile).bindings.\(binding)]") }
            if profiles[profile]?.binding(named: binding) == nil {
                profiles[profile]?.bindings.append(BindingConfig(name: binding, url: "", locator: .profile("")))
            }
            return
        }
        guard keys == ["url"] else { throw fail(entry, "unknown key (known: url)") }
        let url = try string(entry)
        let locator: DatabaseLocator
        do {
            locator = try DatabaseLocator.parse(url, fileExists: { _ in false })
        } catch {
            throw fail(entry, "not a database URL: \(error.reason)")
        }
        if case .profile = locator {
            throw fail(entry, "not a database URL: \(ConnectionString.quoted(url)) (expected postgresql://..., sqlite:///PATH or a file ending in .db)")
        }
        let config = BindingConfig(name: binding, url: url, locator: locator)
        if let index = profiles[profile]?.bindings.firstIndex(where: { $0.name == binding }) {
            profiles[profile]?.bindings[index] = config
        } else {
            profiles[profile]?.bindings.append(config)
        }
    }

    private func string(_ entry: TOMLEntry) throws(ConfigError) -> String {
        guard case .string(let text) = entry.value else { throw typeError(entry, expected: "a string") }
        return text
    }

    private func typeError(_ entry: TOMLEntry, expected: String) -> ConfigError {
        fail(entry, "expected \(expected), got \(entry.value?.typeName ?? "a table")")
    }

    /// `"500ms"`, `"2s"`, `"1.5s"`, `"1m"`; at most a day.
    private func duration(_ entry: TOMLEntry) throws(ConfigError) -> Duration {
        let text = try string(entry)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            // `number <= ...` is false for NaN; the bound keeps the conversion to Int64 in range.
            if let number = Double(text.dropLast(suffix.count)), number >= 0, number * seconds <= 86_400 {
                return .milliseconds(Int64((number * seconds * 1000).rounded()))
            }
        }
        throw fail(entry, "expected a duration up to a day such as \"500ms\", \"2s\" or \"1m\"; got \(ConnectionString.quoted(text))")
    }

    func finish() throws(ConfigError) -> RoutingConfig {
        // In file order, so the error reported is the same on every run.
        for (name, profile) in profiles.sorted(by: { profileLines[$0.key] ?? 0 < profileLines[$1.key] ?? 0 }) {
            let line = profileLines[name] ?? 0
            let key = "profile.\(name)"
            guard let writer = profile.binding(named: Binding.writer) else {
                throw ConfigError(file: file, line: line, key: key, message: "the profile has no writer binding ([\(key).bindings.writer] with a url)")
            }
            for binding in profile.bindings where binding.url.isEmpty {
                throw ConfigError(
                    file: file, line: bindingLines["\(name).bindings.\(binding.name)"] ?? line,
                    key: "\(key).bindings.\(binding.name).url", message: "missing url")
            }
            for binding in profile.bindings where binding.name != Binding.logger && !binding.locator.sameEngine(as: writer.locator) {
                throw ConfigError(
                    file: file, line: bindingLines["\(name).bindings.\(binding.name)"] ?? line,
                    key: "\(key).bindings.\(binding.name).url",
                    message: "binding '\(binding.name)' is on another kind of database than the writer")
            }
        }
        if let defaultProfile, profiles[defaultProfile.name] == nil {
            throw ConfigError(
                file: file, line: defaultProfile.line, key: "default",
                message: "no profile named \(ConnectionString.quoted(defaultProfile.name)) (profiles: \(profiles.keys.sorted().joined(separator: ", ")))")
        }
        return RoutingConfig(file: file, defaultProfile: defaultProfile?.name, profiles: profiles, suggest: suggest)
    }
}

extension DatabaseLocator {
    /// Whether both name the same kind of database (SQLite or PostgreSQL).
    func sameEngine(as other: DatabaseLocator) -> Bool {
        switch (self, other) {
        case (.sqlite, .sqlite), (.postgres, .postgres): true
        default: false
        }
    }
}

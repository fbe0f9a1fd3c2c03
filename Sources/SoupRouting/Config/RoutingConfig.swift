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

/// How far behind the writer a reader may be and still take reads (`max_lag`).
public enum MaxLag: Sendable, Equatable, CustomStringConvertible {
    /// Seconds since the last replayed commit, while WAL waits to be replayed.
    case time(Duration)
    /// WAL bytes received (or written on the writer) but not yet replayed.
    case bytes(Int)

    public var description: String {
        switch self {
        case .time(let duration): "\(Int((duration.seconds * 1000).rounded())) ms"
        case .bytes(let bytes): "\(bytes) bytes"
        }
    }
}

/// One server of a binding: a reader may name several (`urls`).
public struct BindingServer: Sendable, Equatable {
    public var url: String
    public var locator: DatabaseLocator
}

/// One named connection of a profile.
public struct BindingConfig: Sendable, Equatable {
    public var name: String
    /// The `DB` argument: a URL, a libpq keyword string or a SQLite path (the first server's).
    public var url: String
    public var locator: DatabaseLocator
    /// Every server of the binding, the first being `url`; reads are spread over a reader's.
    public var servers: [BindingServer]

    public init(name: String, url: String, locator: DatabaseLocator) {
        self.name = name
        self.url = url
        self.locator = locator
        servers = [BindingServer(url: url, locator: locator)]
    }

    /// A binding over several servers (`urls = [...]`); `servers` must not be empty.
    public init(name: String, servers: [BindingServer]) {
        self.init(name: name, url: servers[0].url, locator: servers[0].locator)
        self.servers = servers
    }

    /// The same binding narrowed to its server at `index`, for opening that one.
    public func server(_ index: Int) -> BindingConfig {
        BindingConfig(name: name, url: servers[index].url, locator: servers[index].locator)
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
    /// A reader further behind than this is skipped until it catches up; nil: no limit.
    public var maxLag: MaxLag?
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
        case "max_lag":
            let limit = try maxLag(entry)
            profiles[name]?.maxLag = limit
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
            throw fail(entry, "unknown key (known: sticky, sticky_window, lsn_wait_timeout, max_lag, read_only, pool_mode, bindings)")
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
        let servers: [BindingServer]
        switch keys {
        case ["url"]:
            servers = [try server(entry, try string(entry))]
        case ["urls"] where binding == Binding.reader:
            guard case .array(let items) = entry.value, !items.isEmpty else {
                throw typeError(entry, expected: "a non-empty array of URLs")
            }
            servers = try items.map { item throws(ConfigError) in
                guard case .string(let url) = item else { throw fail(entry, "expected URLs (strings) in the array, got \(item.typeName)") }
                return try server(entry, url)
            }
        case ["urls"]:
            throw fail(entry, "only the reader binding may name several servers")
        default:
            throw fail(entry, "unknown key (known: url, and urls for the reader)")
        }
        let config = BindingConfig(name: binding, servers: servers)
        if let index = profiles[profile]?.bindings.firstIndex(where: { $0.name == binding }) {
            profiles[profile]?.bindings[index] = config
        } else {
            profiles[profile]?.bindings.append(config)
        }
    }

    private func server(_ entry: TOMLEntry, _ url: String) throws(ConfigError) -> BindingServer {
        let locator: DatabaseLocator
        do {
            locator = try DatabaseLocator.parse(url, fileExists: { _ in false })
        } catch {
            throw fail(entry, "not a database URL: \(error.reason)")
        }
        if case .profile = locator {
            throw fail(entry, "not a database URL: \(ConnectionString.quoted(url)) (expected postgresql://..., sqlite:///PATH or a file ending in .db)")
        }
        return BindingServer(url: url, locator: locator)
    }

    /// A time (`"5s"`, `"500ms"`) or a WAL size (`"16MB"`, `"512kB"`, `"4096B"`).
    private func maxLag(_ entry: TOMLEntry) throws(ConfigError) -> MaxLag {
        let text = try string(entry)
        let sizes: [(String, Double)] = [("GB", 1_073_741_824), ("MB", 1_048_576), ("kB", 1024), ("B", 1)]
        for (suffix, bytes) in sizes where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number >= 0, number * bytes <= 1e15 {
                return .bytes(Int(number * bytes))
            }
        }
        if !text.hasSuffix("B"), let time = try? duration(entry) { return .time(time) }
        throw fail(entry, "expected a time such as \"5s\" or a WAL size such as \"16MB\"; got \(ConnectionString.quoted(text))")
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
            for binding in profile.bindings where binding.name != Binding.logger && !binding.servers.allSatisfy({ $0.locator.sameEngine(as: writer.locator) }) {
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

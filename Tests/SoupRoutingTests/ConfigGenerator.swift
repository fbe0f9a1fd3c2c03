import SoupDriver
@testable import SoupRouting
import SoupTestSupport

/// A generated config file and the config it must read as.
struct GeneratedConfig {
    var text: String
    var expected: RoutingConfig
}

/// Writes random valid config files in the layouts TOML allows (table headers, dotted keys
/// under a header or at the top level, quoted and literal keys and strings, escapes, comments,
/// blank lines, indentation, CRLF), and mutates them.
enum ConfigGenerator {
    static let profileNames = ["app", "my-app", "App_2", "odd name", "名前", "a.b", "x", "0"]
    static let durations: [(String, Duration)] = [
        ("500ms", .milliseconds(500)), ("2s", .seconds(2)), ("1.5s", .milliseconds(1500)), ("1m", .seconds(60)),
        ("0s", .zero), ("0.25s", .milliseconds(250)), ("86400s", .seconds(86_400)),
    ]
    static let postgresURLs = [
        "postgresql://app:\(FuzzConfigTests.secret)@127.0.0.1:5432/app",
        "postgres://db.example.org/app?sslmode=disable&password=\(FuzzConfigTests.secret)",
        "host=/tmp dbname=app user=ann password='\(FuzzConfigTests.secret)'",
        "postgresql:///app", "postgresql://[::1]:5433/app?application_name=a%20b",
    ]
    static let sqliteURLs = ["sqlite:///app.db", "data/app.sqlite3", "sqlite::memory:", "sqlite:////srv/a b.db", "café.db"]

    static func config(_ random: inout SeededRandom) -> GeneratedConfig {
        var top: [String] = []
        var tables: [String] = []
        var profiles: [String: Profile] = [:]
        let names = Array(profileNames.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
        for name in names {
            var profile = Profile(name: name)
            var settings: [String] = []
            if Bool.random(using: &random) {
                profile.sticky = StickyMode.allCases.randomElement(using: &random)!
                settings.append(line("sticky", string(profile.sticky.rawValue, &random), &random))
            }
            if Bool.random(using: &random) {
                let (text, duration) = durations.randomElement(using: &random)!
                profile.stickyWindow = duration
                settings.append(line("sticky_window", string(text, &random), &random))
            }
            if Bool.random(using: &random) {
                let (text, duration) = durations.randomElement(using: &random)!
                profile.lsnWaitTimeout = duration
                settings.append(line("lsn_wait_timeout", string(text, &random), &random))
            }
            if Bool.random(using: &random) {
                profile.readOnly = Bool.random(using: &random)
                settings.append(line("read_only", "\(profile.readOnly)", &random))
            }
            let urls = Bool.random(using: &random) ? postgresURLs : sqliteURLs
            var bindingNames = [Binding.writer]
            if Bool.random(using: &random) { bindingNames.append(Binding.reader) }
            if Int.random(in: 0..<4, using: &random) == 0 { bindingNames.append("analytics") }
            bindingNames.shuffle(using: &random)
            if Int.random(in: 0..<3, using: &random) == 0 { bindingNames.append(Binding.logger) }
            for binding in bindingNames {
                let pool = binding == Binding.logger ? postgresURLs + sqliteURLs : urls
                let url = pool.randomElement(using: &random)!
                let locator = try! DatabaseLocator.parse(url, fileExists: { _ in false })
                profile.bindings.append(BindingConfig(name: binding, url: url, locator: locator))
            }
            profiles[name] = profile
            let profileKey = "profile." + key(name, &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0:  // every binding a table of its own
                tables.append(header(profileKey, &random))
                tables += settings
                if Bool.random(using: &random) { tables.append(header(profileKey + ".bindings", &random)) }
                for binding in profile.bindings {
                    tables.append(header(profileKey + ".bindings." + key(binding.name, &random), &random))
                    tables.append(line("url", string(binding.url, &random), &random))
                }
            case 1:  // bindings as dotted keys under the profile's table
                tables.append(header(profileKey, &random))
                tables += settings
                for binding in profile.bindings {
                    tables.append(line("bindings." + key(binding.name, &random) + ".url", string(binding.url, &random), &random))
                }
            default:  // settings as dotted keys at the top level, bindings as tables
                top += settings.map { indent(&random) + profileKey + "." + $0.drop { $0 == " " || $0 == "\t" } }
                for binding in profile.bindings {
                    tables.append(header(profileKey + ".bindings." + key(binding.name, &random), &random))
                    tables.append(line("url", string(binding.url, &random), &random))
                }
            }
        }
        var defaultProfile: String?
        if Bool.random(using: &random) {
            defaultProfile = names.randomElement(using: &random)!
            top.append(line("default", string(defaultProfile!, &random), &random))
        }
        top.shuffle(using: &random)
        let topLines = decorated(top, &random)
        var lines = topLines + decorated(tables, &random)
        if Int.random(in: 0..<8, using: &random) == 0 { lines.insert("[profile]", at: topLines.count) }
        let ending = Int.random(in: 0..<10, using: &random) == 0 ? "\r\n" : "\n"
        let text = lines.joined(separator: ending) + (Bool.random(using: &random) ? ending : "")
        return GeneratedConfig(
            text: text,
            expected: RoutingConfig(file: FuzzConfigTests.file, defaultProfile: defaultProfile, profiles: profiles))
    }

    /// A key part: bare when TOML allows and the coin says so, else basic or literal quoted.
    static func key(_ name: String, _ random: inout SeededRandom) -> String {
        let bare = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-") }
        if bare, Int.random(in: 0..<4, using: &random) > 0 { return name }
        return string(name, &random)
    }

    /// A basic string (escaping what must be, and a few letters as `\u` escapes), or a literal
    /// string when the text allows one.
    static func string(_ text: String, _ random: inout SeededRandom) -> String {
        if !text.contains("'"), Bool.random(using: &random) { return "'" + text + "'" }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where Int.random(in: 0..<12, using: &random) == 0:
                let hex = String(scalar.value, radix: 16, uppercase: Bool.random(using: &random))
                quoted += scalar.value > 0xFFFF || Bool.random(using: &random)
                    ? "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                    : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    static func line(_ key: String, _ value: String, _ random: inout SeededRandom) -> String {
        let spaces = ["", " ", "  ", "\t"]
        return indent(&random) + key + spaces.randomElement(using: &random)! + "=" + spaces.randomElement(using: &random)! + value
            + comment(&random)
    }

    static func header(_ path: String, _ random: inout SeededRandom) -> String {
        let inner = Int.random(in: 0..<5, using: &random) == 0 ? " " + path + " " : path
        return indent(&random) + "[" + inner + "]" + comment(&random)
    }

    static func indent(_ random: inout SeededRandom) -> String {
        ["", "", "", "  ", "\t"].randomElement(using: &random)!
    }

    static func comment(_ random: inout SeededRandom) -> String {
        Int.random(in: 0..<6, using: &random) == 0 ? [" # note", "\t#x = \"y\" [z]", " #"].randomElement(using: &random)! : ""
    }

    /// Lines with blank lines and comment lines between them.
    static func decorated(_ lines: [String], _ random: inout SeededRandom) -> [String] {
        var result: [String] = []
        for line in lines {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: result.append("")
            case 1: result.append(["# comment = 1", "   # [profile.fake]", "\t"].randomElement(using: &random)!)
            default: break
            }
            result.append(line)
        }
        return result
    }

    static let hostileValues = [
        "\"1e300s\"", "\"-1s\"", "\"nanms\"", "\"infs\"", "true", "1_000", "0x10", "-0", "1e999", "[1, 2]", "{ a = 1 }",
        "'''x'''", "\"\"\"x\"\"\"", "\"\\uD800\"", "\"\\U0011FFFF\"", "\"\\u12\"", "\"\\q\"", "\"unterminated",
        "postgresql://u:\(FuzzConfigTests.secret)@h/db", "\"u:\(FuzzConfigTests.secret)@h\"", "\"lsn\" extra", "",
        "'a.db' # ok", "\"x.db\"\"\"", "nan", "+inf", "1979-05-27",
    ]
    static let interesting: [[UInt8]] = (Array("[]=\"'.#\\ \t\n\r{},0e-_".utf8).map { [$0] }) + [
        [0], [0xFF], [0xC3], Array("\\u".utf8), Array("[[".utf8), Array("\"\"\"".utf8), Array("1e400".utf8),
        Array("profile.".utf8), Array("bindings.".utf8), Array("url = ".utf8), Array("\r\n".utf8),
    ]

    /// One to three byte, line or value mutations.
    static func mutate(_ text: inout String, _ random: inout SeededRandom) {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0, 1: bytes.insert(contentsOf: interesting.randomElement(using: &random)!, at: position)
            case 2, 3: if position < bytes.count { bytes.remove(at: position) }
            case 4: bytes.removeSubrange(position...)
            case 5:  // a value replaced
                guard let equals = bytes[position...].firstIndex(of: UInt8(ascii: "=")) else { continue }
                let end = bytes[equals...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                bytes.replaceSubrange((equals + 1)..<end, with: Array((" " + hostileValues.randomElement(using: &random)!).utf8))
            default:  // a line duplicated, dropped or swapped with another
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                let first = Int.random(in: 0..<lines.count, using: &random)
                let second = Int.random(in: 0..<lines.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: lines.insert(lines[first], at: second)
                case 1: lines.remove(at: first)
                default: lines.swapAt(first, second)
                }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
    }
}

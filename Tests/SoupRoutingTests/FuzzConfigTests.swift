import Foundation
import SoupDriver
@testable import SoupRouting
import SoupTestSupport
import Testing

/// The config reader (`RoutingConfig.parse`, over the TOML reader) on generated config files
/// and mutants of them: a generated file reads back as the profiles it was written from, in
/// any of the layouts TOML allows; a mutant reads or is refused with a ``ConfigError`` naming
/// the file, a line of the file and a key, whose message never holds a binding's password. No
/// crash, and a watchdog aborts on any input slower than 10 s.
///
/// `SOUP_FUZZ_ITERATIONS` (default 100,000) and `SOUP_FUZZ_SEED` set the run.
@Suite struct FuzzConfigTests {
    static let secret = "S3cr3tPw"
    static let file = "fuzz.toml"

    static let shards = 4
    /// Mutants read per generated file.
    static let mutantsPerFile = 3

    @Test(arguments: 0..<shards)
    func generatedConfigsAndMutants(shard: Int) {
        var random = SeededRandom(seed: FuzzSettings.seed &+ 0xC0F &+ UInt64(shard))
        let watchdog = Watchdog(limit: .seconds(10))
        defer { watchdog.stop() }
        let clock = ContinuousClock()
        let started = clock.now
        var statistics = Statistics()
        var inputs = 0
        while inputs < FuzzSettings.iterations / Self.shards {
            let config = ConfigGenerator.config(&random)
            for mutant in 0...Self.mutantsPerFile {
                var text = config.text
                if mutant > 0 { ConfigGenerator.mutate(&text, &random) }
                watchdog.begin(text)
                let before = clock.now
                let outcome = Result { () throws(ConfigError) in try RoutingConfig.parse(text, file: Self.file) }
                statistics.slowest = max(statistics.slowest, clock.now - before)
                inputs += 1
                switch outcome {
                case .success(let parsed) where mutant == 0:
                    statistics.generated += 1
                    if parsed != config.expected {
                        Issue.record("\(text.debugDescription) reads as \(parsed), not \(config.expected)")
                    }
                case .success(let parsed):
                    statistics.mutantsRead += 1
                    check(parsed, from: text)
                case .failure(let error):
                    if mutant == 0 { Issue.record("a valid file is refused: \(error) in \(text.debugDescription)") }
                    check(error, in: text)
                    statistics.refusals[Self.kind(of: error.message), default: 0] += 1
                }
            }
        }
        watchdog.end()
        print("config fuzz shard \(shard): \(inputs) files: \(statistics) in \(clock.now - started)")
        // Whole groups of a generated file and its mutants. With the default seed 9% of the
        // inputs are mutants that still read, 66% mutants refused.
        let group = Self.mutantsPerFile + 1
        let planned = (FuzzSettings.iterations / Self.shards + group - 1) / group * group
        let refused = statistics.refusals.values.reduce(0, +)
        let problems = FuzzSettings.reachProblems(
            "config fuzz shard \(shard)", inputs: inputs, planned: planned,
            shares: [
                ("generated files read back", statistics.generated, 1.0 / Double(group)),
                ("mutants read", statistics.mutantsRead, 0.05), ("mutants refused", refused, 0.45),
            ])
        for problem in problems { Issue.record("\(problem)") }
    }

    struct Statistics: CustomStringConvertible {
        /// Generated files read back exactly.
        var generated = 0
        var mutantsRead = 0
        /// Refused mutants, by kind of message.
        var refusals: [String: Int] = [:]
        var slowest = Duration.zero

        var description: String {
            let kinds = refusals.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key): \($0.value)" }
            return "\(generated) generated read back exactly, \(mutantsRead) mutants read, "
                + "\(refusals.values.reduce(0, +)) mutants refused (\(kinds.joined(separator: "; "))); slowest \(slowest)"
        }
    }

    /// A refusal names the file, a line of it and a key, and shows no password.
    func check(_ error: ConfigError, in text: String) {
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count
        if error.file != Self.file || !(1...lines).contains(error.line) || error.key.isEmpty || error.message.isEmpty {
            Issue.record("unplaced error \(error.description.debugDescription) for \(text.debugDescription)")
        }
        if error.message.contains(Self.secret) {
            Issue.record("the password shows in \(error.description.debugDescription) for \(text.debugDescription)")
        }
    }

    /// A mutant that reads is still a config: each profile has a writer, every binding a URL,
    /// and the default profile exists.
    func check(_ config: RoutingConfig, from text: String) {
        for profile in config.profiles.values {
            if profile.binding(named: Binding.writer) == nil || profile.bindings.contains(where: { $0.url.isEmpty }) {
                Issue.record("incomplete profile \(profile.name) read from \(text.debugDescription)")
            }
        }
        if let name = config.defaultProfile, config.profile(named: name) == nil {
            Issue.record("default \(name) is no profile, read from \(text.debugDescription)")
        }
    }

    /// The message with quoted text and numbers taken out, to count refusals by kind.
    static func kind(of message: String) -> String {
        var kind = ""
        var quote: Character?
        for character in message {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                kind.append("…")
            } else if !character.isNumber {
                kind.append(character)
            }
        }
        return String(kind.prefix(60))
    }

    @Test(
        "regressions: inputs that crashed the reader, or showed a password, or lost their key",
        arguments: [
            // A duration too large for Int64 milliseconds trapped.
            ("[profile.a]\nsticky_window = \"1e300s\"\n", 2, "profile.a.sticky_window"),
            ("[profile.a]\nlsn_wait_timeout = \"infms\"\n", 2, "profile.a.lsn_wait_timeout"),
            // An unquoted URL, or text after a string, was quoted whole in the message.
            ("[profile.a.bindings.writer]\nurl = postgresql://u:S3cr3tPw@h/db\n", 2, "profile.a.bindings.writer.url"),
            ("[profile.a.bindings.writer]\nurl = \"postgresql://u\" x:S3cr3tPw@h/db\"\n", 2, "profile.a.bindings.writer.url"),
            ("[profile.a.bindings.writer]\nurl = \"u:S3cr3tPw@h\"\n", 2, "profile.a.bindings.writer.url"),
            // The same, found by the fuzzer: a line `password=...` left by a URL cut in two, and
            // an unquoted URL that spells its '=' as an escape.
            ("[profile.a]\nsword=S3cr3tPw'\n", 2, "profile.a.sword"),
            ("[profile.a.bindings.writer]\nurl =postgres://h/app?password\\u003dS3cr3tPw\"\n", 2, "profile.a.bindings.writer.url"),
            // A missing '=' was reported against the top level, not the key.
            ("[profile.a.bindings.writer]\nurl \"a.db\"\n", 2, "profile.a.bindings.writer.url"),
        ])
    func regressions(text: String, line: Int, key: String) throws {
        let error = try #require(throws: ConfigError.self) { try RoutingConfig.parse(text, file: Self.file) }
        #expect(error.line == line && error.key == key, "\(error)")
        #expect(!error.description.contains(Self.secret), "\(error)")
    }

    @Test("a file with CRLF line ends reads as the same file with LF (each line used to run to the end of the file)")
    func crlf() throws {
        let text = "default = \"a\"\n[profile.a]\nsticky = \"time\"\n[profile.a.bindings.writer]\nurl = \"a.db\"\n"
        let crlf = try RoutingConfig.parse(text.replacing("\n", with: "\r\n"), file: Self.file)
        #expect(crlf == (try RoutingConfig.parse(text, file: Self.file)))
        #expect(crlf.profile(named: "a")?.sticky == .time)
    }
}

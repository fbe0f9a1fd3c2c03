import Foundation

/// Runs the built `soup` executable the way a user would, from a shell.
///
/// Each run gets a fresh temporary home (`HOME` and the `XDG_*_HOME` directories point into
/// it, and it is deleted afterwards), so tests never read or write the real home. The
/// environment is this process's, minus `DATABASE_URL`, plus `environment`.
public enum SoupBinary {
    /// The executable under test: `$SOUP_BINARY`, else the `soup` that SwiftPM built next to
    /// the running test executable.
    public static func path() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SOUP_BINARY"], !path.isEmpty {
            guard access(path, X_OK) == 0 else {
                throw TestSupportError("SOUP_BINARY=\(path) is not an executable file")
            }
            return path
        }
        let testExecutable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let directory = URL(fileURLWithPath: testExecutable).deletingLastPathComponent().path
        let candidate = directory + "/soup"
        guard access(candidate, X_OK) == 0 else {
            throw TestSupportError(
                "no soup executable in \(directory); run `swift build` first (or set SOUP_BINARY)")
        }
        return candidate
    }

    /// Runs `soup` with `arguments`, feeding it `stdin` as UTF-8 text (`nil`: `/dev/null`);
    /// `interruptWhen` sends one SIGINT (Ctrl-C), or `interruptSignal`, once the condition holds
    /// (`interruptAfter`: after that many seconds, which on a busy machine may be too early).
    public static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        currentDirectory: String? = nil, timeout: Double = 60, interruptAfter: Double? = nil,
        interruptWhen: InterruptCondition? = nil, interruptSignal: Int32 = SIGINT
    ) throws -> ProcessResult {
        try launch(
            arguments, input: stdin.map { Array($0.utf8) }, environment: environment,
            currentDirectory: currentDirectory, timeout: timeout, interruptAfter: interruptAfter,
            interruptWhen: interruptWhen, interruptSignal: interruptSignal)
    }

    /// Runs `soup` under `/usr/bin/time`, so ``ProcessResult/maxRSSKilobytes`` is soup's own
    /// peak. (A child spawned straight from the test process inherits, at exec, the test
    /// process's own peak as its starting `ru_maxrss`, which makes the figure meaningless.)
    public static func runMeasuringMemory(
        _ arguments: [String], timeout: Double = 60
    ) throws -> ProcessResult {
        let report = try TemporaryDirectory(prefix: "soup-rss")
        defer { report.remove() }
        let file = report.file(named: "rss")
        let home = try TemporaryDirectory(prefix: "soup-home")
        defer { home.remove() }
        var result = try ProcessRunner.run(
            executable: "/usr/bin/time", arguments: ["-f", "%M", "-o", file, try path()] + arguments, stdin: nil,
            environment: childEnvironment(home: home.path, overrides: [:]), timeout: timeout)
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        guard let kilobytes = text.split(separator: "\n").last.flatMap({ Int($0) }) else {
            throw TestSupportError("/usr/bin/time reported no peak memory (install the time package: scripts/setup)")
        }
        result.maxRSSKilobytes = kilobytes
        return result
    }

    /// Runs `soup` with `arguments`, feeding it raw `stdin` bytes.
    public static func run(
        _ arguments: [String], stdin: [UInt8], environment: [String: String] = [:],
        currentDirectory: String? = nil, timeout: Double = 60
    ) throws -> ProcessResult {
        try launch(
            arguments, input: stdin, environment: environment, currentDirectory: currentDirectory,
            timeout: timeout, interruptAfter: nil, interruptWhen: nil, interruptSignal: SIGINT)
    }

    private static func launch(
        _ arguments: [String], input: [UInt8]?, environment: [String: String],
        currentDirectory: String?, timeout: Double, interruptAfter: Double?,
        interruptWhen: InterruptCondition?, interruptSignal: Int32
    ) throws -> ProcessResult {
        let executable = try path()
        let home = try TemporaryDirectory(prefix: "soup-home")
        defer { home.remove() }
        return try ProcessRunner.run(
            executable: executable, arguments: arguments, stdin: input,
            environment: childEnvironment(home: home.path, overrides: environment),
            currentDirectory: currentDirectory, timeout: timeout, interruptAfter: interruptAfter,
            interruptWhen: interruptWhen, interruptSignal: interruptSignal)
    }

    /// This process's environment without `DATABASE_URL`, with a private home, then `overrides`.
    static func childEnvironment(home: String, overrides: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["HOME"] = home
        environment["XDG_CONFIG_HOME"] = home + "/.config"
        environment["XDG_DATA_HOME"] = home + "/.local/share"
        environment["XDG_STATE_HOME"] = home + "/.local/state"
        return environment.merging(overrides) { $1 }
    }
}

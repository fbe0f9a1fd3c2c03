import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    /// Everything the process wrote to standard output, decoded as UTF-8.
    public var stdout: String
    /// Everything the process wrote to standard error, decoded as UTF-8.
    public var stderr: String
    /// The exit status; 128 + the signal number when a signal ended the process, as shells say.
    public var status: Int32
    /// The peak resident set size of the process, in kilobytes. On Linux a process spawned from a
    /// large parent starts with the parent's peak (exec keeps it), so measure through
    /// ``SoupBinary/runMeasuringMemory(_:timeout:)`` when the figure matters.
    public var maxRSSKilobytes: Int
    /// Wall-clock seconds from launch until the process was reaped.
    public var elapsed: Double
}

/// Runs a program to completion, feeding its standard input and collecting its output.
///
/// Standard input is written while standard output and standard error are read, so large
/// outputs never deadlock on a full pipe. The child gets its own process group (a timeout kills
/// the whole group), default signal handling, and `/dev/null` as standard input unless `stdin`
/// is given. A non-zero exit status is a result, not an error.
public enum ProcessRunner {
    /// Runs `executable` (a path, or a name looked up in this process's `PATH`).
    ///
    /// - Parameters:
    ///   - stdin: bytes for standard input, which is closed after them; `nil` gives `/dev/null`.
    ///   - environment: the complete environment of the child; `nil` inherits this process's.
    ///   - currentDirectory: where the child starts; `nil` keeps this process's.
    ///   - timeout: seconds before the process group is killed and the call throws.
    ///   - interruptAfter: seconds after which the child gets one SIGINT, as from Ctrl-C.
    ///   - interruptWhen: a condition after which the child gets one SIGINT: prefer it to
    ///     `interruptAfter`, which can fire before the child is ready on a busy machine.
    ///   - interruptSignal: the signal sent then instead (`SIGKILL` for a crash).
    public static func run(
        executable: String, arguments: [String] = [], stdin: [UInt8]? = nil,
        environment: [String: String]? = nil, currentDirectory: String? = nil, timeout: Double = 60,
        interruptAfter: Double? = nil, interruptWhen: InterruptCondition? = nil, interruptSignal: Int32 = SIGINT
    ) throws -> ProcessResult {
        _ = brokenPipesIgnored
        let started = ContinuousClock.now
        var child = try ChildProcess.spawn(
            executable: executable, arguments: arguments,
            environment: environment ?? ProcessInfo.processInfo.environment,
            currentDirectory: currentDirectory, hasInput: stdin != nil)
        defer { child.closePipes() }
        let outcome = try child.communicate(
            input: stdin ?? [], deadline: started + .seconds(timeout),
            interruptAt: interruptAfter.map { started + .seconds($0) }, interruptWhen: interruptWhen,
            interruptSignal: interruptSignal)
        let stdout = String(decoding: outcome.output, as: UTF8.self)
        let stderr = String(decoding: outcome.errors, as: UTF8.self)
        guard let exit = outcome.exit else {
            let command = ([executable] + arguments).joined(separator: " ")
            throw TestSupportError(
                "`\(command)` timed out after \(timeout) s and was killed\n"
                    + "stdout so far:\n\(stdout.suffix(2000))\n"
                    + "stderr so far:\n\(stderr.suffix(2000))")
        }
        return ProcessResult(
            stdout: stdout, stderr: stderr, status: exit.status,
            maxRSSKilobytes: exit.maxRSSKilobytes,
            elapsed: (ContinuousClock.now - started) / .seconds(1))
    }

    /// Writing to a pipe whose reader has exited must fail with EPIPE, not kill the test process.
    /// Children get default signal handling back (``ChildProcess`` resets it).
    private static let brokenPipesIgnored: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}

/// When to interrupt a running child: once it has shown that it is where the test wants it (a
/// line on standard error, the first row on standard output) or once something else the test
/// can observe holds (the statement visible in the server's `pg_stat_activity`). Unlike a fixed
/// delay, this does not depend on how busy the machine is.
///
/// ```swift
/// try SoupBinary.run(["run", db, file, "--echo"], interruptWhen: .standardError(contains: "SELECT"))
/// ```
public struct InterruptCondition {
    /// Whether to interrupt now, given everything the child has written to standard output and
    /// standard error so far.
    let isMet: (_ output: [UInt8], _ errors: [UInt8]) -> Bool
    /// Standard output is left unread until the interrupt, and the condition is that its pipe
    /// is full: a child with more to write is then blocked writing (``standardOutputBlocked(until:)``).
    var holdsOutput = false
    /// After the interrupt, standard output stays unread until standard error holds this.
    var releasesOutput: [UInt8] = []

    public init(_ isMet: @escaping (_ output: [UInt8], _ errors: [UInt8]) -> Bool) {
        self.isMet = isMet
    }

    /// Once the child is blocked writing to standard output: the test reads none of it until
    /// the pipe is full, then interrupts, and reads it once standard error holds `text` (the
    /// child's word that it took the interrupt in). The child must write more than a pipe holds
    /// (64 kB); it is held where it writes, between what it did before and after.
    public static func standardOutputBlocked(until text: String) -> InterruptCondition {
        var condition = InterruptCondition { _, _ in false }
        condition.holdsOutput = true
        condition.releasesOutput = Array(text.utf8)
        return condition
    }

    /// Once standard error holds `text`.
    public static func standardError(contains text: String) -> InterruptCondition {
        let needle = Array(text.utf8)
        return InterruptCondition { _, errors in errors.firstRange(of: needle) != nil }
    }

    /// Once standard output holds `text`.
    public static func standardOutput(contains text: String) -> InterruptCondition {
        let needle = Array(text.utf8)
        return InterruptCondition { output, _ in output.firstRange(of: needle) != nil }
    }

    /// Once `check` returns true; it is called about every 20 ms.
    public static func when(_ check: @escaping () -> Bool) -> InterruptCondition {
        InterruptCondition { _, _ in check() }
    }
}

import Foundation
import SoupPlatform

/// A spawned child process and the parent's ends of its pipes (-1 once closed).
struct ChildProcess {
    /// How the child ended.
    struct Exit {
        var status: Int32
        var maxRSSKilobytes: Int
    }

    /// Everything read from the child; `exit` is nil when the deadline passed and it was killed.
    struct Outcome {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var exit: Exit?
    }

    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private var errors: Int32

    /// Starts `executable` in its own process group with fresh pipes for its standard streams.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String],
        currentDirectory: String?, hasInput: Bool
    ) throws -> ChildProcess {
        var opened: [Int32] = []
        func makePipe() throws -> (read: Int32, write: Int32) {
            let (read, write) = try FileDescriptor.makePipe()
            opened += [read.rawValue, write.rawValue]
            return (read.rawValue, write.rawValue)
        }
        do {
            let stdin = hasInput ? try makePipe() : nil
            let stdout = try makePipe()
            let stderr = try makePipe()
            let pid = try launch(
                executable: executable, arguments: arguments, environment: environment,
                currentDirectory: currentDirectory,
                streams: (stdin?.read, stdout.write, stderr.write))
            for fd in [stdin?.read, stdout.write, stderr.write].compactMap({ $0 }) {
                FileDescriptor(rawValue: fd).close()
            }
            let child = ChildProcess(
                pid: pid, input: stdin?.write ?? -1, output: stdout.read, errors: stderr.read)
            for fd in [child.input, child.output, child.errors] where fd >= 0 {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
            return child
        } catch {
            for fd in opened { FileDescriptor(rawValue: fd).close() }
            throw error
        }
    }

    private static func launch(
        executable: String, arguments: [String], environment: [String: String],
        currentDirectory: String?, streams: (stdin: Int32?, stdout: Int32, stderr: Int32)
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin = streams.stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, streams.stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, streams.stderr, 2)
        if let currentDirectory {
            _ = GNU.addChdir(&actions, currentDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var blockedSignals = sigset_t()
        sigemptyset(&blockedSignals)
        posix_spawnattr_setsigmask(&attributes, &blockedSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for string in argv + envp { free(string) } }
        var pid = pid_t()
        let code =
            executable.contains("/")
            ? posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            : posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else {
            throw TestSupportError("cannot run \(executable): \(String(cString: strerror(code)))")
        }
        return pid
    }

    /// Feeds `input`, collects both outputs and reaps the child, or kills its process group
    /// when `deadline` passes. A child that exits while a grandchild still holds its pipes is
    /// noticed within 100 ms; what the pipes hold by then is kept.
    /// `interruptWhen` is checked whenever output arrived and at least every 20 ms until it
    /// holds; then the child gets `interruptSignal`, once.
    mutating func communicate(
        input bytes: [UInt8], deadline: ContinuousClock.Instant,
        interruptAt: ContinuousClock.Instant? = nil, interruptWhen: InterruptCondition? = nil,
        interruptSignal: Int32 = SIGINT
    ) throws -> Outcome {
        var outcome = Outcome()
        var interruptAt = interruptAt
        var interruptWhen = interruptWhen
        var pending = bytes[...]
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        // Standard output left unread until standard error holds this (`standardOutputBlocked`).
        var holdUntil: [UInt8]? = interruptWhen?.holdsOutput == true ? interruptWhen?.releasesOutput : nil
        while input >= 0 || output >= 0 || errors >= 0 {
            guard var slice = Self.milliseconds(until: deadline) else { return try killed(outcome) }
            if let instant = interruptAt {
                if let wait = Self.milliseconds(until: instant) {
                    slice = min(slice, wait)
                } else {
                    kill(pid, interruptSignal)
                    interruptAt = nil
                }
            }
            if let condition = interruptWhen {
                let met = condition.holdsOutput ? Self.isFull(pipe: output) : condition.isMet(outcome.output, outcome.errors)
                if met {
                    kill(pid, interruptSignal)
                    interruptWhen = nil
                } else {
                    slice = min(slice, 20)
                }
            }
            if interruptWhen == nil, let needle = holdUntil, needle.isEmpty || outcome.errors.firstRange(of: needle) != nil {
                holdUntil = nil
            }
            if holdUntil != nil { slice = min(slice, 20) }
            let held = holdUntil != nil ? output : -1
            var polls = [input, output, errors].filter { $0 >= 0 && $0 != held }.map { fd in
                pollfd(fd: fd, events: Int16(fd == input ? POLLOUT : POLLIN), revents: 0)
            }
            let ready = retryingInterrupted { poll(&polls, nfds_t(polls.count), slice) }
            if ready < 0 {
                throw TestSupportError("poll failed: \(String(cString: strerror(errno)))")
            }
            if ready == 0, let exit = try reap(blocking: false) {
                _ = Self.read(output, into: &outcome.output, chunk: &chunk)
                _ = Self.read(errors, into: &outcome.errors, chunk: &chunk)
                outcome.exit = exit
                return outcome
            }
            for polled in polls where polled.revents != 0 {
                if polled.fd == input {
                    if !Self.write(&pending, to: input) { Self.close(&input) }
                } else if polled.fd == output {
                    if !Self.read(output, into: &outcome.output, chunk: &chunk) {
                        Self.close(&output)
                    }
                } else if !Self.read(errors, into: &outcome.errors, chunk: &chunk) {
                    Self.close(&errors)
                }
            }
        }
        while Self.milliseconds(until: deadline) != nil {
            if let exit = try reap(blocking: false) {
                outcome.exit = exit
                return outcome
            }
            usleep(2_000)
        }
        return try killed(outcome)
    }

    /// Whether the pipe whose reading end is `fd` is full: less than a page is free, so a
    /// writer with more to write is blocked in `write` (Linux fills a pipe page by page, so a
    /// full pipe may hold a little less than its capacity).
    private static func isFull(pipe fd: Int32) -> Bool {
        guard fd >= 0 else { return false }
        var available: Int32 = 0
        let capacity = fcntl(fd, 1032)  // F_GETPIPE_SZ
        guard ioctl(fd, UInt(FIONREAD), &available) == 0, capacity > 0 else { return false }
        return Int(available) > Int(capacity) - sysconf(Int32(_SC_PAGESIZE))
    }

    /// Closes whatever pipes are still open.
    mutating func closePipes() {
        Self.close(&input)
        Self.close(&output)
        Self.close(&errors)
    }

    private func killed(_ outcome: Outcome) throws -> Outcome {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        _ = try reap(blocking: true)
        return outcome
    }

    private func reap(blocking: Bool) throws -> Exit? {
        var raw: Int32 = 0
        var usage = rusage()
        let result = retryingInterrupted { wait4(pid, &raw, blocking ? 0 : WNOHANG, &usage) }
        if result == 0 { return nil }
        guard result == pid else {
            throw TestSupportError("wait4(\(pid)) failed: \(String(cString: strerror(errno)))")
        }
        let signal = raw & 0x7f
        return Exit(status: signal == 0 ? (raw >> 8) & 0xff : 128 + signal, maxRSSKilobytes: usage.ru_maxrss)
    }

    /// The next poll slice in milliseconds (at most 100), or nil once the deadline has passed.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32? {
        let remaining = deadline - .now
        guard remaining > .zero else { return nil }
        return Int32(min(100, (remaining / .milliseconds(1)).rounded(.up)))
    }

    /// Appends what can be read now; false at end of file (or on an error, which ends it too).
    private static func read(_ fd: Int32, into buffer: inout [UInt8], chunk: inout [UInt8]) -> Bool
    {
        guard fd >= 0 else { return false }
        while true {
            let count = chunk.withUnsafeMutableBytes { raw in
                retryingInterrupted { systemRead(fd, raw.baseAddress, raw.count) }
            }
            guard count > 0 else { return count < 0 && errno == EAGAIN }
            buffer += chunk[..<count]
        }
    }

    /// Writes what the pipe takes now; false once everything is written or the reader is gone.
    private static func write(_ pending: inout ArraySlice<UInt8>, to fd: Int32) -> Bool {
        while !pending.isEmpty {
            let count = pending.withUnsafeBytes { raw in
                retryingInterrupted { systemWrite(fd, raw.baseAddress, raw.count) }
            }
            guard count >= 0 else { return errno == EAGAIN }
            pending.removeFirst(count)
        }
        return false
    }

    private static func close(_ fd: inout Int32) {
        if fd >= 0 { FileDescriptor(rawValue: fd).close() }
        fd = -1
    }
}

// read(2) and write(2) under names that ChildProcess's own read and write do not shadow.

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, bytes, count)
}

/// glibc functions that Swift's Glibc module leaves out because they need `_GNU_SOURCE`.
private enum GNU {
    typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) ->
        Int32

    static let addChdir: AddChdir = lookup("posix_spawn_file_actions_addchdir_np")

    private static func lookup<Function>(_ name: String) -> Function {
        guard let symbol = dlsym(nil, name) else {
            fatalError("this C library lacks \(name) (glibc 2.29+ has it)")
        }
        return unsafeBitCast(symbol, to: Function.self)
    }
}

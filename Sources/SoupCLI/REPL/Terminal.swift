import SoupPlatform

/// Unbuffered writes, the terminal's size, and running the pager or editor in the foreground.
enum Terminal {
    /// Writes all of `text` to `fd`; false when the reader went away or the write failed.
    @discardableResult
    static func write(_ text: String, to fd: Int32) -> Bool {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0), to: fd) }
    }

    /// Writes all of `bytes` to `fd`; false when the reader went away or the write failed.
    @discardableResult
    static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Bool {
        (try? FileDescriptor(rawValue: fd).writeAll(bytes)) != nil
    }

    /// The rows of the terminal on `fd`, or nil when it is not a terminal.
    static func rows(of fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }

    /// The columns of the terminal on `fd`, or nil when it is not a terminal.
    static func columns(of fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Runs `command` through `/bin/sh -c` with `arguments` as `$1`…, sharing the terminal, and
    /// waits for it; returns its exit status, or nil when it could not start.
    static func runShell(_ command: String, arguments: [String] = []) -> Int32? {
        startShell(command, arguments: arguments, pipingInput: false)?.wait()
    }

    /// Starts `command` through `/bin/sh -c` with `arguments` as `$1`…; with `pipingInput`, its
    /// standard input is a pipe that ``ShellProcess/input`` writes to. Nil when it could not start.
    static func startShell(_ command: String, arguments: [String] = [], pipingInput: Bool) -> ShellProcess? {
        // Close-on-exec: a child soup starts later (another pager, `\!`) must not inherit the
        // writing end, or this child would not see the end of its input when soup closes it.
        var fds: [Int32] = [-1, -1]
        if pipingInput {
            guard let (read, write) = try? FileDescriptor.makePipe() else { return nil }
            fds = [read.rawValue, write.rawValue]
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if pipingInput {
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        }
        // The child starts with default signal handling (soup ignores SIGPIPE and blocks SIGINT).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = (["/bin/sh", "-c", command, "soup"] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let started = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ) == 0
        if pipingInput { close(fds[0]) }
        guard started else {
            if pipingInput { close(fds[1]) }
            return nil
        }
        return ShellProcess(pid: pid, input: pipingInput ? fds[1] : nil)
    }
}

/// A command started by ``Terminal/startShell(_:arguments:pipingInput:)``.
struct ShellProcess {
    let pid: pid_t
    /// The write end of its standard input, when piped.
    let input: Int32?

    /// Closes its input and waits for it to end; returns its exit status.
    @discardableResult
    func wait() -> Int32 {
        if let input { close(input) }
        var status: Int32 = 0
        _ = retryingInterrupted { waitpid(pid, &status, 0) }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

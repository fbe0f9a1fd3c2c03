import Foundation
import SoupPlatform

/// A program running on a pseudo-terminal, driven as a user at a keyboard would drive it.
///
/// The child starts a new session with the terminal as its controlling terminal, so `\u{03}`
/// written with ``send(_:)`` reaches it as SIGINT through the line discipline, exactly as Ctrl-C
/// does. Everything the child writes to the terminal is kept in ``transcript``;
/// ``expect(_:within:)`` waits for text to appear after the previous match.
///
/// ```swift
/// let terminal = try PseudoTerminal.soup([path])
/// try terminal.expect("soup:t> ")
/// terminal.send("us\t")
/// try terminal.expect("users")
/// ```
public final class PseudoTerminal {
    /// The child's process id.
    public let pid: pid_t
    private let master: Int32
    private var output: [UInt8] = []
    /// Where in ``transcript`` the next ``expect(_:within:)`` starts looking.
    private var searchStart = 0
    private var exitStatus: Int32?
    private let home: TemporaryDirectory?
    /// The terminal's size.
    public let rows: Int
    public let columns: Int

    /// Runs the built `soup` with `arguments` on a new terminal of `rows` x `columns`, with a
    /// private home (see ``SoupBinary``), `TERM=dumb`, then `environment`. With `stdoutPath` or
    /// `stderrPath`, that stream goes to the file instead of the terminal.
    public static func soup(
        _ arguments: [String], environment: [String: String] = [:], rows: Int = 24, columns: Int = 100,
        stdoutPath: String? = nil, stderrPath: String? = nil
    ) throws -> PseudoTerminal {
        let home = try TemporaryDirectory(prefix: "soup-home")
        var variables = SoupBinary.childEnvironment(home: home.path, overrides: ["TERM": "dumb"])
        variables.merge(environment) { $1 }
        return try PseudoTerminal(
            executable: try SoupBinary.path(), arguments: arguments, environment: variables, rows: rows,
            columns: columns, stdoutPath: stdoutPath, stderrPath: stderrPath, home: home)
    }

    /// Starts `executable` on a new pseudo-terminal.
    public init(
        executable: String, arguments: [String], environment: [String: String], rows: Int = 24,
        columns: Int = 100, stdoutPath: String? = nil, stderrPath: String? = nil, home: TemporaryDirectory? = nil
    ) throws {
        // Close-on-exec from the start, not by a later fcntl: a child that another test spawns
        // in between must not inherit the terminal's master side.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, PTY.grantpt(master) == 0, PTY.unlockpt(master) == 0, let name = PTY.ptsname(master) else {
            throw TestSupportError("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slave = String(cString: name)
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid, opening the terminal makes it the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        if let stdoutPath {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
        }
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID (glibc 2.26+)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | setsid))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for string in argv + envp { free(string) } }
        var pid = pid_t()
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else {
            close(master)
            throw TestSupportError("cannot run \(executable): \(String(cString: strerror(code)))")
        }
        self.pid = pid
        self.master = master
        self.home = home
        self.rows = rows
        self.columns = columns
    }

    deinit {
        if exitStatus == nil {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
        home?.remove()
    }

    /// Everything the child has written to the terminal so far.
    public var transcript: String { String(decoding: output, as: UTF8.self) }

    /// Types `text` (`\t` is TAB, `\r` is Enter, `\u{03}` Ctrl-C, `\u{04}` Ctrl-D).
    public func send(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { raw in retryingInterrupted { write(master, raw.baseAddress, raw.count) } }
            if written > 0 {
                bytes.removeFirst(written)
            } else if errno != EAGAIN {
                return
            } else {
                usleep(1_000)
            }
        }
    }

    /// Changes the terminal's size, as resizing a terminal window does: the kernel tells the
    /// foreground program with SIGWINCH.
    public func resize(rows: Int, columns: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// Waits until `text` appears after the previous match and returns what came before it
    /// (since the previous match) plus `text`; throws with the transcript when time runs out.
    @discardableResult
    public func expect(_ text: String, within seconds: Double = 15) throws -> String {
        let needle = Array(text.utf8)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            if let range = find(needle) {
                let seen = String(decoding: output[searchStart..<range.upperBound], as: UTF8.self)
                searchStart = range.upperBound
                return seen
            }
            guard ContinuousClock.now < deadline, pump(until: deadline) else {
                if let range = find(needle) {
                    searchStart = range.upperBound
                    return String(decoding: output[..<range.upperBound], as: UTF8.self)
                }
                throw TestSupportError(
                    "did not see \(text.debugDescription) within \(seconds) s; after the last match the terminal shows:\n"
                        + String(decoding: output[searchStart...], as: UTF8.self).debugDescription)
            }
        }
    }

    /// Like ``expect(_:within:)``, but reading the output without its escape sequences, so that
    /// text drawn in colours (or with cursor moves between its pieces) is found as it shows.
    @discardableResult
    public func expectText(_ text: String, within seconds: Double = 15) throws -> String {
        let needle = Array(text.utf8)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            // The output after the previous match without escape sequences, and where each of its
            // bytes was.
            var plain: [UInt8] = []
            var origins: [Int] = []
            var index = searchStart
            while index < output.count {
                if output[index] == 0x1B, index + 1 < output.count {
                    var end = index + 2
                    if output[index + 1] == UInt8(ascii: "[") {
                        while end < output.count, !(0x40...0x7E).contains(output[end]) { end += 1 }
                        end += 1
                    }
                    index = min(end, output.count)
                    continue
                }
                plain.append(output[index])
                origins.append(index)
                index += 1
            }
            if !needle.isEmpty, plain.count >= needle.count,
                let start = (0...(plain.count - needle.count)).first(where: { plain[$0..<($0 + needle.count)].elementsEqual(needle) })
            {
                let end = origins[start + needle.count - 1] + 1
                let seen = String(decoding: output[searchStart..<end], as: UTF8.self)
                searchStart = end
                return seen
            }
            guard ContinuousClock.now < deadline, pump(until: deadline) else {
                throw TestSupportError(
                    "did not see \(text.debugDescription) (escape sequences aside) within \(seconds) s; after the last match the terminal shows:\n"
                        + String(decoding: output[searchStart...], as: UTF8.self).debugDescription)
            }
        }
    }

    /// Reads whatever arrives for `seconds` and returns it (from the previous match on).
    public func drain(for seconds: Double) -> String {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline, pump(until: deadline) {}
        return String(decoding: output[searchStart...], as: UTF8.self)
    }

    /// The screen now: everything written so far, replayed on a terminal of this size.
    public var screen: TerminalScreen {
        var screen = TerminalScreen(rows: rows, columns: columns)
        screen.feed(output)
        return screen
    }

    /// Waits until the screen satisfies `condition` and returns it; throws with the screen when
    /// it does not within `seconds`.
    @discardableResult
    public func waitForScreen(
        within seconds: Double = 10, _ what: String = "the expected screen", _ condition: (TerminalScreen) -> Bool
    ) throws -> TerminalScreen {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            let current = screen
            if isSettled, condition(current) {
                searchStart = output.count
                return current
            }
            guard ContinuousClock.now < deadline, pump(until: min(deadline, .now + .milliseconds(50))) else {
                let shown = condition(screen) ? nil : screen
                if shown == nil {
                    searchStart = output.count
                    return screen
                }
                throw TestSupportError(
                    "did not see \(what) within \(seconds) s; the screen (cursor at \(current.cursor)):\n"
                        + current.text + "\n-- output since the last match: "
                        + String(decoding: output[searchStart...], as: UTF8.self).suffix(3000).debugDescription)
            }
        }
    }

    /// Whether the output does not end inside a redrawing: a program that hides the cursor
    /// while it redraws (`ESC[?25l`) has shown it again (`ESC[?25h`) since.
    private var isSettled: Bool {
        let hide = Array("\u{1B}[?25l".utf8)
        let show = Array("\u{1B}[?25h".utf8)
        func last(_ needle: [UInt8]) -> Int? {
            guard output.count >= needle.count else { return nil }
            return (0...(output.count - needle.count)).reversed().first { output[$0] == 0x1B && Array(output[$0..<($0 + needle.count)]) == needle }
        }
        guard let hidden = last(hide) else { return true }
        return (last(show) ?? -1) > hidden
    }

    /// Waits for the child to exit and returns its status (128 + N for signal N).
    public func waitForExit(within seconds: Double = 5) throws -> Int32 {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            _ = pump(until: min(deadline, ContinuousClock.now + .milliseconds(50)))
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let signal = status & 0x7f
                let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
                exitStatus = code
                return code
            }
        }
        throw TestSupportError("the program did not exit within \(seconds) s; terminal:\n\(transcript.suffix(2000))")
    }

    private func find(_ needle: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, output.count - searchStart >= needle.count else { return nil }
        var index = searchStart
        while index + needle.count <= output.count {
            if output[index] == needle[0], Array(output[index..<index + needle.count]) == needle {
                return index..<index + needle.count
            }
            index += 1
        }
        return nil
    }

    /// Waits for output until `deadline` and appends it; false when the terminal closed.
    private func pump(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = deadline - .now
        let milliseconds = max(0, Int32(min(100, (remaining / .milliseconds(1)).rounded(.up))))
        var request = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&request, 1, milliseconds)
        guard ready > 0 else { return true }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { raw in retryingInterrupted { read(master, raw.baseAddress, raw.count) } }
        if count > 0 {
            output += chunk[..<count]
            return true
        }
        if count < 0, errno == EAGAIN { return true }
        usleep(20_000)
        return false
    }
}

/// The pseudo-terminal calls of glibc, which Swift's Glibc module leaves out (they need
/// `_XOPEN_SOURCE`).
private enum PTY {
    typealias Control = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    static let grantpt: Control = lookup("grantpt")
    static let unlockpt: Control = lookup("unlockpt")
    static let ptsname: Name = lookup("ptsname")

    private static func lookup<Function>(_ name: String) -> Function {
        guard let symbol = dlsym(nil, name) else { fatalError("this C library lacks \(name)") }
        return unsafeBitCast(symbol, to: Function.self)
    }
}

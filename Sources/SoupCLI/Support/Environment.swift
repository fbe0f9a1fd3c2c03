import SoupPlatform

/// The process environment and terminal facts; injectable for tests.
struct Environment: Sendable {
    /// The variables a test gives, or nil for the process environment, read name by name:
    /// copying all of it into a dictionary cost 0.4 M instructions at every start, for the few
    /// names soup looks up.
    private let fixed: [String: String]?
    var stdoutIsTerminal: Bool
    var stderrIsTerminal: Bool

    init(variables: [String: String], stdoutIsTerminal: Bool, stderrIsTerminal: Bool) {
        fixed = variables
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
    }

    private init(stdoutIsTerminal: Bool, stderrIsTerminal: Bool) {
        fixed = nil
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
    }

    subscript(name: String) -> String? {
        if let fixed { return fixed[name] }
        return getenv(name).map { String(cString: $0) }
    }

    /// Every variable, for the few callers that take them all.
    var variables: [String: String] {
        if let fixed { return fixed }
        var variables: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                variables[String(text[..<equals])] = String(text[text.utf8.index(after: equals)...])
            }
            pointer += 1
        }
        return variables
    }

    /// The real process environment.
    static func current() -> Environment {
        Environment(stdoutIsTerminal: isatty(1) == 1, stderrIsTerminal: isatty(2) == 1)
    }

    /// Whether the REPL can draw the line being typed itself: standard output is a terminal
    /// that takes cursor movements (its `TERM` is set and not `dumb`).
    var canDrawInputLine: Bool {
        stdoutIsTerminal && !["", "dumb"].contains(self["TERM"] ?? "")
    }

    /// Whether styling without colour (reverse video) is allowed on standard output: on a
    /// terminal that takes escapes, whatever NO_COLOR says.
    var allowsStyles: Bool { canDrawInputLine }

    /// Whether colour is allowed on standard output.
    func allowsColor(flagged noColor: Bool) -> Bool {
        stdoutIsTerminal && !noColor && (self["NO_COLOR"] ?? "").isEmpty && self["TERM"] != "dumb"
    }
}

/// Writes diagnostics to standard error, unbuffered.
enum StandardError {
    static func write(_ text: String) {
        try? FileDescriptor.standardError.writeAll(text)
    }

    static func line(_ text: String) {
        write(text + "\n")
    }
}

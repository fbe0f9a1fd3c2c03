import SoupPlatform

/// The process environment and terminal facts, read once; injectable for tests.
struct Environment: Sendable {
    var variables: [String: String]
    var stdoutIsTerminal: Bool
    var stderrIsTerminal: Bool

    subscript(name: String) -> String? { variables[name] }

    /// The real process environment.
    static func current() -> Environment {
        var variables: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            // The UTF-8 view finds "=" without grapheme breaking; this runs at every start.
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                variables[String(text[..<equals])] = String(text[text.utf8.index(after: equals)...])
            }
            pointer += 1
        }
        return Environment(variables: variables, stdoutIsTerminal: isatty(1) == 1, stderrIsTerminal: isatty(2) == 1)
    }

    /// Whether the REPL can draw the line being typed itself: standard output is a terminal
    /// that takes cursor movements (its `TERM` is set and not `dumb`).
    var canDrawInputLine: Bool {
        stdoutIsTerminal && !["", "dumb"].contains(self["TERM"] ?? "")
    }

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

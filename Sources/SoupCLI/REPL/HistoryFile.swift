import SoupPlatform

/// The REPL's history file: `$XDG_STATE_HOME/soup/history` (default
/// `~/.local/state/soup/history`), one entry a line, so a multi-line input stays one entry.
///
/// In the file a newline in an entry is written `\n` and a backslash `\\`. Each entry is
/// appended as it is entered, so a crash loses nothing; the file is cut back to the last
/// ``limit`` entries when it is read.
struct HistoryFile {
    let path: String
    /// How many entries are kept.
    var limit = 1_000

    /// The history file for `environment`, or nil when neither XDG_STATE_HOME nor HOME is set.
    static func standard(environment: Environment) -> HistoryFile? {
        let state: String
        if let directory = environment["XDG_STATE_HOME"], directory.hasPrefix("/") {
            state = directory
        } else if let home = environment["HOME"], !home.isEmpty {
            state = home + "/.local/state"
        } else {
            return nil
        }
        return HistoryFile(path: state + "/soup/history")
    }

    /// The saved entries, oldest first; an unreadable file gives none.
    func load() -> [String] {
        guard let text = try? FileReader.text(of: path) else { return [] }
        let entries = text.split(separator: "\n").map { Self.decode(String($0)) }
        guard entries.count > limit else { return entries }
        let kept = Array(entries.suffix(limit))
        rewrite(kept)
        return kept
    }

    /// Appends one entry, creating the directory (mode 0700) and file (0600) when missing.
    func append(_ entry: String) {
        guard makeDirectory() else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        Terminal.write(Self.encode(entry) + "\n", to: fd)
    }

    private func rewrite(_ entries: [String]) {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        Terminal.write(entries.map { Self.encode($0) + "\n" }.joined(), to: fd)
    }

    private func makeDirectory() -> Bool {
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST { return false }
        }
        return true
    }

    static func encode(_ entry: String) -> String {
        entry.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    static func decode(_ line: String) -> String {
        var decoded = ""
        var escaped = false
        for character in line {
            if escaped {
                decoded.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                decoded.append(character)
            }
        }
        return decoded
    }
}

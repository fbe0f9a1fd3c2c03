import SoupDriver

/// The last write a profile committed on its writer, kept in memory and in a small state file
/// so the next one-shot `soup` process reads its writes too (flask_replicated's "GET after POST";
/// the CLI analogue of django_replicated's `just_updated` cookie).
///
/// The file is `$XDG_STATE_HOME/soup/routing-PROFILE.json` (default `~/.local/state/soup/`),
/// written atomically: `{"profile":"app","lsn":"0/30095B0","written_at":1795000000.25}`.
struct ReadYourWrites {
    /// When the write committed (seconds since 1970) and the writer's WAL position after it.
    struct Mark: Equatable {
        var time: Double
        var lsn: String?
    }

    let stateFile: String?
    let profile: String
    private(set) var lastWrite: Mark?

    init(profile: String, stateFile: String?) {
        self.profile = profile
        self.stateFile = stateFile
        if let stateFile, let text = TextFile.read(stateFile) {
            lastWrite = Self.parse(text)
        }
    }

    /// Records a committed write and saves it for later processes.
    mutating func record(_ mark: Mark) {
        lastWrite = mark
        guard let stateFile else { return }
        var json = JSONDocument.object([])
        json.add("profile", .string(profile))
        json.add("lsn", .optional(mark.lsn))
        json.add("written_at", .number(mark.time))
        _ = TextFile.writeAtomically(json.compact + "\n", to: stateFile)
    }

    /// The state file for `profile` under `$XDG_STATE_HOME/soup/` (default `~/.local/state/soup/`).
    static func stateFile(profile: String, environment: [String: String]) -> String? {
        let base: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state
        } else if let home = environment["HOME"], !home.isEmpty {
            base = home + "/.local/state"
        } else {
            return nil
        }
        let safe = String(profile.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return base + "/soup/routing-\(safe).json"
    }

    /// Reads the two fields soup writes; anything else in the file is ignored.
    private static func parse(_ text: String) -> Mark? {
        func field(_ name: String) -> Substring? {
            guard let key = text.firstRange(of: "\"\(name)\":") else { return nil }
            let rest = text[key.upperBound...].drop { $0 == " " }
            return rest.prefix { $0 != "," && $0 != "}" && $0 != "\n" }
        }
        guard let timeText = field("written_at"), let time = Double(timeText) else { return nil }
        var lsn: String?
        if let raw = field("lsn"), raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count > 2 {
            lsn = String(raw.dropFirst().dropLast())
        }
        return Mark(time: time, lsn: lsn)
    }
}

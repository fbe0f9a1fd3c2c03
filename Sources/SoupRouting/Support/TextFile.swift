import SoupPlatform

/// Small whole-file reads and atomic writes, without Foundation (start-up stays fast).
enum TextFile {
    /// The file's text, or nil when it cannot be read.
    static func read(_ path: String) -> String? {
        guard let file = try? FileDescriptor.open(path, O_RDONLY) else { return nil }
        defer { file.close() }
        guard let bytes = try? file.readToEnd() else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to a temporary file beside `path`, then renames it over `path`, so a reader
    /// sees the old or the new file, never half of one. Creates missing parent directories.
    static func writeAtomically(_ text: String, to path: String) -> Bool {
        makeDirectories(parentOf: path)
        let temporary = path + ".tmp.\(getpid())"
        guard let file = try? FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, permissions: 0o600) else {
            return false
        }
        let written = (try? file.writeAll(text)) != nil
        file.close()
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    private static func makeDirectories(parentOf path: String) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/").dropLast() {
            prefix += "/" + part
            mkdir(prefix, 0o700)
        }
    }
}

/// Wall-clock time in seconds since 1970, for the state file and the audit log.
enum WallClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// `2026-11-22T05:11:35.123Z`.
    static func iso8601(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = Int32((seconds - Double(Int(seconds))) * 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(millis, 3))Z"
    }
}

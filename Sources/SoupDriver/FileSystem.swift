import SoupPlatform

/// The few file-system questions the driver layer asks.
public enum FileSystem {
    /// Whether `path` names an existing regular file (following links).
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether the file at `path` can be a SQLite database: it is empty (SQLite makes a new
    /// database of it) or starts with SQLite's header, "SQLite format 3" and a NUL byte. A file
    /// that cannot be read counts as one, so that opening it reports why.
    public static func mayHoldSQLiteDatabase(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 16)
        let count = retryingInterrupted { read(descriptor, &header, 16) }
        return count == 0 || (count == 16 && header == Array("SQLite format 3\0".utf8))
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

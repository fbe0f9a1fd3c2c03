import SoupPlatform

/// The few file-system questions the driver layer asks.
public enum FileSystem {
    /// Whether `path` names an existing regular file (following links).
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

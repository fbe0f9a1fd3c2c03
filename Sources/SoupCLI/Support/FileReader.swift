import SoupPlatform

/// Reads whole files (and standard input) as UTF-8 text.
enum FileReader {
    /// The contents of `path`, or of standard input when `path` is `-`.
    static func text(of path: String) throws -> String {
        do {
            let file = path == "-" ? FileDescriptor.standardInput : try FileDescriptor.open(path, O_RDONLY)
            defer { if file != .standardInput { file.close() } }
            return String(decoding: try file.readToEnd(), as: UTF8.self)
        } catch {
            throw CommandFailure(message: "\(path): \(error)", exitCode: ExitStatus.statementFailed)
        }
    }
}

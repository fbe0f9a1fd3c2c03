import Foundation

/// A directory of golden files: the expected output, committed, compared byte for byte.
///
/// With `SOUP_UPDATE_GOLDEN=1` in the environment the files are written instead of compared
/// (then review every diff: the goldens are the specification).
public struct GoldenDirectory: Sendable {
    public let url: URL
    /// How the files are named in messages: `terminal`, `layout`.
    public let name: String

    public init(_ url: URL) {
        self.url = url
        self.name = url.lastPathComponent
    }

    public static var isUpdating: Bool {
        ProcessInfo.processInfo.environment["SOUP_UPDATE_GOLDEN"] == "1"
    }

    /// Nil when `actual` is the golden file `file` byte for byte (or has just been written to
    /// it); else what differs: the first line that does, or that the file is missing.
    public func difference(_ actual: String, _ file: String) -> String? {
        let path = url.appendingPathComponent(file)
        if Self.isUpdating {
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: path)
                return nil
            } catch {
                return "cannot write \(path.path): \(error)"
            }
        }
        guard let data = FileManager.default.contents(atPath: path.path) else {
            return "missing golden \(name)/\(file); run with SOUP_UPDATE_GOLDEN=1"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?
            .offset ?? min(expectedLines.count, actualLines.count)
        let shown = { (lines: [Substring]) in
            line < lines.count ? String(reflecting: String(lines[line])) : "<end>"
        }
        return """
            \(name)/\(file) differs at line \(line + 1):
              expected \(shown(expectedLines))
              actual   \(shown(actualLines))
            """
    }
}

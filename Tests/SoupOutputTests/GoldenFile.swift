import Foundation
import Testing

/// Compares output with a committed golden file under `Tests/SoupOutputTests/Golden/<set>/`.
///
/// Set `SOUP_UPDATE_GOLDEN=1` to write the files instead of comparing (then review every diff:
/// the goldens are the specification). Each set is a directory, so one fixture can have goldens
/// per source: `values` for in-memory values, later `sqlite` and `postgres` for the same
/// values read back through the drivers.
struct GoldenFile {
    /// The directory under `Golden/`.
    let set: String

    static var isUpdating: Bool {
        ProcessInfo.processInfo.environment["SOUP_UPDATE_GOLDEN"] == "1"
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    func url(_ name: String) -> URL {
        Self.root.appendingPathComponent(set).appendingPathComponent(name)
    }

    /// Records an issue unless `actual` equals the golden file `name` byte for byte.
    func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation)
    {
        let file = url(name)
        if Self.isUpdating {
            do {
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: file)
            } catch {
                Issue.record("cannot write \(file.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            Issue.record(
                "missing golden \(set)/\(name); run with SOUP_UPDATE_GOLDEN=1",
                sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?
            .offset ?? min(expectedLines.count, actualLines.count)
        let shown = { (lines: [Substring]) in
            line < lines.count ? String(reflecting: String(lines[line])) : "<end>"
        }
        Issue.record(
            """
            \(set)/\(name) differs at line \(line + 1):
              expected \(shown(expectedLines))
              actual   \(shown(actualLines))
            """, sourceLocation: sourceLocation)
    }
}

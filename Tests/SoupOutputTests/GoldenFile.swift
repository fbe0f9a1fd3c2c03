import Foundation
import SoupTestSupport
import Testing

/// Compares output with a committed golden file under `Tests/SoupOutputTests/Golden/<set>/`
/// (``GoldenDirectory``: `SOUP_UPDATE_GOLDEN=1` writes them instead).
///
/// Each set is a directory, so one fixture can have goldens per source: `values` for in-memory
/// values, `sqlite` and `postgres` for the same values read back through the drivers.
struct GoldenFile {
    /// The directory under `Golden/`.
    let set: String

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    func url(_ name: String) -> URL {
        Self.root.appendingPathComponent(set).appendingPathComponent(name)
    }

    /// Records an issue unless `actual` equals the golden file `name` byte for byte.
    func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let difference = GoldenDirectory(Self.root.appendingPathComponent(set)).difference(actual, name) {
            Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
        }
    }
}

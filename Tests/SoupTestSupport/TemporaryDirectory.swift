import Foundation

/// A fresh, uniquely named directory under `/tmp`, removed when you call ``remove()``.
///
/// ```swift
/// let directory = try TemporaryDirectory()
/// defer { directory.remove() }
/// let database = directory.file(named: "test.db")
/// ```
public struct TemporaryDirectory: Sendable {
    /// The absolute path of the directory.
    public let path: String

    /// Creates `/tmp/<prefix>.XXXXXX` (mode 0700).
    public init(prefix: String = "soup-test") throws {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let created else {
            throw TestSupportError(
                "cannot create a directory under /tmp: \(String(cString: strerror(errno)))")
        }
        path = String(cString: created)
    }

    /// The path of an entry named `name` inside the directory (nothing is created).
    public func file(named name: String) -> String {
        path + "/" + name
    }

    /// Deletes the directory and everything in it; a directory already gone is fine.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

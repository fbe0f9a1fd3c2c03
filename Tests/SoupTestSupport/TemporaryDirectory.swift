import Foundation
import Synchronization

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

    /// Deletes the directory when the test process exits: for a fixture that several tests
    /// share, which no one test may remove.
    public func removeAtExit() {
        _ = Self.exitHook
        Self.removedAtExit.withLock { $0.append(path) }
    }

    private static let removedAtExit = Mutex<[String]>([])

    private static let exitHook: Void = {
        _ = atexit {
            for path in TemporaryDirectory.removedAtExit.withLock({ $0 }) {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }()
}

import Foundation
import SoupTestSupport

/// Paths and runners shared by the Docs tests (man pages, completions, install).
enum Docs {
    /// The package directory: this file is `Tests/SoupCLITests/DocsSupport.swift`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The absolute path of `relative` in the package.
    static func file(_ relative: String) -> String {
        root + "/" + relative
    }

    /// Runs `executable` from the package directory.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        timeout: Double = 60
    ) throws -> ProcessResult {
        try ProcessRunner.run(
            executable: executable, arguments: arguments, environment: environment,
            currentDirectory: root, timeout: timeout)
    }

    /// A SQLite file with two tables and a view, made by the sqlite3 CLI.
    static func library() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory(prefix: "soup-docs")
        let path = directory.file(named: "library.db")
        let sql = """
            CREATE TABLE users (name text PRIMARY KEY, email text);
            CREATE TABLE loans (id integer PRIMARY KEY, user_name text REFERENCES users (name));
            CREATE VIEW user_emails AS SELECT email FROM users;
            """
        let result = try ProcessRunner.run(executable: "sqlite3", arguments: [path], stdin: Array(sql.utf8))
        guard result.status == 0 else { throw TestSupportError("sqlite3 failed: \(result.stderr)") }
        return (directory, path)
    }
}

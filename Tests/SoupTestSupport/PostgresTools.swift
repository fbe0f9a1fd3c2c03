import Foundation
import SoupDriver

/// The PostgreSQL programs the harness uses, and how to run the server-side ones.
struct PostgresTools: Sendable {
    /// The directory holding `initdb`, `pg_ctl`, `psql` and the rest.
    let binDirectory: String
    /// The OS user that runs `initdb` and `pg_ctl`, which refuse to run as root; nil to run
    /// them as this process's user.
    let serverUser: String?

    static let installHint =
        "install them with `apt-get install -y postgresql` (Debian/Ubuntu) or run `scripts/setup`"

    /// Finds a directory holding all of `tools`: the newest `/usr/lib/postgresql/*/bin`, else
    /// `pg_config --bindir`, else the directory of the first tool found on `PATH`.
    static func locate(requiring tools: [String]) throws -> PostgresTools {
        func holdsAll(_ directory: String) -> Bool {
            tools.allSatisfy { access(directory + "/" + $0, X_OK) == 0 }
        }
        let found =
            versionedBinDirectories().first(where: holdsAll)
            ?? [pgConfigBinDirectory(), pathDirectory(of: tools[0])].compactMap({ $0 }).first(
                where: holdsAll)
        guard let found else {
            throw TestSupportError(
                "PostgreSQL programs not found (\(tools.joined(separator: ", "))): \(installHint)")
        }
        return PostgresTools(binDirectory: found, serverUser: geteuid() == 0 ? "postgres" : nil)
    }

    /// Runs `initdb`, `pg_ctl` or another server-side tool from `/tmp`, through
    /// `runuser -u postgres --` when we are root; throws with its output when it fails.
    func runServerTool(_ tool: String, _ arguments: [String], timeout: Double = 120) throws {
        var command = [binDirectory + "/" + tool] + arguments
        if let serverUser {
            command = ["runuser", "-u", serverUser, "--"] + command
        }
        let result = try ProcessRunner.run(
            executable: command[0], arguments: Array(command.dropFirst()), currentDirectory: "/tmp",
            timeout: timeout)
        guard result.status == 0 else {
            throw TestSupportError(
                "\(tool) failed with status \(result.status): \(command.joined(separator: " "))\n"
                    + result.stdout + result.stderr)
        }
    }

    /// Makes `serverUser` the owner of `directory`, so the server can write there.
    func handOver(_ directory: String) throws {
        guard let serverUser else { return }
        guard let entry = getpwnam(serverUser) else {
            throw TestSupportError(
                "running as root needs the `\(serverUser)` OS user to own the server; "
                    + Self.installHint)
        }
        guard chown(directory, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw TestSupportError(
                "chown \(serverUser) \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// Runs `sql` (any number of statements) through `psql -X -A -t -q -v ON_ERROR_STOP=1` on
    /// `url`; returns its standard output without the final newline.
    func psql(sql: String, url: String) throws -> String {
        let result = try ProcessRunner.run(
            executable: binDirectory + "/psql",
            arguments: ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", url],
            stdin: Array(sql.utf8), timeout: 120)
        guard result.status == 0 else {
            throw TestSupportError(
                "psql on \(ConnectionString.redacted(url)) failed with status \(result.status): "
                    + result.stderr)
        }
        var output = result.stdout
        if output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// `/usr/lib/postgresql/<version>/bin`, newest version first.
    private static func versionedBinDirectories() -> [String] {
        let versions =
            (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "/usr/lib/postgresql/\($0)/bin" }
    }

    private static func pgConfigBinDirectory() -> String? {
        guard let result = try? ProcessRunner.run(executable: "pg_config", arguments: ["--bindir"]),
            result.status == 0
        else { return nil }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The real directory (symbolic links resolved) of `tool` found on `PATH`.
    private static func pathDirectory(of tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") where access("\(directory)/\(tool)", X_OK) == 0
        {
            guard let resolved = realpath("\(directory)/\(tool)", nil) else { continue }
            defer { free(resolved) }
            return URL(fileURLWithPath: String(cString: resolved)).deletingLastPathComponent().path
        }
        return nil
    }
}

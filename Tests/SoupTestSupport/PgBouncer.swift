import Foundation
import Synchronization

/// A PgBouncer (Debian's `pgbouncer`) on loopback in front of a PostgreSQL server of the suite,
/// for the tests of soup through a connection pooler.
///
/// Each pool holds one server connection (`default_pool_size = 1`), so a client that comes after
/// soup to the same database gets the very server connection soup used, with whatever soup left
/// on it. Started from a config and an auth file in its own directory under `/tmp`, as the
/// `postgres` OS user when the tests run as root (as the PostgreSQL server is); stopped and
/// deleted when the process exits.
///
/// ```swift
/// let bouncer = try PgBouncer.shared(.transaction)
/// let url = bouncer.url(database)          // postgresql://postgres@127.0.0.1:PORT/DATABASE
/// ```
public final class PgBouncer: Sendable {
    public enum PoolMode: String, Sendable {
        /// A client keeps one server connection until it disconnects (`DISCARD ALL` then).
        case session
        /// A client gets a server connection for one transaction at a time.
        case transaction
    }

    public let port: Int
    public let poolMode: PoolMode
    private let directory: String

    static let installHint = "install it with `apt-get install -y pgbouncer` (Debian/Ubuntu) or run `scripts/setup`"

    private static let sharedInstances = Mutex<[String: Result<PgBouncer, any Error>]>([:])
    private static let running = Mutex<[PgBouncer]>([])
    private static let exitHook: Void = {
        _ = atexit {
            for bouncer in PgBouncer.running.withLock({ $0 }) { bouncer.stop() }
        }
    }()

    /// The PgBouncer in `mode` in front of ``PostgresServer/shared()``, for every database on
    /// it; started on first use, a failure to start is remembered.
    public static func shared(_ mode: PoolMode) throws -> PgBouncer {
        try sharedInstances.withLock { instances in
            let result =
                instances[mode.rawValue]
                ?? Result {
                    let server = try PostgresServer.shared()
                    return try start(mode, databases: ["*": "host=\(server.host) port=\(server.port)"])
                }
            instances[mode.rawValue] = result
            return try result.get()
        }
    }

    /// Starts a PgBouncer in `mode`; `databases` maps the database names clients ask for to the
    /// libpq keywords of the server database behind each (`host=127.0.0.1 port=5433 dbname=app`;
    /// the name `*` stands for any other, on a server of the same name).
    public static func start(_ mode: PoolMode, databases: [String: String]) throws -> PgBouncer {
        let candidates = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        guard let executable = candidates.first(where: { (path: String) in access(path, X_OK) == 0 }) else {
            throw TestSupportError("pgbouncer not found: \(installHint)")
        }
        let tools = try PostgresTools.locate(requiring: ["psql"])
        let directory = try TemporaryDirectory(prefix: "soup-pgbouncer")
        var failure: any Error = TestSupportError("not started")
        for _ in 1...3 {
            do {
                let port = try LocalCluster.freePort()
                try writeConfig(in: directory, mode: mode, port: port, databases: databases)
                try tools.handOver(directory.path)
                var command = [executable, "-d", directory.file(named: "pgbouncer.ini")]
                if let user = tools.serverUser { command = ["runuser", "-u", user, "--"] + command }
                let result = try ProcessRunner.run(
                    executable: command[0], arguments: Array(command.dropFirst()), currentDirectory: "/tmp", timeout: 60)
                guard result.status == 0 else {
                    throw TestSupportError("pgbouncer exited with \(result.status): \(result.stdout)\(result.stderr)")
                }
                let bouncer = PgBouncer(port: port, poolMode: mode, directory: directory.path)
                _ = exitHook
                running.withLock { $0.append(bouncer) }
                try bouncer.waitUntilListening()
                return bouncer
            } catch {
                failure = error
            }
        }
        let log = (try? String(contentsOfFile: directory.file(named: "pgbouncer.log"), encoding: .utf8)) ?? ""
        directory.removeAtExit()
        throw TestSupportError("PgBouncer did not start: \(failure)\nlog:\n\(log.suffix(3000))")
    }

    private static func writeConfig(
        in directory: TemporaryDirectory, mode: PoolMode, port: Int, databases: [String: String]
    ) throws {
        let entries = databases.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
        let config = """
            [databases]
            \(entries.joined(separator: "\n"))

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = trust
            auth_file = \(directory.file(named: "userlist.txt"))
            pool_mode = \(mode.rawValue)
            default_pool_size = 1
            max_client_conn = 200
            server_reset_query = DISCARD ALL
            logfile = \(directory.file(named: "pgbouncer.log"))
            pidfile = \(directory.file(named: "pgbouncer.pid"))

            """
        try config.write(toFile: directory.file(named: "pgbouncer.ini"), atomically: false, encoding: .utf8)
        // With auth_type = trust, PgBouncer still lets in only the users this file lists.
        try "\"postgres\" \"\"\n".write(toFile: directory.file(named: "userlist.txt"), atomically: false, encoding: .utf8)
    }

    private init(port: Int, poolMode: PoolMode, directory: String) {
        self.port = port
        self.poolMode = poolMode
        self.directory = directory
    }

    /// `postgresql://postgres@127.0.0.1:PORT/DATABASE`.
    public func url(_ database: String) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// What PgBouncer has logged so far.
    public var log: String {
        (try? String(contentsOfFile: directory + "/pgbouncer.log", encoding: .utf8)) ?? ""
    }

    /// Stops PgBouncer (SIGTERM: at once, closing every connection) and deletes its directory.
    public func stop() {
        if let text = try? String(contentsOfFile: directory + "/pgbouncer.pid", encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(pid, SIGTERM)
            for _ in 1...200 where kill(pid, 0) == 0 { usleep(10_000) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits until PgBouncer accepts TCP connections on its port (it daemonizes before that).
    private func waitUntilListening() throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !accepts() {
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("PgBouncer did not listen on 127.0.0.1:\(port) within 30 s\nlog:\n\(log.suffix(3000))")
            }
            usleep(10_000)
        }
    }

    private func accepts() -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

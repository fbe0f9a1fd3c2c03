import Foundation
import Synchronization

/// A throwaway PostgreSQL cluster in its own directory under `/tmp`, listening on 127.0.0.1 and
/// on a unix socket in that directory, tuned for speed over durability.
///
/// Every cluster started here is stopped (`pg_ctl stop -m immediate`) and deleted when the
/// process exits. The directory holds a marker naming the owning process, so a later run can
/// remove clusters whose owner crashed.
struct LocalCluster: Sendable {
    /// The cluster's own directory: the data directory, the server log and the socket.
    let directory: String
    let port: Int
    let tools: PostgresTools
    /// Extra `-c name=value` server settings, kept for a restart.
    let settings: [String]
    /// Whether `synchronous_commit` is on.
    let durable: Bool

    private static let directoryPrefix = "soup-pg"
    private static let ownerMarker = "soup-test-owner"

    /// The server log (what `log_statement` writes).
    var logFile: String { directory + "/server.log" }

    /// Removes clusters left by crashed runs, then initializes and starts a new one;
    /// `settings` are extra `-c name=value` server settings (`log_statement=all`), and
    /// `durable` keeps `synchronous_commit` on, so a commit that returned survives a crash.
    static func create(tools: PostgresTools, settings: [String] = [], durable: Bool = false) throws -> LocalCluster {
        removeStale(tools: tools)
        let directory = try TemporaryDirectory(prefix: directoryPrefix)
        do {
            try markOwned(directory, tools: tools)
            try tools.runServerTool(
                "initdb",
                [
                    "-D", dataDirectory(in: directory.path), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C", "--no-sync",
                ])
            let cluster = LocalCluster(
                directory: directory.path,
                port: try start(in: directory.path, tools: tools, settings: settings, durable: durable),
                tools: tools, settings: settings, durable: durable)
            register(cluster)
            return cluster
        } catch {
            destroy(directory: directory.path, tools: tools)
            throw error
        }
    }

    /// A hot standby of this cluster, copied with `pg_basebackup -R` (streaming replication)
    /// and started on its own port.
    func makeStandby() throws -> LocalCluster {
        let directory = try TemporaryDirectory(prefix: Self.directoryPrefix)
        do {
            try Self.markOwned(directory, tools: tools)
            try tools.runServerTool(
                "pg_basebackup",
                [
                    "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-D",
                    Self.dataDirectory(in: directory.path), "-R", "-X", "stream", "-c", "fast",
                    "--no-sync",
                ])
            let standby = LocalCluster(
                directory: directory.path, port: try Self.start(in: directory.path, tools: tools),
                tools: tools, settings: [], durable: false)
            Self.register(standby)
            return standby
        } catch {
            Self.destroy(directory: directory.path, tools: tools)
            throw error
        }
    }

    /// Writes the owner marker and hands the directory to the server's OS user.
    private static func markOwned(_ directory: TemporaryDirectory, tools: PostgresTools) throws {
        guard let owner = ProcessIdentity(pid: getpid()) else {
            throw TestSupportError("cannot read /proc/self/stat")
        }
        try owner.description.write(
            toFile: directory.file(named: ownerMarker), atomically: false, encoding: .utf8)
        try tools.handOver(directory.path)
    }

    /// Starts the server whose data directory is in `directory` (a fresh cluster, or later a
    /// replica made by `pg_basebackup -R`) on a free port, trying another port if that one was
    /// taken meanwhile; returns the port. `port` asks for that port only.
    private static func start(
        in directory: String, tools: PostgresTools, settings: [String] = [], durable: Bool = false,
        port fixedPort: Int? = nil
    ) throws -> Int {
        var failure: any Error = TestSupportError("not started")
        for _ in 1...(fixedPort == nil ? 3 : 1) {
            let port = try fixedPort ?? freePort()
            let options = [
                "-p \(port)", "-c listen_addresses=127.0.0.1",
                "-c unix_socket_directories=\(directory)",
                "-c fsync=off", "-c full_page_writes=off",
                "-c synchronous_commit=\(durable ? "on" : "off")", "-c max_connections=200",
            ] + settings.map { "-c " + $0 }
            do {
                try tools.runServerTool(
                    "pg_ctl",
                    [
                        "start", "-D", dataDirectory(in: directory), "-l",
                        directory + "/server.log",
                        "-w", "-t", "60", "-o", options.joined(separator: " "),
                    ])
                return port
            } catch {
                failure = error
            }
        }
        let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        throw TestSupportError(
            "PostgreSQL did not start: \(failure)\nserver log:\n\(log.suffix(3000))")
    }

    private static func dataDirectory(in directory: String) -> String {
        directory + "/data"
    }

    /// Stops the server the way a crash would (`pg_ctl stop -m immediate`: every server
    /// process quits at once, no checkpoint); ``restart()`` brings it back.
    func stopImmediately() throws {
        try tools.runServerTool(
            "pg_ctl", ["stop", "-D", Self.dataDirectory(in: directory), "-m", "immediate", "-w"])
    }

    /// Starts the stopped server again on the same port (crash recovery runs first).
    func restart() throws {
        _ = try Self.start(in: directory, tools: tools, settings: settings, durable: durable, port: port)
    }

    /// Replaces `pg_hba.conf` with `lines` and tells the server to reload it.
    func setHostBasedAuthentication(_ lines: String) throws {
        let data = Self.dataDirectory(in: directory)
        try lines.write(toFile: data + "/pg_hba.conf", atomically: false, encoding: .utf8)
        try tools.runServerTool("pg_ctl", ["reload", "-D", data])
    }

    // MARK: Stopping

    private static let running = Mutex<[LocalCluster]>([])

    private static let exitHook: Void = {
        _ = atexit { LocalCluster.stopAll() }
    }()

    private static func register(_ cluster: LocalCluster) {
        _ = exitHook
        running.withLock { $0.append(cluster) }
    }

    /// Stops and deletes every cluster this process started, newest first (so a replica goes
    /// before its primary).
    private static func stopAll() {
        let clusters = running.withLock { clusters in
            defer { clusters.removeAll() }
            return clusters
        }
        for cluster in clusters.reversed() {
            destroy(directory: cluster.directory, tools: cluster.tools)
        }
    }

    /// Stops the server in `directory`, if one runs, without a checkpoint, and deletes the
    /// directory.
    private static func destroy(directory: String, tools: PostgresTools) {
        let data = dataDirectory(in: directory)
        if FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
            try? tools.runServerTool(
                "pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"], timeout: 60)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Destroys the clusters under `/tmp` whose owning process is gone.
    private static func removeStale(tools: PostgresTools) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix(directoryPrefix + ".") {
            let directory = "/tmp/" + name
            guard
                let marker = try? String(
                    contentsOfFile: directory + "/" + ownerMarker, encoding: .utf8),
                let owner = ProcessIdentity(marker), !owner.isAlive
            else { continue }
            destroy(directory: directory, tools: tools)
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else {
            throw TestSupportError("socket: \(String(cString: strerror(errno)))")
        }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else {
            throw TestSupportError("bind 127.0.0.1:0: \(String(cString: strerror(errno)))")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A process, told apart from a later one that reuses its pid by its start time.
struct ProcessIdentity: Equatable, CustomStringConvertible {
    let pid: pid_t
    let startTime: String

    /// The running process `pid`, from `/proc/<pid>/stat`; nil if there is none.
    init?(pid: pid_t) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let commandEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (command) " come the fields from the third on; the start time is the 22nd.
        let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        self.pid = pid
        self.startTime = String(fields[19])
    }

    /// Parses ``description``.
    init?(_ description: String) {
        let parts = description.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, let pid = pid_t(parts[0]) else { return nil }
        self.pid = pid
        self.startTime = String(parts[1])
    }

    /// Whether the very process this names still runs.
    var isAlive: Bool { ProcessIdentity(pid: pid) == self }

    var description: String { "\(pid) \(startTime)" }
}

import Foundation

/// A TCP relay on 127.0.0.1 in front of a PostgreSQL server that records what clients send, one
/// *flight* at a time: the bytes a client sends before the server answers. Each flight after the
/// first costs the client a round trip, so a test can count the round trips of a command run as
/// a user runs it, and see which statements went out together.
///
/// ```swift
/// let recorder = try WireRecorder(to: server)
/// defer { recorder.stop() }
/// _ = try SoupBinary.run(["query", recorder.url(database: name), "t.first()"])
/// let flights = recorder.flights  // [[UInt8]], in order
/// ```
public final class WireRecorder: @unchecked Sendable {
    /// The port clients connect to.
    public let port: Int
    private let server: PostgresServer
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [[UInt8]] = []
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    /// Starts relaying to `server`; connections are served one after another.
    public init(to server: PostgresServer) throws {
        self.server = server
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            close(listener)
            throw TestSupportError("cannot listen on 127.0.0.1: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            serve()
            done.signal()
        }
    }

    /// A URL of `database` on the server, through the relay.
    public func url(database: String) -> String {
        var url = URLComponents(string: server.url(database: database))!
        url.host = "127.0.0.1"
        url.port = port
        return url.string!
    }

    /// Every flight recorded so far, over all connections, in order.
    public var flights: [[UInt8]] {
        lock.withLock { recorded }
    }

    /// Stops accepting connections and waits for the relay to end.
    public func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR, !lock.withLock({ stopped }) { continue }
                return
            }
            relay(client)
            close(client)
        }
    }

    /// Relays one connection until either side closes it.
    private func relay(_ client: Int32) {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = Self.loopback(port: UInt16(server.port))
        // A server named by address keeps it; a host name (localhost) is taken to be this machine.
        let named = inet_addr(server.host)
        if named != INADDR_NONE { address.sin_addr.s_addr = named }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        /// Whether the server has answered since the client last sent: the next bytes start a flight.
        var answered = true
        while true {
            var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) > 0 else {
                if errno == EINTR { continue }
                return
            }
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let from = index == 0 ? client : upstream
                let to = index == 0 ? upstream : client
                let count = read(from, &buffer, buffer.count)
                guard count > 0 else { return }
                let bytes = Array(buffer[0..<count])
                if index == 0 {
                    lock.withLock {
                        if answered || recorded.isEmpty { recorded.append(bytes) } else { recorded[recorded.count - 1] += bytes }
                    }
                    answered = false
                } else {
                    answered = true
                }
                guard Self.writeAll(bytes, to: to) else { return }
            }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}

extension WireRecorder {
    /// The SQL text of the Parse and Query messages of a flight, in order (extended and simple
    /// protocol; other messages are skipped).
    public static func statements(in flight: [UInt8]) -> [String] {
        var statements: [String] = []
        var offset = 0
        // Start-up messages (SSL request, start-up packet) have no type byte: no statements.
        guard let first = flight.first, first >= 0x41 else { return [] }
        while offset + 5 <= flight.count {
            let type = flight[offset]
            let length = flight[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
            let body = flight[(offset + 5)..<min(flight.count, offset + 1 + length)]
            switch type {
            case UInt8(ascii: "P"):
                // Parse: statement name, NUL, query, NUL, …
                let parts = body.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count > 1 { statements.append(String(decoding: parts[1], as: UTF8.self)) }
            case UInt8(ascii: "Q"):
                statements.append(String(decoding: body.prefix { $0 != 0 }, as: UTF8.self))
            default:
                break
            }
            offset += 1 + length
        }
        return statements
    }
}

import SoupDriver
import SoupPlatform

/// What read-your-writes decided for a read.
enum StickyVerdict {
    /// Read on the writer, for this reason.
    case holdWriter(String)
    /// Read on the reader; the detail says how long the LSN wait took, if there was one.
    case reader(String?)
}

extension RoutingConnection {
    /// Whether a read may go to `reader` after the profile's last write: in `time`
    /// mode not within `sticky_window` of it; in `lsn` mode once the reader has replayed the
    /// writer's WAL position, waiting up to `lsn_wait_timeout`.
    func readYourWritesCheck(_ reader: BindingSlot) throws -> StickyVerdict {
        guard let mark = readYourWrites.lastWrite else { return .reader(nil) }
        switch profile.sticky {
        case .off:
            return .reader(nil)
        case .time:
            let age = WallClock.now() - mark.time
            let window = profile.stickyWindow.seconds
            guard age >= 0, age < window else { return .reader(nil) }
            return .holdWriter("read-your-writes: last write \(Self.milliseconds(age)) ms ago, within sticky_window \(Self.milliseconds(window)) ms")
        case .lsn:
            guard dialect == .postgres, let lsn = mark.lsn, !readYourWrites.replayed else { return .reader(nil) }
            let connection = try open(reader)
            let started = ContinuousClock.now
            let deadline = started + profile.lsnWaitTimeout
            while true {
                let replayed = try connection.scalar(
                    "SELECT coalesce(pg_catalog.pg_last_wal_replay_lsn() >= \(dialect.placeholder(0))::pg_lsn, true)",
                    [.text(lsn)])
                if replayed == .bool(true) {
                    readYourWrites.replayed = true
                    return .reader("replayed the last write \(lsn) after \(Self.milliseconds((ContinuousClock.now - started).seconds)) ms")
                }
                if ContinuousClock.now >= deadline { break }
                usleep(10_000)
            }
            return .holdWriter(
                "read-your-writes: the reader had not replayed \(lsn) within lsn_wait_timeout \(Self.milliseconds(profile.lsnWaitTimeout.seconds)) ms")
        }
    }

    static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

import SoupDriver
import SoupPlatform

/// What read-your-writes decided for a read.
enum StickyVerdict {
    /// Read on the writer, for this reason.
    case holdWriter(String)
    /// Read on a reader: the one that has replayed the last write (nil: any), and how long the
    /// LSN wait took, if there was one.
    case reader(BindingSlot?, String?)
}

extension RoutingConnection {
    /// Whether a read may go to one of `readers` (in round-robin order) after the profile's
    /// last write: in `time` mode not within `sticky_window` of it; in `lsn` mode to the first
    /// reader that has replayed the writer's WAL position, waiting up to `lsn_wait_timeout`.
    func readYourWritesCheck(_ readers: [BindingSlot]) throws -> StickyVerdict {
        guard let mark = readYourWrites.lastWrite else { return .reader(nil, nil) }
        switch profile.sticky {
        case .off:
            return .reader(nil, nil)
        case .time:
            let age = WallClock.now() - mark.time
            let window = profile.stickyWindow.seconds
            guard age >= 0, age < window else { return .reader(nil, nil) }
            return .holdWriter("read-your-writes: last write \(Self.milliseconds(age)) ms ago, within sticky_window \(Self.milliseconds(window)) ms")
        case .lsn:
            guard dialect == .postgres, let lsn = mark.lsn else { return .reader(nil, nil) }
            let started = ContinuousClock.now
            let deadline = started + profile.lsnWaitTimeout
            var candidates = readers
            while !candidates.isEmpty {
                for reader in candidates {
                    // Once a reader has caught up, later reads go there without asking.
                    if reader.health.replayedLSN == lsn { return .reader(reader, nil) }
                    do {
                        let replayed = try open(reader).scalar(
                            "SELECT coalesce(pg_catalog.pg_last_wal_replay_lsn() >= \(dialect.placeholder(0))::pg_lsn, true)",
                            [.text(lsn)])
                        if replayed == .bool(true) {
                            reader.health.replayedLSN = lsn
                            let waited = Self.milliseconds((ContinuousClock.now - started).seconds)
                            return .reader(reader, "\(reader.label) replayed the last write \(lsn) after \(waited) ms")
                        }
                    } catch let error as DatabaseError where error.isConnectionFailure {
                        markDown(reader, error)
                        candidates.removeAll { $0 === reader }
                    }
                }
                if ContinuousClock.now >= deadline { break }
                usleep(10_000)
            }
            let which = readers.count > 1 ? "no reader" : "the reader"
            return .holdWriter(
                "read-your-writes: \(which) had replayed \(lsn) within lsn_wait_timeout \(Self.milliseconds(profile.lsnWaitTimeout.seconds)) ms")
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

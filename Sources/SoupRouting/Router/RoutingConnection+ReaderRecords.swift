/// The readers' back-offs and the last session's reads, kept between processes
/// (``ReaderRecords``).
extension RoutingConnection {
    /// How long after its back-off ended a reader's back-off still counts: failing again soon
    /// after, it doubles from there, as it would have within one process.
    static let backoffMemory = 60.0

    /// Takes over what an earlier process left: a reader still in its back-off is skipped without
    /// being tried, for the readers whose name and URL are unchanged.
    func adoptReaderRecords() {
        guard let file = readerRecordsFile, !readerSlots.isEmpty, let records = ReaderRecords.load(from: file) else { return }
        let now = WallClock.now()
        for record in records.readers {
            guard let until = record.downUntil, until + Self.backoffMemory > now,
                let slot = readerSlots.first(where: { $0.label == record.label && $0.config.displayURL == record.url })
            else { continue }
            slot.health.backoff = .seconds(record.backoffSeconds)
            guard until > now else { continue }
            slot.health.downUntil = ContinuousClock.now + .seconds(until - now)
            slot.health.downUntilWall = until
            slot.health.downReason = record.reason
        }
        earlierReads = records.reads
    }

    /// Saves the readers' back-offs, and this session's reads when it routed any (otherwise the
    /// last session's stay).
    func saveReaderRecords() {
        guard let file = readerRecordsFile, !readerSlots.isEmpty else { return }
        let now = WallClock.now()
        let readers = readerSlots.map { slot in
            let down = slot.health.downUntilWall
            return ReaderRecords.Reader(
                label: slot.label, url: slot.config.displayURL, downUntil: down,
                backoffSeconds: down == nil ? 0 : slot.health.backoff.seconds, reason: down == nil ? nil : slot.health.downReason)
        }
        var reads = earlierReads
        if readsRouted > 0 {
            let byReader = slots.filter { $0.reads > 0 }.map { ($0.label, $0.reads) }
            reads = ReaderRecords.Reads(
                endedAt: now, routed: readsRouted, byReader: Dictionary(byReader, uniquingKeysWith: +), last: lastRead)
        }
        ReaderRecords(readers: readers, reads: reads).save(to: file, now: now)
    }
}

import SoupDriver
import SoupSQL

/// What routing keeps of the statements it sends: the audit log of writes, the commit that
/// read-your-writes waits for, and the short form of a statement that reports show.
extension RoutingConnection {
    /// After a write on the writer: note it for read-your-writes and log it.
    func afterWrite(
        _ classification: SQLClassification, on slot: BindingSlot, _ sql: String, _ parameters: [Value],
        since started: ContinuousClock.Instant, outcome: String
    ) {
        guard classification.kind == .write || classification.escapesReadOnly, slot.name != Binding.logger else { return }
        if slot.name == Binding.writer { writerHasUnrecordedWrite = true }
        logWrite(sql, parameters, binding: slot.name, duration: ContinuousClock.now - started, outcome: outcome)
    }

    func logWrite(_ sql: String, _ parameters: [Value], binding: String, duration: Duration, outcome: String) {
        guard let loggerSlot = slot(role: Binding.logger) else { return }
        do {
            try logger.record(
                on: try open(loggerSlot), binding: binding, sql: sql, parameters: parameters, duration: duration,
                outcome: outcome)
            loggerSlot.statementsSent += 1
        } catch {
            note("the logger binding could not record a write: \(error)")
        }
    }

    /// Once the writer is outside a transaction after a write, records the commit (time and
    /// the writer's WAL position) for read-your-writes.
    func recordCommittedWrite() {
        guard writerHasUnrecordedWrite, let writer = slot(role: Binding.writer), let connection = writer.connection,
            connection.transactionStatus == .idle
        else { return }
        writerHasUnrecordedWrite = false
        guard profile.sticky != .off, slot(role: Binding.reader) != nil else { return }
        var lsn: String?
        if dialect == .postgres {
            lsn = (try? connection.scalar("SELECT pg_catalog.pg_current_wal_insert_lsn()::text"))?.text
        }
        readYourWrites.record(ReadYourWrites.Mark(time: WallClock.now(), lsn: lsn))
    }

    /// The first line of a statement, at most 60 characters.
    static func summary(_ sql: String) -> String {
        // Found on the UTF-8 bytes: this runs for every statement sent, catalog queries included.
        let bytes = sql.utf8
        let isBreak = { (byte: UInt8) in byte == 0x0A || byte == 0x0D }
        let start = bytes.firstIndex { !isBreak($0) && $0 != 0x20 && $0 != 0x09 } ?? bytes.endIndex
        let end = bytes[start...].firstIndex(where: isBreak) ?? bytes.endIndex
        let line = sql[start..<end].trimmingWhitespace()
        return line.utf8.count > 60 && line.count > 60 ? String(line.prefix(57)) + "..." : line
    }
}

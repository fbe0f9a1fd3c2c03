import SoupDriver

extension Soup {
    /// The rows of a run sent and recorded together: as many as PostgreSQL pipelines in one
    /// round trip, and few enough that a row read to plan and bind its UPDATE is still in the
    /// processor's cache when its outcome is recorded (a flush of 10,000 rows that planned every
    /// row, then bound every row, then recorded every row read each from memory three times).
    static let rowsPerSend = 256

    /// UPDATEs or DELETEs of one SQL text in a row, a run, gathered to be sent together through
    /// ``Connection/executeEach(_:_:done:)`` a part at a time. A row that matched no row (or
    /// several) fails the flush once its whole run is sent and recorded; a database error fails
    /// it at once, after recording the rows before it.
    struct RunSender {
        private var part: [PlannedWrite] = []
        /// The kind and text of the run being gathered.
        private var current: (kind: PlannedWrite.Kind, text: String)?
        private var mismatch: (any Error)?

        init() {
            part.reserveCapacity(Soup.rowsPerSend)
        }

        mutating func add(_ write: consuming PlannedWrite, soup: Soup) throws {
            if let current, current.kind != write.kind || current.text != write.text { try endRun(soup: soup) }
            if current == nil { current = (write.kind, write.text) }
            part.append(write)
            if part.count == Soup.rowsPerSend { try sendPart(soup: soup) }
        }

        /// Sends what is left of the run, then fails if a row of it matched other than one row.
        mutating func endRun(soup: Soup) throws {
            try sendPart(soup: soup)
            current = nil
            if let mismatch {
                self.mismatch = nil
                throw mismatch
            }
        }

        private mutating func sendPart(soup: Soup) throws {
            guard let current, !part.isEmpty else { return }
            if let failure = soup.send(part[...], text: current.text, mismatch: &mismatch) { throw mismatch ?? failure }
            part.removeAll(keepingCapacity: true)
        }
    }

    /// Sends `part` and records it; returns the database error that stopped it, if any, and
    /// keeps the first row that matched other than one row in `mismatch`.
    fileprivate func send(_ part: ArraySlice<PlannedWrite>, text: String, mismatch: inout (any Error)?) -> (any Error)? {
        var changes: [WriteChange] = []
        var parameters = ParameterRows(width: part.first?.parameterCount ?? 0)
        changes.reserveCapacity(part.count)
        parameters.reserveCapacity(part.count)
        // Old → new, read before the rows take their new values, with the values bound. The
        // writes are read in place, by index: a copy of each retained its row, whose counts
        // (kept aside, since the identity map holds rows weakly) cost a cache miss each.
        for index in part.indices {
            if case .update(let plan) = part[index].statement {
                let values = part[index].row.values
                let stored = part[index].row.storedValues
                let rowID = plan.entity.usesRowID ? part[index].row.rowID : nil
                changes.append(.update(entity: plan.entity, old: stored, new: values))
                parameters.appendRun { plan.appendParameters(values: values, stored: stored, rowID: rowID, to: &$0) }
            } else {
                changes.append(WriteChange(part[index]))
                part[index].appendParameters(to: &parameters)
            }
        }
        var counts: [Int?] = []
        counts.reserveCapacity(part.count)
        var failure: (any Error)?
        do {
            try connection.executeEach(text, parameters) { _, rowsAffected in counts.append(rowsAffected) }
        } catch {
            failure = error
        }
        // Every run was sent (the common case): the lists are kept as they are, not copied.
        if counts.count < part.count {
            parameters.removeLast(part.count - counts.count)
            changes.removeLast(part.count - counts.count)
        }
        logSent(text, runs: parameters, changes: changes)
        writesSent += counts.count + (failure == nil ? 0 : 1)
        for (offset, count) in counts.enumerated() {
            let index = part.startIndex + offset
            if let count, count != 1 {
                if mismatch == nil { mismatch = Self.unexpectedRowCount(count, part[index]) }
                continue
            }
            switch part[index].kind {
            case .update where part[index].changesIdentity:
                let row = part[index].row
                let previous = row.storedIdentity
                row.storedValues = row.values
                session.updated(row, previousIdentity: previous)
            case .update:
                part[index].row.storedValues = part[index].row.values
            case .delete:
                session.removed(part[index].row)
            case .insert:
                break
            }
        }
        return failure
    }

    private static func unexpectedRowCount(_ count: Int, _ write: PlannedWrite) -> EvaluationError {
        EvaluationError(
            "\(write.kind == .update ? "UPDATE" : "DELETE") of \(write.row.representation) matched \(count) rows; "
                + "it was changed or deleted by someone else", hint: "db.refresh(row) reads it again")
    }
}

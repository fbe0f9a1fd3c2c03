import CLibPQ
import SoupDriver

/// Many statements per round trip: flush's runs of one statement (``executeEach``) and batches
/// of reads (``fetchBatch``), sent in libpq's pipeline mode.
extension PostgresConnection {
    /// Inside a transaction, the runs go in pipelines of ``runsPerPipeline`` through one
    /// prepared statement (unnamed runs when caching is off, or when the lists' parameter types
    /// differ); outside one, each run on its own, as ``query(_:_:)`` sends it.
    public func executeEach(_ sql: String, _ runs: ParameterRows, done: (Int, Int?) -> Void) throws {
        guard !runs.isEmpty else { return }
        guard transactionStatus == .inTransaction else {
            for (index, parameters) in runs.enumerated() {
                let cursor = try query(sql, Array(parameters))
                while try cursor.next() != nil {}
                done(index, cursor.rowsAffected)
            }
            return
        }
        try DatabaseError.checkNoNULByte(in: sql)
        try prepareToSend()
        let encoded = runs.map { ParameterEncoder(Array($0)) }
        let key = PostgresStatementCache.Key(sql: sql, types: encoded[0].types)
        var name: String?
        if encoded.allSatisfy({ $0.types == key.types }) {
            switch statements.planForRepeatedRuns(of: key) {
            case .prepare(let newName):
                _ = try prepareStatement(newName, sql: sql, types: key.types, describing: false)
                statements.didPrepare(key, as: newName)
                name = newName
            case .execute(let known):
                name = known
            case .unnamed:
                break
            }
        }
        var start = 0
        while start < encoded.count {
            let end = min(start + Self.runsPerPipeline, encoded.count)
            try runPipeline(sql, name: name, encoded[start..<end]) { done(start + $0, $1) }
            start = end
        }
    }

    /// Runs per pipeline: their messages and answers stay far below the socket buffers, so
    /// neither side waits for the other while the pipeline is sent.
    static let runsPerPipeline = 256

    /// Sends the runs in one pipeline and reads their outcomes; the first error is thrown after
    /// `done` heard of the runs before it (the server skips the runs after it).
    private func runPipeline(
        _ sql: String, name: String?, _ runs: ArraySlice<ParameterEncoder>, done: (Int, Int?) -> Void
    ) throws {
        guard soup_PQenterPipelineMode(handle) == 1 else { throw sendFailure(sql: sql) }
        var failure: DatabaseError?
        var sent = 0
        for encoded in runs {
            let count = Int32(encoded.types.count)
            let queued = encoded.withArrays { types, values, lengths, formats in
                if let name { return soup_PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0) }
                return soup_PQsendQueryParams(handle, sql, count, types, values, lengths, formats, 0)
            }
            guard queued == 1 else {
                failure = sendFailure(sql: sql)
                break
            }
            sent += 1
        }
        if soup_PQpipelineSync(handle) != 1, failure == nil { failure = sendFailure(sql: sql) }
        var index = 0
        reading: while index < sent {
            guard let result = nextResult() else {
                if soup_PQstatus(handle) == CONNECTION_BAD { break }
                index += 1
                continue
            }
            switch result.status {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                if failure == nil { done(index, Int(result.commandTuples) ?? 0) }
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = error(from: result, sql: sql) }
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                if failure == nil { failure = Self.unsupportedCopy(sql: sql) }
                abandonCopy()
                break reading
            default:
                break
            }
        }
        if let stuck = finishPipeline(statementsLeft: sent - index), failure == nil { failure = stuck }
        if let failure { throw failure }
    }

    /// Sends every statement at once in pipeline mode (after a pending `BEGIN`) and reads the
    /// results in order, so the batch costs one round trip.
    public func fetchBatch(_ batch: [BoundStatement]) throws -> [[[Value]]] {
        guard !batch.isEmpty else { return [] }
        for statement in batch { try DatabaseError.checkNoNULByte(in: statement.sql) }
        try prepareToSend(foldingBegin: true)
        let begin = pendingBegin.map { BoundStatement($0) }
        /// The statements sent: the batch, after the pending `BEGIN` (whose rows, none, are dropped).
        let pipeline = (begin.map { [$0] } ?? []) + batch
        let leading = pipeline.count - batch.count
        /// Results with user-defined types not read yet, kept as text until they are read.
        var undecoded: [UndecodedRows] = []
        guard soup_PQenterPipelineMode(handle) == 1 else { throw sendFailure(sql: pipeline.first?.sql ?? "") }
        var failure: DatabaseError?
        var sent = 0
        if begin != nil {
            if queuePendingBegin() { sent += 1 } else { failure = sendFailure(sql: pipeline[0].sql) }
        }
        for statement in batch where failure == nil {
            let encoded = ParameterEncoder(statement.parameters)
            let queued = encoded.withArrays { types, values, lengths, formats in
                soup_PQsendQueryParams(
                    handle, statement.sql, Int32(statement.parameters.count), types, values, lengths, formats, 0)
            }
            guard queued == 1 else {
                failure = sendFailure(sql: statement.sql)
                break
            }
            sent += 1
        }
        if soup_PQpipelineSync(handle) != 1, failure == nil {
            failure = sendFailure(sql: pipeline.last?.sql ?? "")
        }
        var rows = [[[Value]]](repeating: [], count: pipeline.count)
        // Each statement's results end with a nil; after an error, the statements left are
        // skipped (PGRES_PIPELINE_ABORTED) up to the sync point.
        var index = 0
        reading: while index < sent {
            guard let result = nextResult() else {
                if soup_PQstatus(handle) == CONNECTION_BAD { break }
                index += 1
                continue
            }
            let status = result.status
            if status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE, !customTypesLoaded,
                ResultLayout.needsCustomTypes(result, known: customTypes)
            {
                undecoded.append(UndecodedRows(index: index, result: result))
                continue
            }
            switch status {
            case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
                // libpq may keep the single-row mode of the statement before the batch for its
                // first statement, which then comes row by row.
                let layout = ResultLayout(of: result, custom: customTypes)
                for row in 0..<result.rowCount { rows[index].append(layout.row(row, of: result)) }
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = error(from: result, sql: pipeline[index].sql) }
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                if failure == nil { failure = Self.unsupportedCopy(sql: pipeline[index].sql) }
                abandonCopy()
                break reading
            default:
                break
            }
        }
        if let stuck = finishPipeline(statementsLeft: sent - index), failure == nil { failure = stuck }
        if let failure { throw failure }
        if !undecoded.isEmpty {
            try loadCustomTypes()
            for kept in undecoded { rows[kept.index] += kept.decoded(custom: customTypes) }
        }
        return Array(rows.dropFirst(leading))
    }

    /// Reads what is left up to the sync point and leaves pipeline mode. A connection that
    /// cannot leave it is reset before the next statement, and the error says so.
    private func finishPipeline(statementsLeft: Int) -> DatabaseError? {
        // A nil ends one statement's results, so at most one per statement comes before the sync.
        var nilsLeft = statementsLeft + 1
        while nilsLeft > 0, soup_PQstatus(handle) != CONNECTION_BAD {
            guard let result = nextResult() else {
                nilsLeft -= 1
                continue
            }
            if result.status == PGRES_PIPELINE_SYNC { break }
        }
        guard soup_PQexitPipelineMode(handle) != 1 else { return nil }
        needsReconnect = true
        let message = Self.firstLine(String(cString: soup_PQerrorMessage(handle)))
        return DatabaseError(kind: .connectionLost, message: "the connection was reset after a batch of statements: \(message)")
    }
}

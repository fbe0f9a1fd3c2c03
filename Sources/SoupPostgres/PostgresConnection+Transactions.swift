import CLibPQ
import SoupDriver

/// Transaction steps, with `BEGIN` sent in the round trip of the statement after it.
///
/// A `BEGIN` has no result anyone waits for, so it is kept until the next statement goes out
/// and then sent first in that statement's pipeline (a batch of catalog queries, a statement
/// described before it runs), or alone just before it where the statement is not pipelined.
/// The server runs exactly what it ran before, in the same order; a run of one read costs one
/// round trip less. A transaction ended before any statement was sent never reaches the server.
/// Meanwhile ``transactionStatus`` says a transaction is open, as it would be.
extension PostgresConnection {
    public func perform(_ control: TransactionControl) throws {
        switch control {
        case .begin where pendingBegin == nil && transactionStatus == .idle:
            pendingBegin = dialect.sql(for: control)
        case .commit where pendingBegin != nil, .rollback where pendingBegin != nil:
            // Nothing ran in it: committing or rolling back an empty transaction changes nothing.
            pendingBegin = nil
        default:
            try execute(dialect.sql(for: control))
        }
    }

    /// Sends a pending `BEGIN` on its own and waits for it: before a statement that does not go
    /// out in a pipeline.
    func sendPendingBegin() throws {
        guard let begin = pendingBegin else { return }
        pendingBegin = nil
        guard soup_PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1 else { throw sendFailure(sql: begin) }
        var failure: DatabaseError?
        while let result = nextResult() {
            if failure == nil, result.status == PGRES_FATAL_ERROR { failure = error(from: result, sql: begin) }
        }
        if let failure { throw failure }
    }

    /// Queues a pending `BEGIN`, if any, as the first statement of a pipeline; false when it
    /// could not be sent. Its results (a command, then the end of the statement) come first.
    func queuePendingBegin() -> Bool {
        guard let begin = pendingBegin else { return true }
        pendingBegin = nil
        return soup_PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1
    }
}

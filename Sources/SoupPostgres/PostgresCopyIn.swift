import CLibPQ
import SoupDriver

/// `COPY … FROM STDIN` through libpq's copy API: the statement is sent, then the data in
/// whatever pieces the caller has, then the end of data; the server's verdict comes last.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/current/libpq-copy.html>
final class PostgresCopyIn: CopyInStream {
    private let connection: PostgresConnection
    private let sql: String
    private var isOpen = true

    init(connection: PostgresConnection, sql: String) throws {
        try DatabaseError.checkNoNULByte(in: sql)
        try connection.prepareToSend()
        self.connection = connection
        self.sql = sql
        guard soup_PQsendQuery(connection.handle, sql) == 1 else { throw connection.sendFailure(sql: sql) }
        // The statement answers with PGRES_COPY_IN, or fails (no such table, bad column list).
        var failure: DatabaseError?
        while let result = connection.nextResult() {
            let status = result.status
            if status == PGRES_COPY_IN { return }
            if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                connection.abandonCopy()
                throw DatabaseError(kind: .statement, message: "the statement is not COPY … FROM STDIN", sql: sql)
            }
            if failure == nil, status == PGRES_FATAL_ERROR { failure = connection.error(from: result, sql: sql) }
        }
        isOpen = false
        throw failure ?? DatabaseError(kind: .statement, message: "the server did not start the COPY", sql: sql)
    }

    deinit {
        if isOpen { abandon(reason: "the copy was abandoned") }
    }

    func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard isOpen else { throw DatabaseError(kind: .statement, message: "the COPY has ended", sql: sql) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let sent = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            soup_PQputCopyData(connection.handle, chars, Int32(bytes.count))
        }
        guard sent == 1 else {
            isOpen = false
            throw connection.sendFailure(sql: sql)
        }
    }

    func finish() throws -> Int {
        guard isOpen else { throw DatabaseError(kind: .statement, message: "the COPY has ended", sql: sql) }
        isOpen = false
        guard soup_PQputCopyEnd(connection.handle, nil) == 1 else { throw connection.sendFailure(sql: sql) }
        var failure: DatabaseError?
        var rows = 0
        while let result = connection.nextResult() {
            switch result.status {
            case PGRES_COMMAND_OK:
                rows = Int(result.commandTuples) ?? 0
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = connection.error(from: result, sql: sql) }
            default:
                break
            }
        }
        if let failure { throw failure }
        return rows
    }

    func abandon(reason: String) {
        guard isOpen else { return }
        isOpen = false
        _ = soup_PQputCopyEnd(connection.handle, reason)
        connection.discardResults()
    }
}

import CLibPQ

/// A `PGresult` owned by this value, and cleared (`PQclear`) when the value goes away: on every
/// path, an error thrown halfway or a cursor dropped before its last row, and never twice.
///
/// Noncopyable, so there is one owner; a struct, so that a row read in single-row mode (one
/// result per row) costs no allocation beyond libpq's own. Strings and bytes read from it are
/// copies, except ``bytes(row:column:)``, which lends libpq's buffer for as long as the result
/// lives.
struct PostgresResult: ~Copyable {
    private let handle: OpaquePointer

    /// Takes ownership of `handle`, a result from `PQgetResult`.
    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        soup_PQclear(handle)
    }

    var status: ExecStatusType { soup_PQresultStatus(handle) }

    var rowCount: Int32 { soup_PQntuples(handle) }

    var columnCount: Int32 { soup_PQnfields(handle) }

    func columnName(_ column: Int32) -> String {
        String(cString: soup_PQfname(handle, column))
    }

    /// The column's type OID.
    func columnType(_ column: Int32) -> UInt32 {
        soup_PQftype(handle, column)
    }

    /// The column's type modifier (`varchar(32)`: 36), -1 when it has none.
    func columnTypeModifier(_ column: Int32) -> Int {
        Int(soup_PQfmod(handle, column))
    }

    @inline(__always)
    func isNull(row: Int32, column: Int32) -> Bool {
        soup_PQgetisnull(handle, row, column) == 1
    }

    /// The server's text of a non-NULL value, lent: valid while this result lives.
    @inline(__always)
    func bytes(row: Int32, column: Int32) -> UnsafeBufferPointer<UInt8> {
        let length = Int(soup_PQgetlength(handle, row, column))
        let bytes = UnsafeRawPointer(soup_PQgetvalue(handle, row, column)!).assumingMemoryBound(to: UInt8.self)
        return UnsafeBufferPointer(start: bytes, count: length)
    }

    /// A field of the error report (`SOUP_PG_DIAG_…`), when the server sent it.
    func errorField(_ code: Int32) -> String? {
        soup_PQresultErrorField(handle, code).map { String(cString: $0) }
    }

    /// The command tag, such as `INSERT 0 3` or `SELECT 2`.
    var commandStatus: String { String(cString: soup_PQcmdStatus(handle)) }

    /// The number of rows the command affected, as text (empty when it does not say).
    var commandTuples: String { String(cString: soup_PQcmdTuples(handle)) }
}

extension PostgresResult {
    /// How many results this thread has read from libpq and not cleared yet: for the tests,
    /// which check that every path gives each result back.
    static var outstandingOnThisThread: Int { soup_PQresults_outstanding() }
}

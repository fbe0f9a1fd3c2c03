import SoupDriver
import SoupSQL

/// A PostgreSQL read inside a transaction, cut off at a row limit without reading the rest.
///
/// A statement stopped early is cancelled, and a cancelled statement aborts the transaction
/// around it; read on to its end instead, a read of a big table comes whole from the server. So
/// the read runs as a server-side cursor (`DECLARE … NO SCROLL CURSOR FOR`), from which rows are
/// fetched in batches until `wanted` have come; the cursor is then closed, and the transaction
/// goes on. Each batch is read to its end before a row of it is returned, so nothing is ever
/// cancelled, and other statements may run between batches. A result abandoned halfway (the
/// pager quit) leaves its cursor open until the transaction ends; names never repeat on a
/// connection, so it is in no one's way.
final class DeclaredCursorRead: RowCursor {
    let columns: [ColumnDescription]
    private let connection: any Connection
    private let name: String
    /// The statement as the user wrote it, for errors.
    private let query: String
    private var wanted: Int
    private var batch: IndexingIterator<[[Value]]>
    private var isClosed = false
    /// Rows read per FETCH: a round trip per batch, and no more rows in memory at once (the
    /// REPL's default limit of 1,000 takes one).
    static let batchSize = 1024

    /// Declares the cursor and fetches its first batch (so that the columns are known and
    /// errors surface at once).
    init(connection: any Connection, name: String, query: String, parameters: [Value], wanted: Int) throws {
        self.connection = connection
        self.name = name
        self.query = query
        self.wanted = wanted
        let declare = "DECLARE \(name) NO SCROLL CURSOR FOR "
        do {
            try connection.execute(declare + query, parameters)
        } catch var error as DatabaseError {
            // Say where in the statement the user wrote, not in the DECLARE around it.
            error.sql = query
            error.position = error.position.flatMap { $0 > declare.count ? $0 - declare.count : nil }
            throw error
        }
        let (columns, rows) = try Self.fetch(min(wanted, Self.batchSize), from: name, on: connection, query: query)
        self.columns = columns
        batch = rows.makeIterator()
        try closeIfDone(fetched: rows.count, asked: min(wanted, Self.batchSize))
    }

    func next() throws -> [Value]? {
        if let row = batch.next() { return row }
        guard !isClosed else { return nil }
        let asked = min(wanted, Self.batchSize)
        let rows = try Self.fetch(asked, from: name, on: connection, query: query).rows
        batch = rows.makeIterator()
        try closeIfDone(fetched: rows.count, asked: asked)
        return batch.next()
    }

    /// Closes the cursor once the result has ended or `wanted` rows have come.
    private func closeIfDone(fetched: Int, asked: Int) throws {
        wanted -= fetched
        guard fetched < asked || wanted == 0 else { return }
        isClosed = true
        try connection.execute("CLOSE \(name)")
    }

    private static func fetch(_ count: Int, from name: String, on connection: any Connection, query: String) throws
        -> (columns: [ColumnDescription], rows: [[Value]])
    {
        do {
            let cursor = try connection.query("FETCH FORWARD \(count) FROM \(name)", [])
            var rows: [[Value]] = []
            while let row = try cursor.next() { rows.append(row) }
            return (cursor.columns, rows)
        } catch var error as DatabaseError {
            error.sql = query
            error.position = nil
            throw error
        }
    }
}

extension Soup {
    /// A cursor over the first `limit + 1` rows of `sql`, which reads no further, when it can
    /// run as a server-side cursor: on PostgreSQL inside a transaction (outside one, stopping the
    /// statement early does no harm), for a read (``SQLShape/cursorQuery(in:)``). Nil otherwise:
    /// the statement then runs as usual. Pending changes are flushed first, as for any SQL.
    func declaredRead(_ sql: String, parameters: [Value] = [], limit: Int) throws -> (any RowCursor)? {
        guard dialect.engine == .postgres, let query = SQLShape.cursorQuery(in: sql) else { return nil }
        try flush()
        guard connection.transactionStatus == .inTransaction else { return nil }
        cursorsDeclared += 1
        return try DeclaredCursorRead(
            connection: connection, name: "soup_limited_\(cursorsDeclared)", query: query, parameters: parameters,
            wanted: limit == .max ? limit : limit + 1)
    }
}

extension Soup {
    /// ``declaredRead(_:parameters:limit:)`` of what an entity query selects, when it is printed
    /// as a result set.
    func declaredRead(of query: Query, limit: Int) throws -> (any RowCursor)? {
        guard !(query.returnsEntities && query.entity.usesRowID) else { return nil }
        let compiled = try compiler.compile(query.statement)
        return try declaredRead(compiled.sql, parameters: compiled.parameters, limit: limit)
    }
}

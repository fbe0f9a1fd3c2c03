import CLibPQ
import SoupDriver

/// Statements parsed, and described, before they run.
extension PostgresConnection {
    /// The columns `sql` would return, from a Parse and Describe of the unnamed statement in
    /// one round trip (after a pending `BEGIN`); nothing runs.
    public func describe(_ sql: String) throws -> [DescribedColumn] {
        try DatabaseError.checkNoNULByte(in: sql)
        try prepareToSend(foldingBegin: true)
        var described: [(name: String, oid: UInt32, modifier: Int)] = []
        let needsTypes = try prepareStatement("", sql: sql, types: [], describing: true) { result in
            described = (0..<result.columnCount).map { column in
                (result.columnName(column), result.columnType(column), result.columnTypeModifier(column))
            }
        }
        if needsTypes { try loadCustomTypes() }
        return described.map { column in
            DescribedColumn(
                name: column.name, typeName: PostgresType.describe(column.oid, custom: customTypes).name,
                typeOID: column.oid, typeModifier: column.modifier)
        }
    }

    /// Prepares `sql` on the server as `name` (`""`: the unnamed statement) in one round trip;
    /// when `describing`, describes it in the same round trip (after a pending `BEGIN`), passes
    /// the description to `description`, and returns whether its result has columns of
    /// user-defined types not read yet.
    func prepareStatement(
        _ name: String, sql: String, types: [Oid], describing: Bool,
        description: ((borrowing PostgresResult) -> Void)? = nil
    ) throws -> Bool {
        guard describing else {
            try sendPendingBegin()
            guard soup_PQsendPrepare(handle, name, sql, Int32(types.count), types) == 1 else { throw sendFailure(sql: sql) }
            var failure: DatabaseError?
            while let result = nextResult() {
                if failure == nil, result.status == PGRES_FATAL_ERROR { failure = error(from: result, sql: sql) }
            }
            if let failure { throw failure }
            return false
        }
        guard soup_PQenterPipelineMode(handle) == 1 else { throw sendFailure(sql: sql) }
        var failure: DatabaseError?
        var needsTypes = false
        let begin = pendingBegin
        if !queuePendingBegin() || soup_PQsendPrepare(handle, name, sql, Int32(types.count), types) != 1
            || soup_PQsendDescribePrepared(handle, name) != 1 || soup_PQpipelineSync(handle) != 1
        {
            failure = sendFailure(sql: sql)
        } else {
            // Each command's results end with a nil; the sync point ends the round trip.
            var beginResultsLeft = begin != nil
            reading: while true {
                guard let result = nextResult() else {
                    if soup_PQstatus(handle) == CONNECTION_BAD { break }
                    beginResultsLeft = false
                    continue
                }
                switch result.status {
                case PGRES_FATAL_ERROR:
                    // An error of the BEGIN comes before its statement's results end.
                    if failure == nil { failure = error(from: result, sql: beginResultsLeft ? begin ?? sql : sql) }
                case PGRES_COMMAND_OK:
                    // The Parse's result has no columns; the Describe's has the statement's.
                    if result.columnCount > 0 { description?(result) }
                    if ResultLayout.needsCustomTypes(result, known: customTypes) { needsTypes = true }
                case PGRES_PIPELINE_SYNC:
                    break reading
                default:
                    break
                }
            }
        }
        if soup_PQexitPipelineMode(handle) != 1, failure == nil {
            needsReconnect = true
            failure = DatabaseError(
                kind: .connectionLost,
                message: "the connection was reset after preparing a statement: "
                    + Self.firstLine(String(cString: soup_PQerrorMessage(handle))), sql: sql)
        }
        if let failure { throw failure }
        return needsTypes
    }
}

import SoupDriver
import SoupSQL

/// A write sent inside the open transaction: kept until it commits or rolls back, so that
/// `db.pending()` can show what `commit()` would make permanent, not only what the next flush
/// would send (the REPL flushes after every input).
struct SentWrite {
    var sql: CompiledSQL
    /// What it changes, in words: `Name: 'AC/DC' → 'x'`, `new row: ...`, `3 rows changed`.
    var changes: [String]
}

extension Soup {
    /// What `commit()` would make permanent, one statement at a time, as `--echo` prints it,
    /// each followed by the values it changes: the writes sent since the last commit or
    /// rollback, then the writes the next flush would send (`db.pending()`, `\pending`).
    public func pendingReport() throws -> [String] {
        try completeTablesOfChangedRows()
        let planned = try plannedWrites().map { SentWrite(sql: $0.sql, changes: Self.changes(of: $0)) }
        return (sentWrites + planned).flatMap { write in
            [dialect.echo(write.sql.sql, write.sql.parameters)] + write.changes.map { "    " + $0 }
        }
    }

    /// Remembers a write sent now, until commit or rollback.
    func logSent(_ sql: CompiledSQL, changes: [String] = []) {
        guard connection.transactionStatus != .idle else { return }
        sentWrites.append(SentWrite(sql: sql, changes: changes))
    }

    /// Remembers raw SQL that may write; a COMMIT or ROLLBACK typed as SQL ends the record.
    func logSent(sql: String, parameters: [Value]) {
        let kind = SQLClassifier.classify(sql).kind
        if kind == .end {
            sentWrites.removeAll()
        } else if kind == .write {
            logSent(CompiledSQL(sql: sql, parameters: parameters))
        }
    }

    /// The values a planned write changes: old → new per changed column of an UPDATE, the new
    /// row of an INSERT, the row a DELETE takes away.
    static func changes(of write: PlannedWrite) -> [String] {
        let row = write.row
        let names = row.entity.attributes.map(\.name)
        switch write.kind {
        case .update:
            return row.changedAttributes.map { "\(names[$0]): \(Row.python(row.storedValues[$0])) → \(Row.python(row.values[$0]))" }
        case .insert:
            return ["new row: " + row.assigned.sorted().map { "\(names[$0])=\(Row.python(row.values[$0]))" }.joined(separator: ", ")]
        case .delete:
            return ["row going: " + names.indices.map { "\(names[$0])=\(Row.python(row.storedValues[$0]))" }.joined(separator: ", ")]
        }
    }
}

/// An UPDATE or DELETE about to change every row of a table: at the REPL it runs only when the
/// user says yes (`would change all 3,503 rows of track; run it? [y/N]`).
public struct UnfilteredWrite: Sendable, Equatable {
    public var table: String
    /// The rows it would change, counted inside the transaction it would run in.
    public var rows: Int

    public var question: String {
        "would change all \(rows.groupedByThousands) row\(rows == 1 ? "" : "s") of \(table); run it? [y/N] "
    }
}

extension Soup {
    /// Asks ``confirmUnfilteredWrite`` before a write of every row of `table`, whose rows
    /// `count` counts; throws when the answer is no. `--safe-updates` refuses before asking.
    func confirmWriteOfEveryRow(of table: String, statement: String, count: () throws -> Int) throws {
        if refusesUnfilteredWrites {
            throw EvaluationError("--safe-updates: \(statement) would change every row of \(table); nothing was run")
        }
        guard let confirm = confirmUnfilteredWrite else { return }
        let write = UnfilteredWrite(table: table, rows: try count())
        guard write.rows > 0, !confirm(write) else { return }
        throw EvaluationError("not run: \(statement) would have changed all \(write.rows.groupedByThousands) rows of \(table); nothing was changed")
    }
}

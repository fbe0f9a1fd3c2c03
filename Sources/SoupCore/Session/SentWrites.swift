import SoupDriver
import SoupSQL

/// Writes sent inside the open transaction: kept until they commit or roll back, so that
/// `db.pending()` can show what `commit()` would make permanent, not only what the next flush
/// would send (the REPL flushes after every input). One entry holds a statement and each run of
/// it: a flush sends the rows of one shape together, and keeps them as one entry.
struct SentWrite {
    var sql: String
    /// The parameters of each run.
    var runs: [[Value]]
    /// What each run changes, put into words only when shown.
    var changes: [WriteChange?]

    init(sql: CompiledSQL, change: WriteChange?) {
        self.sql = sql.sql
        runs = [sql.parameters]
        changes = [change]
    }

    init(sql: String, runs: [[Value]], changes: [WriteChange?]) {
        self.sql = sql
        self.runs = runs
        self.changes = changes
    }

    /// Each run as `--echo` prints it, followed by what it changes, in words.
    func lines(_ dialect: Dialect) -> [String] {
        zip(runs, changes).flatMap { parameters, change in
            [dialect.echo(sql, parameters)] + (change?.description ?? []).map { "    " + $0 }
        }
    }
}

/// What a write changes, put into words only when `db.pending()` asks: a flush of 10,000 rows
/// would otherwise spend most of its time writing words no one reads.
enum WriteChange {
    /// One row's values as they were when the write was planned (the arrays are shared with
    /// the row, not copied): old → new per changed column of an UPDATE, the new row of an
    /// INSERT, the row a DELETE takes away.
    case row(kind: PlannedWrite.Kind, entity: Entity, old: [Value], new: [Value], assigned: Set<Int>)
    /// A bulk `update()` or `delete()`: how many rows it changed.
    case rows(Int)

    init(_ write: PlannedWrite) {
        let row = write.row
        self = .row(
            kind: write.kind, entity: row.entity, old: row.storedValues, new: row.values,
            assigned: write.kind == .insert ? row.assigned : [])
    }

    var description: [String] {
        switch self {
        case .rows(let count):
            return ["\(count.groupedByThousands) row\(count == 1 ? "" : "s") changed"]
        case .row(let kind, let entity, let old, let new, let assigned):
            let names = entity.attributes.map(\.name)
            switch kind {
            case .update:
                return new.indices.filter { new[$0] != old[$0] }.map { "\(names[$0]): \(Row.python(old[$0])) → \(Row.python(new[$0]))" }
            case .insert:
                return ["new row: " + assigned.sorted().map { "\(names[$0])=\(Row.python(new[$0]))" }.joined(separator: ", ")]
            case .delete:
                return ["row going: " + names.indices.map { "\(names[$0])=\(Row.python(old[$0]))" }.joined(separator: ", ")]
            }
        }
    }
}

extension Soup {
    /// What `commit()` would make permanent, one statement at a time, as `--echo` prints it,
    /// each followed by the values it changes: the writes sent since the last commit or
    /// rollback, then the writes the next flush would send (`db.pending()`, `\pending`).
    public func pendingReport() throws -> [String] {
        try completeTablesOfChangedRows()
        let planned = try plannedWrites().map { SentWrite(sql: $0.sql, change: WriteChange($0)) }
        return (sentWrites + planned).flatMap { $0.lines(dialect) }
    }

    /// Remembers a write sent now, until commit or rollback.
    func logSent(_ sql: CompiledSQL, change: WriteChange? = nil) {
        guard connection.transactionStatus != .idle else { return }
        sentWrites.append(SentWrite(sql: sql, change: change))
    }

    /// Remembers the runs of one statement sent now, as one entry.
    func logSent(_ sql: String, runs: [[Value]], changes: [WriteChange?]) {
        guard !runs.isEmpty, connection.transactionStatus != .idle else { return }
        sentWrites.append(SentWrite(sql: sql, runs: runs, changes: changes))
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

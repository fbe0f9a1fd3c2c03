import SoupDriver
import SoupSQL

/// Writes sent inside the open transaction: kept until they commit or roll back, so that
/// `db.pending()` can show what `commit()` would make permanent, not only what the next flush
/// would send (the REPL flushes after every input).
enum SentWrite {
    /// A statement run once: SQL typed, a row inserted, a bulk `update()`.
    case one(CompiledSQL, WriteChange?)
    /// A statement a flush ran for several rows of one shape, and what each run changed.
    case runs(sql: String, parameters: ParameterRows, changes: [WriteChange])

    /// Each run as `--echo` prints it, followed by what it changes, in words.
    func lines(_ dialect: Dialect) -> [String] {
        switch self {
        case .one(let sql, let change):
            return Self.lines(dialect.echo(sql.sql, sql.parameters), change)
        case .runs(let sql, let parameters, let changes):
            return zip(parameters, changes).flatMap { Self.lines(dialect.echo(sql, Array($0)), $1) }
        }
    }

    private static func lines(_ echoed: String, _ change: WriteChange?) -> [String] {
        [echoed] + (change?.description ?? []).map { "    " + $0 }
    }
}

/// What a write changes, kept small and put into words only when `db.pending()` asks where
/// that costs: a flush of 10,000 changed rows would otherwise spend most of its time writing
/// words no one reads.
enum WriteChange {
    /// An UPDATE: the row's values before and after (arrays shared with the row, not copied;
    /// the changed columns are found when shown).
    case update(entity: Entity, old: [Value], new: [Value])
    /// An INSERT: the new row, in words (a row inserted costs a round trip of its own anyway,
    /// and the words take less memory than the row's values kept for later).
    case insert(String)
    /// A DELETE: the row it takes away.
    case delete(entity: Entity, old: [Value])
    /// A bulk `update()` or `delete()`: how many rows it changed.
    case rows(Int)

    init(_ write: PlannedWrite) {
        let row = write.row
        switch write.kind {
        case .update:
            self = .update(entity: row.entity, old: row.storedValues, new: row.values)
        case .insert:
            let names = row.entity.attributes.map(\.name)
            self = .insert("new row: " + row.assigned.sorted().map { "\(names[$0])=\(Row.python(row.values[$0]))" }.joined(separator: ", "))
        case .delete:
            self = .delete(entity: row.entity, old: row.storedValues)
        }
    }

    var description: [String] {
        switch self {
        case .rows(let count):
            return ["\(count.groupedByThousands) row\(count == 1 ? "" : "s") changed"]
        case .insert(let text):
            return [text]
        case .update(let entity, let old, let new):
            let names = entity.attributes.map(\.name)
            return new.indices.filter { new[$0] != old[$0] }.map { "\(names[$0]): \(Row.python(old[$0])) → \(Row.python(new[$0]))" }
        case .delete(let entity, let old):
            let names = entity.attributes.map(\.name)
            return ["row going: " + names.indices.map { "\(names[$0])=\(Row.python(old[$0]))" }.joined(separator: ", ")]
        }
    }
}

extension Soup {
    /// What `commit()` would make permanent, one statement at a time, as `--echo` prints it,
    /// each followed by the values it changes: the writes sent since the last commit or
    /// rollback, then the writes the next flush would send (`db.pending()`, `\pending`).
    public func pendingReport() throws -> [String] {
        let planned = try plannedWrites(entities: completeTablesOfChangedRows()).map { SentWrite.one($0.sql, WriteChange($0)) }
        return (sentWrites + planned).flatMap { $0.lines(dialect) }
    }

    /// Remembers a write sent now, until commit or rollback.
    func logSent(_ sql: CompiledSQL, change: WriteChange? = nil) {
        guard connection.transactionStatus != .idle else { return }
        sentWrites.append(.one(sql, change))
    }

    /// Remembers the runs of one statement sent now, as one entry.
    func logSent(_ sql: String, runs parameters: ParameterRows, changes: [WriteChange]) {
        guard !parameters.isEmpty, connection.transactionStatus != .idle else { return }
        sentWrites.append(.runs(sql: sql, parameters: parameters, changes: changes))
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

import SoupDriver
import SoupReflection

/// Imports one file into one table: reads it (CSV, TSV, JSON, JSON Lines), infers the column
/// types of a table it creates, checks and converts every value, and streams the rows in one
/// transaction (COPY on PostgreSQL, one prepared INSERT on SQLite), all or nothing.
///
/// When the connection has no transaction open, the import opens one and commits it at the
/// end, or rolls it back at the first bad row. Inside an open transaction (the REPL), it runs
/// in a savepoint and leaves the transaction open: its rows are pending until the caller
/// commits. With `--continue`, bad rows are skipped and reported, and the rest committed.
///
/// ```swift
/// let input = ImportInput(descriptor: fd, name: "events.csv")
/// var options = ImportOptions(table: TableName("events"))
/// options.create = true
/// let report = try Importer(connection: connection, input: input, options: options).run()
/// ```
public final class Importer {
    public let connection: any Connection
    public let input: ImportInput
    public let options: ImportOptions
    /// Called every few thousand rows and at the end of each pass.
    public var onProgress: ((ImportProgress) -> Void)?

    var dialect: Dialect { connection.dialect }
    var report: ImportReport
    private var passes = 1

    public init(connection: any Connection, input: ImportInput, options: ImportOptions) {
        self.connection = connection
        self.input = input
        self.options = options
        report = ImportReport(table: options.table)
    }

    /// Runs the import; throws ``ImportError`` (nothing of it stays) or a ``DatabaseError``
    /// the server raised outside any row.
    public func run() throws -> ImportReport {
        let catalog = SchemaCatalog(connection: connection)
        var existing: Table?
        do {
            existing = try catalog.table(options.table)
        } catch SchemaError.unknownTable(let name, let suggestions) {
            guard options.create else {
                throw ImportError(
                    message: "no table '\(name)'" + NameSuggester.didYouMean(suggestions),
                    hint: "--create makes it, with column types inferred from the input")
            }
        }
        if let existing, !existing.kind.storesRows {
            throw ImportError(message: "'\(options.table)' is a \(existing.kind.displayName); rows can only be imported into a table")
        }
        let needsInference = existing == nil
        let isJSON = options.format == .json || options.format == .jsonl
        // JSON needs a first pass to find every key; a created table one to infer its types.
        if needsInference || isJSON {
            passes = 2
            try input.prepareForTwoPasses()
        }
        var columnNames: [String]
        var inferred: [ColumnInference] = []
        var first = try makeReader(columns: nil)
        columnNames = first.columnNames
        if passes == 2 {
            (columnNames, inferred) = try inferencePass(first, infer: needsInference)
            try input.rewind()
            first = try makeReader(columns: isJSON ? columnNames : nil)
        }
        let reader = first
        try checkHeader(columnNames)

        var table: Table
        if let existing {
            table = existing
        } else {
            let definition = try definition(columnNames: columnNames, types: inferred.map(\.type))
            report.createStatement = definition.createStatement(in: dialect)
            report.inferredTypes = inferred.map(\.type)
            table = TableCopier.table(of: definition, engine: dialect.engine)
        }
        let fieldCount = columnNames.count
        var mapping = ColumnMapping(
            columns: try matchColumns(columnNames, to: table), fields: Array(columnNames.indices), engine: dialect.engine)
        report.columns = mapping.columns.map(\.name)
        // --infer-rows on a table this import makes: the rows after the sample are watched
        // too, and a column one of them does not fit is widened on the fly.
        var widening = existing == nil && options.inferRows != nil ? Widening(inferences: inferred) : nil

        if options.dryRun {
            let makeSink = { (mapping: ColumnMapping) -> RowSink in
                let sink = PostgresCopySink(
                    connection: self.connection, copySQL: "", mapping: mapping, expectedFields: fieldCount,
                    keepsBatches: false, readsJSON: isJSON)
                sink.discards = true
                return sink
            }
            try load(reader, sink: makeSink(mapping), widening: &widening) { index, type, sink in
                try self.widen(&table, &mapping, column: index, to: type, names: columnNames, inTransaction: false)
                return makeSink(mapping)
            }
            return report
        }
        return try inTransaction {
            if let statement = report.createStatement { try connection.execute(statement) }
            if options.truncate, existing != nil {
                try connection.execute(
                    (dialect.engine == .postgres ? "TRUNCATE TABLE " : "DELETE FROM ") + table.name.sql(in: dialect))
            }
            let sink = try makeSink(table: table, mapping: mapping, expectedFields: fieldCount, readsJSON: isJSON)
            try load(reader, sink: sink, widening: &widening) { index, type, sink in
                for rejection in try sink.flush() { try self.skip(rejection, reader: nil) }
                try self.widen(&table, &mapping, column: index, to: type, names: columnNames, inTransaction: true)
                return try self.makeSink(table: table, mapping: mapping, expectedFields: fieldCount, readsJSON: isJSON)
            }
            return report
        }
    }

    // MARK: - Reading

    private func makeReader(columns: [String]?) throws -> RecordReader {
        switch options.format {
        case .csv, .tsv:
            return try DelimitedReader(
                input: input, style: options.format == .csv ? .csv : .text, delimiter: options.delimiter,
                header: options.header, nullText: options.nullText)
        case .json, .jsonl:
            return JSONRecordReader(input: input, lines: options.format == .jsonl, columns: columns)
        }
    }

    /// The first pass: every column's inference (all rows, or the first `--infer-rows`), and
    /// for JSON every key.
    private func inferencePass(_ reader: RecordReader, infer: Bool) throws -> ([String], [ColumnInference]) {
        var inferences: [ColumnInference] = []
        var rows = 0
        let limit = infer ? (options.inferRows ?? Int.max) : Int.max
        let isJSON = options.format == .json || options.format == .jsonl
        while rows < limit || isJSON, try reader.next() {
            rows += 1
            guard infer, rows <= limit else { continue }
            while inferences.count < reader.fieldCount { inferences.append(ColumnInference(engine: dialect.engine)) }
            for index in 0..<min(reader.fieldCount, reader.columnNames.count) {
                inferences[index].observe(reader.field(index), kind: reader.kind(index))
            }
            if rows & 0x1FFF == 0 { progress(pass: 1, rows: rows) }
        }
        progress(pass: 1, rows: rows)
        while inferences.count < reader.columnNames.count { inferences.append(ColumnInference(engine: dialect.engine)) }
        return (reader.columnNames, Array(inferences.prefix(reader.columnNames.count)))
    }

    private func progress(pass: Int, rows: Int) {
        onProgress?(ImportProgress(pass: pass, passes: passes, bytesRead: input.bytesRead, totalBytes: input.size, rows: rows))
    }

    // MARK: - Writing

    private func makeSink(table: Table, mapping: ColumnMapping, expectedFields: Int, readsJSON: Bool) throws -> RowSink {
        let columnList = mapping.columns.map { dialect.quoteIdentifier($0.name) }.joined(separator: ", ")
        let target = table.name.sql(in: dialect)
        let conflictClause = try self.conflictClause(table: table, mapping: mapping)
        switch dialect.engine {
        case .sqlite:
            let placeholders = Array(repeating: "?", count: mapping.columns.count).joined(separator: ", ")
            let sql = "INSERT INTO \(target) (\(columnList)) VALUES (\(placeholders))" + (conflictClause.map { " " + $0 } ?? "")
            let sink = try SQLiteRowSink(connection: connection, sql: sql, mapping: mapping, expectedFields: expectedFields)
            sink.readsJSON = readsJSON
            return sink
        case .postgres:
            guard let conflictClause else {
                return PostgresCopySink(
                    connection: connection, copySQL: "COPY \(target) (\(columnList)) FROM STDIN", mapping: mapping,
                    expectedFields: expectedFields, keepsBatches: options.continueOnError, readsJSON: readsJSON)
            }
            // COPY cannot upsert: rows go to a temporary table of the same columns, merged
            // into the table after each batch.
            let staging = "soup_import_" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
            try connection.execute("CREATE TEMPORARY TABLE \(staging) AS SELECT \(columnList) FROM \(target) WITH NO DATA")
            let sink = PostgresCopySink(
                connection: connection, copySQL: "COPY \(staging) (\(columnList)) FROM STDIN", mapping: mapping,
                expectedFields: expectedFields, keepsBatches: options.continueOnError, readsJSON: readsJSON)
            let merge = "INSERT INTO \(target) (\(columnList)) SELECT \(columnList) FROM \(staging) " + conflictClause
            let connection = self.connection
            sink.afterBatch = {
                try connection.execute(merge)
                try connection.execute("TRUNCATE \(staging)")
            }
            return sink
        }
    }

    /// `ON CONFLICT (key) DO UPDATE SET …` for `--upsert` and `--replace`.
    private func conflictClause(table: Table, mapping: ColumnMapping) throws -> String? {
        guard options.conflict != .error else { return nil }
        guard let key = table.primaryKey?.columns, !key.isEmpty else {
            throw ImportError(message: "--\(options.conflict.rawValue) needs a primary key, and '\(options.table)' has none")
        }
        let imported = Set(mapping.columns.map(\.name))
        var assignments = mapping.columns.filter { !key.contains($0.name) }.map {
            "\(dialect.quoteIdentifier($0.name)) = excluded.\(dialect.quoteIdentifier($0.name))"
        }
        if options.conflict == .replace {
            for column in table.columns where !imported.contains(column.name) && !key.contains(column.name) && column.generation == nil {
                let reset = dialect.engine == .postgres ? "DEFAULT" : (column.defaultExpression ?? "NULL")
                assignments.append("\(dialect.quoteIdentifier(column.name)) = \(reset)")
            }
        }
        let target = "ON CONFLICT (" + key.map(dialect.quoteIdentifier).joined(separator: ", ") + ")"
        return assignments.isEmpty ? target + " DO NOTHING" : target + " DO UPDATE SET " + assignments.joined(separator: ", ")
    }

    /// The second pass: every record converted and written; bad rows stop the import or, with
    /// `--continue`, are counted and kept for the report.
    private func load(
        _ reader: RecordReader, sink first: RowSink, widening: inout Widening?,
        widen: (Int, InferredType, RowSink) throws -> RowSink
    ) throws {
        var sink = first
        var rows = 0
        var earlierSinks = 0
        while try reader.next() {
            rows += 1
            if var watched = widening {
                for index in 0..<min(reader.fieldCount, watched.inferences.count) where watched.declared[index] != .text {
                    watched.inferences[index].observe(reader.field(index), kind: reader.kind(index))
                    let type = watched.inferences[index].type
                    guard type != watched.declared[index] else { continue }
                    let previous = sink
                    sink = try widen(index, type, previous)
                    earlierSinks += previous.rowsWritten
                    watched.declared[index] = type
                    report.widened[report.widened.count - 1] += " at line \(reader.line)"
                }
                widening = watched
            }
            do {
                try sink.write(reader)
            } catch let rejection as RowRejection {
                try skip(rejection, reader: reader)
            }
            if rows & 0x1FFF == 0 { progress(pass: passes, rows: rows) }
        }
        do {
            for rejection in try sink.flush() { try skip(rejection, reader: nil) }
        } catch let rejection as RowRejection {
            try skip(rejection, reader: nil)
        }
        progress(pass: passes, rows: rows)
        report.rowsRead = rows
        report.rowsImported = earlierSinks + sink.rowsWritten
    }

    /// Records a skipped row, or (without `--continue`) stops with its error.
    private func skip(_ rejection: RowRejection, reader: RecordReader?) throws {
        var location: ImportError.Location?
        if let line = rejection.line {
            location = .init(file: input.name, line: line)
        } else if let reader {
            location = rejection.field.map { reader.location(ofField: $0) } ?? .init(file: input.name, line: reader.line)
        }
        let error = ImportError(message: rejection.message, location: location)
        guard options.continueOnError else { throw error }
        report.skippedCount += 1
        if report.skipped.count < 10 { report.skipped.append(error) }
    }

    // MARK: - Transaction

    /// The savepoint an import inside the caller's transaction runs after.
    private static let savepoint = "soup_import"

    /// Runs `body` in a transaction of its own, or in a savepoint of the caller's.
    private func inTransaction(_ body: () throws -> ImportReport) throws -> ImportReport {
        let ownsTransaction = connection.transactionStatus == .idle
        if ownsTransaction {
            try connection.begin()
        } else {
            try connection.savepoint(Self.savepoint)
        }
        do {
            let result = try body()
            if ownsTransaction {
                try connection.commit()
            } else {
                try connection.release(savepoint: Self.savepoint)
            }
            return result
        } catch {
            if ownsTransaction {
                if connection.transactionStatus != .idle { try? connection.rollback() }
            } else {
                try? connection.rollback(toSavepoint: Self.savepoint)
                try? connection.release(savepoint: Self.savepoint)
            }
            throw error
        }
    }
}

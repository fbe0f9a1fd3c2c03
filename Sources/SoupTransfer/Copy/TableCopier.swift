import SoupDriver
import SoupReflection

/// What `soup copy` was asked to do.
public struct CopyOptions: Sendable, Equatable {
    public var tables: [TableName]
    /// A condition (SQL of the source) on the rows copied of every table.
    public var whereClause: String?
    /// Create the tables, copy no rows.
    public var schemaOnly = false
    /// Copy rows into tables that exist on the destination.
    public var dataOnly = false
    /// Print the statements, change nothing.
    public var dryRun = false

    public init(tables: [TableName]) {
        self.tables = tables
    }
}

/// What a copy did (or, in a dry run, would do).
public struct CopyReport: Sendable {
    /// The DDL run on the destination, in order.
    public var statements: [String] = []
    /// Each table and the rows copied into it, in the order copied.
    public var tables: [(name: TableName, rows: Int)] = []
    /// What was left out: defaults that are not portable, foreign keys to tables not copied.
    public var notes: [String] = []
}

extension CopyReport {
    /// Every row copied, of all the tables.
    public var rowsCopied: Int { tables.reduce(0) { $0 + $1.rows } }

    /// What standard output says: the statements (with `showingStatements`), then a line per
    /// table copied, or the dry run's word.
    public func summary(dryRun: Bool, schemaOnly: Bool, showingStatements: Bool) -> String {
        var out = showingStatements ? statements.map { $0 + ";\n" }.joined() : ""
        if dryRun { return out + "-- dry run: nothing was changed\n" }
        if schemaOnly { return out + "created \(tables.count) table\(tables.count == 1 ? "" : "s")\n" }
        for (name, rows) in tables { out += "copied \(rows) row\(rows == 1 ? "" : "s") into \(name)\n" }
        return out
    }
}

/// Copies tables between two databases, SQLite and PostgreSQL in any direction: creates each
/// table on the destination from the source's reflected schema (``SchemaMapping``), streams its
/// rows (COPY on PostgreSQL, one prepared INSERT on SQLite) in dependency order, adds the
/// foreign keys once every table is full, all in one destination transaction. The source is
/// read in one read-only transaction, so the tables are copied as of one moment.
public final class TableCopier {
    public let source: any Connection
    public let destination: any Connection
    public let options: CopyOptions
    /// Called every few thousand rows with the table and the rows copied of it so far.
    public var onProgress: ((TableName, Int) -> Void)?

    public init(source: any Connection, destination: any Connection, options: CopyOptions) {
        self.source = source
        self.destination = destination
        self.options = options
    }

    public func run() throws -> CopyReport {
        var report = CopyReport()
        let sourceEngine = source.dialect.engine
        let engine = destination.dialect.engine
        let tables = Self.dependencyOrder(try SchemaCatalog(connection: source).tables(options.tables))
        for table in tables where !table.kind.storesRows {
            throw ImportError(message: "'\(table.name)' is a \(table.kind.displayName); only tables can be copied")
        }
        let names = Set(tables.map(\.name.name))
        let definitions = tables.map {
            SchemaMapping.definition(of: $0, from: sourceEngine, to: engine, copied: names, notes: &report.notes)
        }
        let destinationCatalog = SchemaCatalog(connection: destination)
        var targets: [Table] = []
        for definition in definitions {
            let existing = try? destinationCatalog.resolve(TableName(definition.name.name, schema: definition.name.schema))
            if options.dataOnly {
                guard existing != nil else {
                    throw ImportError(message: "'\(definition.name)' does not exist on the destination (--data-only copies rows into existing tables)")
                }
                targets.append(try destinationCatalog.table(TableName(definition.name.name, schema: definition.name.schema)))
            } else {
                guard existing == nil else {
                    throw ImportError(
                        message: "'\(definition.name)' already exists on the destination",
                        hint: "--data-only copies the rows into it; or drop it first")
                }
                report.statements.append(definition.createStatement(in: destination.dialect))
                targets.append(Self.table(of: definition, engine: engine))
            }
        }
        let foreignKeys = options.dataOnly ? [] : definitions.flatMap { $0.foreignKeyStatements(in: destination.dialect) }
        report.statements += foreignKeys
        if options.dryRun {
            report.tables = tables.map { ($0.name, 0) }
            return report
        }

        let ownsTransaction = destination.transactionStatus == .idle
        if ownsTransaction { try destination.begin() }
        let readsInTransaction = source.transactionStatus == .idle
        do {
            if engine == .sqlite { try destination.execute("PRAGMA defer_foreign_keys = ON") }
            for statement in report.statements.prefix(report.statements.count - foreignKeys.count) {
                try destination.execute(statement)
            }
            if options.schemaOnly {
                report.tables = targets.map { ($0.name, 0) }
            } else {
                if readsInTransaction { try source.begin(readOnly: true) }
                for (table, target) in zip(tables, targets) {
                    report.tables.append((target.name, try copyRows(of: table, into: target)))
                }
                if readsInTransaction { try source.commit() }
                for statement in identityResets(definitions) { try destination.execute(statement) }
            }
            for statement in foreignKeys { try destination.execute(statement) }
            if ownsTransaction { try destination.commit() }
        } catch {
            if readsInTransaction, source.transactionStatus != .idle { _ = try? source.rollback() }
            if ownsTransaction, destination.transactionStatus != .idle { _ = try? destination.rollback() }
            throw error
        }
        return report
    }

    /// Streams the rows of one table into its destination table; returns how many.
    private func copyRows(of table: Table, into target: Table) throws -> Int {
        let sourceDialect = source.dialect
        let columns = target.columns.compactMap { column in table.columns.first { $0.name == column.name } }
        guard !columns.isEmpty else { return 0 }
        let sql = "SELECT " + columns.map { sourceDialect.quoteIdentifier($0.name) }.joined(separator: ", ") + " FROM "
            + table.name.sql(in: sourceDialect) + (options.whereClause.map { " WHERE " + $0 } ?? "")
        let cursor = try source.query(sql, [])
        let reader: RecordReader
        if let borrowing = cursor as? any BorrowingRowCursor {
            reader = CursorRecordReader(cursor: borrowing, source: "\(table.name)")
        } else {
            reader = CursorRecordReader(cursor: ValueRowCursor(cursor), source: "\(table.name)")
        }
        let destinationColumns = columns.compactMap { column in target.columns.first { $0.name == column.name } }
        let mapping = ColumnMapping(
            columns: destinationColumns, fields: Array(destinationColumns.indices), engine: destination.dialect.engine)
        let dialect = destination.dialect
        let columnList = destinationColumns.map { dialect.quoteIdentifier($0.name) }.joined(separator: ", ")
        let sink: RowSink
        switch dialect.engine {
        case .sqlite:
            let placeholders = Array(repeating: "?", count: destinationColumns.count).joined(separator: ", ")
            sink = try SQLiteRowSink(
                connection: destination, sql: "INSERT INTO \(target.name.sql(in: dialect)) (\(columnList)) VALUES (\(placeholders))",
                mapping: mapping, expectedFields: destinationColumns.count)
        case .postgres:
            sink = PostgresCopySink(
                connection: destination, copySQL: "COPY \(target.name.sql(in: dialect)) (\(columnList)) FROM STDIN",
                mapping: mapping, expectedFields: destinationColumns.count, keepsBatches: false, readsJSON: false)
        }
        var rows = 0
        do {
            while try reader.next() {
                try sink.write(reader)
                rows += 1
                if rows & 0x1FFF == 0 { onProgress?(table.name, rows) }
            }
            if let rejection = try sink.flush().first { throw rejection }
        } catch let rejection as RowRejection {
            throw ImportError(
                message: "\(table.name), row \(rejection.line ?? reader.line): \(rejection.message)",
                hint: options.whereClause == nil ? "--where can leave such rows out" : nil)
        }
        onProgress?(table.name, rows)
        return rows
    }

    /// PostgreSQL identity columns filled with the source's keys continue after the largest.
    private func identityResets(_ definitions: [TableDefinition]) -> [String] {
        guard destination.dialect.engine == .postgres, !options.dataOnly else { return [] }
        let dialect = destination.dialect
        return definitions.flatMap { definition in
            definition.columns.filter(\.isIdentity).map { column in
                let table = definition.name.sql(in: dialect)
                let name = dialect.quoteIdentifier(column.name)
                return "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(\(dialect.stringLiteral(table)), "
                    + "\(dialect.stringLiteral(column.name))), coalesce(max(\(name)), 0) + 1, false) FROM \(table)"
            }
        }
    }

    /// The destination table a definition makes, as the sinks need it.
    static func table(of definition: TableDefinition, engine: Dialect.Engine) -> Table {
        Table(
            name: definition.name, kind: .table,
            columns: definition.columns.enumerated().map { index, column in
                Column(
                    name: column.name, position: index + 1, declaredType: column.type,
                    type: NormalizedType(declared: column.type, engine: engine), isNullable: !column.notNull)
            },
            primaryKey: definition.primaryKey.isEmpty ? nil : PrimaryKey(columns: definition.primaryKey))
    }

    /// Referenced tables first (Kahn's algorithm); a table's references to itself do not count,
    /// and tables in a cycle keep the order given.
    static func dependencyOrder(_ tables: [Table]) -> [Table] {
        var remaining = tables
        var ordered: [Table] = []
        var placed: Set<TableName> = []
        while !remaining.isEmpty {
            let ready = remaining.firstIndex { table in
                table.foreignKeys.allSatisfy { key in
                    key.referencedTable.name == table.name.name || placed.contains { $0.name == key.referencedTable.name }
                        || !remaining.contains { $0.name.name == key.referencedTable.name }
                }
            } ?? 0
            let next = remaining.remove(at: ready)
            ordered.append(next)
            placed.insert(next.name)
        }
        return ordered
    }
}

/// A cursor that cannot lend its values, lent through its ``Value``s.
private final class ValueRowCursor: BorrowingRowCursor {
    private let cursor: any Cursor
    let lendsStoredValues = true

    init(_ cursor: any Cursor) {
        self.cursor = cursor
    }

    var columns: [ColumnDescription] { cursor.columns }

    func next() throws -> [Value]? { try cursor.next() }

    func nextBorrowed(_ field: (BorrowedValue) -> Void) throws -> Bool {
        guard let row = try cursor.next() else { return false }
        for value in row {
            switch value {
            case .null: field(.null)
            case .integer(let number): field(.integer(number))
            case .real(let number): field(.real(number))
            case .blob(let bytes): bytes.withUnsafeBytes { field(.blob($0)) }
            default:
                var text = value.text ?? ""
                text.withUTF8 { field(.text($0)) }
            }
        }
        return true
    }
}

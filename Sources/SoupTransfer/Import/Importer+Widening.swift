import SoupDriver
import SoupReflection

/// `--infer-rows` on a table the import creates: a column that a row after the sample does not
/// fit is widened while the import runs.
extension Importer {
    /// The columns of a created table as `--infer-rows` typed them, and what the rows after
    /// the sample have shown since.
    struct Widening {
        var inferences: [ColumnInference]
        /// The type each column was created with (or widened to).
        var declared: [InferredType]

        init(inferences: [ColumnInference]) {
            self.inferences = inferences
            declared = inferences.map(\.type)
        }
    }

    /// Widens one column of a created table (after the rows so far are written): on
    /// PostgreSQL with ALTER TABLE, on SQLite by making the table again; the values after it
    /// are converted for the wider type.
    func widen(
        _ table: inout Table, _ mapping: inout ColumnMapping, column index: Int, to type: InferredType, names: [String],
        inTransaction: Bool
    ) throws {
        let name = names[index]
        guard let position = table.columns.firstIndex(where: { $0.name == name }) else { return }
        let declaration = type.declaration(for: dialect.engine)
        var types = report.inferredTypes
        types[index] = type
        if inTransaction, dialect.engine == .postgres {
            let column = dialect.quoteIdentifier(name)
            try connection.execute(
                "ALTER TABLE \(table.name.sql(in: dialect)) ALTER COLUMN \(column) TYPE \(declaration) USING \(column)::text::\(declaration)")
        } else if inTransaction {
            try rebuild(table, names: names, types: types)
        }
        report.widened.append("column \"\(name)\": \(table.columns[position].declaredType) widened to \(declaration)")
        table.columns[position].declaredType = declaration
        table.columns[position].type = NormalizedType(declared: declaration, engine: dialect.engine)
        mapping = ColumnMapping(columns: try matchColumns(names, to: table), fields: mapping.fields, engine: dialect.engine)
        report.inferredTypes = types
        if let definition = try? definition(columnNames: names, types: report.inferredTypes) {
            report.createStatement = definition.createStatement(in: dialect)
        }
    }

    /// SQLite cannot change a column's type: the table is made again with the widened types
    /// and the rows so far moved into it, in the same transaction.
    private func rebuild(_ table: Table, names: [String], types: [InferredType]) throws {
        let definition = try definition(columnNames: names, types: types)
        let old = TableName("soup_import_" + String(UInt32.random(in: 0...UInt32.max), radix: 36), schema: table.name.schema)
        try connection.execute("ALTER TABLE \(table.name.sql(in: dialect)) RENAME TO \(dialect.quoteIdentifier(old.name))")
        try connection.execute(definition.createStatement(in: dialect))
        let columns = definition.columns.map { dialect.quoteIdentifier($0.name) }.joined(separator: ", ")
        try connection.execute("INSERT INTO \(table.name.sql(in: dialect)) (\(columns)) SELECT \(columns) FROM \(old.sql(in: dialect))")
        try connection.execute("DROP TABLE \(old.sql(in: dialect))")
    }
}

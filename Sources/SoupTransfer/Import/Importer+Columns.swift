import SoupDriver
import SoupReflection

/// The input's columns: the header checked, the table to create, and the table's column
/// for each field.
extension Importer {
    func checkHeader(_ names: [String]) throws {
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                throw ImportError(message: "column \(index + 1) of the header has no name", location: .init(file: input.name, line: 1))
            }
            let key = dialect.engine == .sqlite ? name.lowercased() : name
            if let earlier = seen[key] {
                throw ImportError(
                    message: "the header names '\(name)' twice (columns \(earlier + 1) and \(index + 1))",
                    location: .init(file: input.name, line: 1))
            }
            seen[key] = index
        }
    }

    /// The table to create: the header's columns with their inferred types, the key from
    /// `--pk`, else (PostgreSQL) an identity column `id` when no column has that name.
    func definition(columnNames: [String], types: [InferredType]) throws -> TableDefinition {
        var columns = zip(columnNames, types).map { name, type in
            TableDefinition.ColumnDefinition(name: name, type: type.declaration(for: dialect.engine))
        }
        var key: [String] = []
        for wanted in options.primaryKey {
            guard let name = columnNames.first(where: { $0 == wanted }) ?? columnNames.first(where: { $0.lowercased() == wanted.lowercased() })
            else {
                throw ImportError(
                    message: "--pk \(wanted): the input has no such column" + NameSuggester.didYouMean(
                        NameSuggester.suggestions(for: wanted, among: columnNames)),
                    hint: "its columns: " + columnNames.joined(separator: ", "))
            }
            key.append(name)
        }
        if key.isEmpty, dialect.engine == .postgres, !columnNames.contains(where: { $0.lowercased() == "id" }) {
            columns.insert(.init(name: "id", type: "bigint", isIdentity: true), at: 0)
            key = ["id"]
        }
        for name in key {
            if let index = columns.firstIndex(where: { $0.name == name }) { columns[index].notNull = true }
        }
        return TableDefinition(name: options.table, columns: columns, primaryKey: key)
    }

    /// The table's column for each header name: the exact name, else the name as the
    /// database folds an unquoted identifier (lowercase on PostgreSQL, any case on SQLite).
    func matchColumns(_ names: [String], to table: Table) throws -> [Column] {
        if !options.header, report.createStatement == nil {
            // No header: the fields are the table's columns in order.
            let writable = table.columns.filter { $0.generation == nil }
            guard names.count <= writable.count else {
                throw ImportError(
                    message: "the rows have \(names.count) fields, and '\(options.table)' only \(writable.count) columns",
                    location: .init(file: input.name, line: 1),
                    hint: "its columns: " + table.columnNames.joined(separator: ", "))
            }
            return Array(writable.prefix(names.count))
        }
        let columns = try names.enumerated().map { index, name -> Column in
            let found = table.columns.first { $0.name == name }
                ?? table.columns.first { dialect.engine == .sqlite ? $0.name.lowercased() == name.lowercased() : $0.name == name.lowercased() }
            guard let found else {
                let headerNote = options.header ? "" : " (without a header, the fields are c1, c2, …)"
                throw ImportError(
                    message: "'\(options.table)' has no column '\(name)'" + headerNote
                        + NameSuggester.didYouMean(NameSuggester.suggestions(for: name, among: table.columnNames)),
                    location: .init(file: input.name, line: 1, column: nil),
                    hint: "its columns: " + table.columnNames.joined(separator: ", "))
            }
            if found.generation != nil {
                throw ImportError(
                    message: "column '\(found.name)' of '\(options.table)' is generated; leave it out of the input",
                    location: .init(file: input.name, line: 1))
            }
            return found
        }
        return columns
    }
}

import SoupDriver

/// Typed access to one row of a catalog query, by column position.
///
/// Catalog queries are soup's own, so a value of the wrong shape is a bug (or an unexpected
/// server); it throws ``SchemaError/unexpectedCatalogRow(_:)`` instead of trapping.
struct CatalogRow {
    let values: [Value]

    init(_ values: [Value]) {
        self.values = values
    }

    /// Text, or `nil` for NULL. Numbers are given as their text.
    func optionalString(_ index: Int) -> String? {
        guard index < values.count else { return nil }
        return values[index].text
    }

    func string(_ index: Int) throws -> String {
        guard let text = optionalString(index) else { throw missing(index, "text") }
        return text
    }

    func optionalInt(_ index: Int) -> Int? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .integer(let v): return Int(v)
        case .real(let v) where v.isFinite: return Int(v)
        case .text(let s), .numeric(let s): return Int(s)
        default: return nil
        }
    }

    func int(_ index: Int) throws -> Int {
        guard let value = optionalInt(index) else { throw missing(index, "integer") }
        return value
    }

    /// A boolean from PostgreSQL `bool` or SQLite's 0/1.
    func bool(_ index: Int) throws -> Bool {
        guard index < values.count else { throw missing(index, "boolean") }
        switch values[index] {
        case .bool(let b): return b
        case .integer(let v): return v != 0
        case .text(let s): return s == "t" || s == "true" || s == "1"
        default: throw missing(index, "boolean")
        }
    }

    /// The text elements of a PostgreSQL array (empty for NULL).
    func strings(_ index: Int) throws -> [String] {
        guard index < values.count else { throw missing(index, "array") }
        switch values[index] {
        case .null: return []
        case .array(let elements): return elements.map { $0.text ?? "" }
        default: throw missing(index, "array")
        }
    }

    private func missing(_ index: Int, _ expected: String) -> SchemaError {
        .unexpectedCatalogRow("column \(index + 1) is not \(expected) in \(values)")
    }
}

extension Connection {
    /// Runs a catalog query and wraps each row. Sent as a batch of one: on PostgreSQL a batch
    /// is one round trip, where a query's first statements on a session are described in a
    /// round trip of their own before they run (for user-defined types, which no catalog
    /// query returns).
    func catalogRows(_ sql: String, _ parameters: [Value] = []) throws -> [CatalogRow] {
        try fetchBatch([BoundStatement(sql, parameters)])[0].map(CatalogRow.init)
    }
}

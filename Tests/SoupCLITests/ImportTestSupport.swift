import Foundation
import SoupTestSupport
import Testing

/// The two engines the import and copy tests run against, as the built binary sees them.
enum TransferEngine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh database: a SQLite file in `directory` (not created yet), or a new database on
    /// the test server.
    func database(in directory: TemporaryDirectory, name: String = "t.db") throws -> String {
        switch self {
        case .sqlite: return directory.file(named: name)
        case .postgres: return try PostgresServer.shared().makeDatabase(prefix: "imp")
        }
    }
}

/// Runs `soup` and expects exit 0, returning standard output.
@discardableResult
func soup(_ arguments: [String], stdin: String? = nil, timeout: Double = 120) throws -> String {
    let result = try SoupBinary.run(arguments, stdin: stdin, timeout: timeout)
    #expect(result.status == 0, "soup \(arguments.joined(separator: " ")): \(result.stderr)")
    return result.stdout
}

/// Writes `text` to `name` in `directory` and returns its path.
func writeFile(_ text: String, named name: String, in directory: TemporaryDirectory) throws -> String {
    let path = directory.file(named: name)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

func writeFile(bytes: [UInt8], named name: String, in directory: TemporaryDirectory) throws -> String {
    let path = directory.file(named: name)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// The table's rows as CSV, ordered by its first column.
func rows(_ table: String, in database: String, columns: String = "*", orderBy: String = "1") throws -> String {
    try soup(["query", database, "-f", "csv", "SELECT \(columns) FROM \(table) ORDER BY \(orderBy)"])
}

/// Each column's normalized type, from `soup schema -f json`.
func columnTypes(_ table: String, in database: String) throws -> [String: String] {
    let json = try soup(["schema", database, table, "-f", "json"])
    let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let tables = document?["tables"] as? [[String: Any]] ?? []
    var types: [String: String] = [:]
    for column in tables.first?["columns"] as? [[String: Any]] ?? [] {
        if let name = column["name"] as? String, let type = column["normalized_type"] as? String { types[name] = type }
    }
    return types
}

import SoupReflection

/// What `soup import` (and `\import`) was asked to do, as plain values.
public struct ImportOptions: Sendable, Equatable {
    /// What happens to a row whose primary key is already in the table.
    public enum Conflict: String, Sendable, CaseIterable {
        /// The database refuses it (a unique violation).
        case error
        /// `--upsert`: the file's columns of the existing row are updated; the others kept.
        case upsert
        /// `--replace`: the existing row becomes the file's row; columns the file lacks are
        /// set to their defaults.
        case replace
    }

    public var table: TableName
    public var format: InputFormat = .csv
    /// The field delimiter (one ASCII character); `,` for CSV, tab for TSV when nil.
    public var delimiter: UInt8?
    /// Whether the first line names the columns (CSV, TSV).
    public var header = true
    /// An unquoted field with this text is NULL (CSV, TSV), instead of the empty field.
    public var nullText: String?
    /// Make the table when it does not exist, with types inferred from the input.
    public var create = false
    /// The primary key of a table that `create` makes.
    public var primaryKey: [String] = []
    public var conflict = Conflict.error
    /// Empty the table first (in the same transaction).
    public var truncate = false
    /// Read and check everything, print what would be done, change nothing.
    public var dryRun = false
    /// Skip bad rows (reported), import the rest.
    public var continueOnError = false
    /// Infer types from the first N rows only, instead of a first pass over the whole input.
    public var inferRows: Int?

    public init(table: TableName) {
        self.table = table
    }
}

/// What an import did.
public struct ImportReport: Sendable {
    public var table: TableName
    /// Rows read from the input (the header not counted).
    public var rowsRead = 0
    /// Rows written (or, in a dry run, that would have been).
    public var rowsImported = 0
    /// The skipped rows, the first ten of them (with `--continue`).
    public var skipped: [ImportError] = []
    public var skippedCount = 0
    /// The `CREATE TABLE` run (or, in a dry run, that would have been), when the table was made.
    public var createStatement: String?
    /// The destination columns, in the order of the input's fields.
    public var columns: [String] = []
    /// The inferred type of each created column.
    public var inferredTypes: [InferredType] = []
    /// Columns `--infer-rows` typed too narrowly, widened on the fly: `column "x": integer
    /// widened to text at line 1201`.
    public var widened: [String] = []
}

extension ImportReport {
    /// What standard output says of the import: the CREATE TABLE (with `showingCreate`) and
    /// `imported 3 rows into t (created)`, or the dry run's count; `note` follows the count.
    public func summary(dryRun: Bool, showingCreate: Bool, note: String = "") -> String {
        var out = ""
        if let createStatement, showingCreate { out += createStatement + ";\n" }
        let rows = "\(rowsImported) row\(rowsImported == 1 ? "" : "s")"
        let created = createStatement == nil ? "" : " (created)"
        if dryRun {
            out += "-- dry run: \(rows) would be imported into \(table)\(created); nothing was changed\n"
        } else {
            out += "imported \(rows) into \(table)\(created)\(note)\n"
        }
        return out
    }

    /// What standard error says: the columns widened, and the rows skipped (the first ten).
    public var diagnostics: [String] {
        var lines = widened.map { "soup: note: " + $0 + " (--infer-rows)" }
        guard skippedCount > 0 else { return lines }
        lines.append(
            "soup: skipped \(skippedCount) bad row\(skippedCount == 1 ? "" : "s")"
                + (skippedCount > skipped.count ? " (the first \(skipped.count) below)" : "") + ":")
        lines += skipped.map { "  " + $0.description }
        return lines
    }
}

/// How far an import has got, for a progress bar.
public struct ImportProgress: Sendable {
    /// Which pass over the input: 1 while inferring types, 2 while loading (1 when there is
    /// only one).
    public var pass: Int
    public var passes: Int
    public var bytesRead: Int
    public var totalBytes: Int?
    public var rows: Int

    public init(pass: Int, passes: Int, bytesRead: Int, totalBytes: Int?, rows: Int) {
        self.pass = pass
        self.passes = passes
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.rows = rows
    }

    /// The progress bar's text after `seconds` of this pass: `[#####....] 45% 40.2 MB/89.3 MB
    /// 450,000 rows  210,000 rows/s  0:03 left` (for a pipe, without the bar and the time left).
    public func line(seconds: Double) -> String {
        let seconds = max(seconds, 0.001)
        var line = passes > 1 ? (pass == 1 ? "inferring types " : "importing ") : ""
        let rate = "\(Self.grouped(rows)) rows  \(Self.grouped(Int(Double(rows) / seconds))) rows/s"
        guard let totalBytes, totalBytes > 0 else { return line + "\(Self.megabytes(bytesRead))  " + rate }
        let fraction = min(1, Double(bytesRead) / Double(totalBytes))
        let filled = Int(fraction * 24)
        line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "] "
        line += "\(Int(fraction * 100))% \(Self.megabytes(bytesRead))/\(Self.megabytes(totalBytes))  " + rate
        let left = Int((fraction > 0 ? seconds * (1 - fraction) / fraction : 0).rounded())
        return line + "  \(left / 60):" + (left % 60 < 10 ? "0" : "") + "\(left % 60) left"
    }

    private static func megabytes(_ bytes: Int) -> String {
        let tenths = bytes * 10 / 1_000_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    /// 1234567 as 1,234,567.
    public static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}

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

/// How far an import has got, for a progress bar.
public struct ImportProgress: Sendable {
    /// Which pass over the input: 1 while inferring types, 2 while loading (1 when there is
    /// only one).
    public var pass: Int
    public var passes: Int
    public var bytesRead: Int
    public var totalBytes: Int?
    public var rows: Int
}

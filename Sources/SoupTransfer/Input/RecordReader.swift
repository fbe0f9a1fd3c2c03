/// What one field of a record holds, as the input format says it.
public enum FieldKind: UInt8, Sendable {
    /// NULL: an unquoted empty CSV field (or the `--null` text), `\N` in TSV, JSON `null` or a
    /// key an object lacks.
    case null
    /// Text: a CSV or TSV field, a JSON string.
    case text
    /// A JSON number, as its text.
    case number
    /// JSON `true` or `false`, as that text.
    case boolean
    /// A JSON object or array, as its JSON text.
    case document
}

/// Records of an input file (or rows of a query), one at a time, each field lent as bytes that stay valid until
/// the next record is read: nothing is kept of the records already read.
public protocol RecordReader: AnyObject {
    /// The column names: the header line, the keys of the JSON objects, or `c1`…`cn`.
    var columnNames: [String] { get }
    /// Reads the next record; `false` at the end of the input.
    func next() throws -> Bool
    /// The number of fields in the current record.
    var fieldCount: Int { get }
    /// The bytes of field `index` of the current record (UTF-8, not yet validated).
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8>
    func kind(_ index: Int) -> FieldKind
    /// The line the current record starts on (1-based).
    var line: Int { get }
    /// Where field `index` of the current record starts.
    func location(ofField index: Int) -> ImportError.Location
}

/// The input formats `soup import` reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// RFC 4180, as `psql --csv` and soup write it: NULL an empty unquoted field, `""` the
    /// empty string.
    case csv
    /// PostgreSQL's COPY text format, as soup writes `tsv`: `\N` is NULL, backslash escapes.
    case tsv
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case jsonl

    /// The format a file name's extension names, if any.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        guard let dot = lower.lastIndex(of: ".") else { return nil }
        switch lower[lower.index(after: dot)...] {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        default: return nil
        }
    }
}

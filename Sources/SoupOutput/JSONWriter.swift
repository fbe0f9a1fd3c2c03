import SoupDriver

/// The `json` and `jsonl` formats.
///
/// `json` prints a result set as one JSON document, an array with one object per row, written
/// as it streams with one row per line:
///
/// ```
/// [
/// {"id":1,"name":"alice"},
/// {"id":2,"name":null}
/// ]
/// ```
///
/// An empty result is `[]`. `jsonl` prints the same objects one per line with no array around
/// them (nothing for an empty result). Objects are keyed by column name; a name that repeats
/// an earlier one gets the first free suffix `_2`, `_3`… (`a`, `a`, `a` → `a`, `a_2`, `a_3`),
/// so no value is lost to a JSON reader. Values map as ``Swift/Array/append(json:)`` describes.
struct JSONWriter: RowWriter {
    /// Whether to print JSON Lines rather than one array.
    let lines: Bool
    private var keys: [[UInt8]] = []
    private var line: [UInt8] = []
    private var isFirstRow = true

    init(lines: Bool) {
        self.lines = lines
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        keys = Self.uniqueKeys(columns.map(\.name)).map { key in
            var bytes: [UInt8] = []
            bytes.append(jsonString: key)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
    }

    mutating func write(row: [Value], to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        if !lines { line.append(contentsOf: (isFirstRow ? "[\n" : ",\n").utf8) }
        isFirstRow = false
        line.append(UInt8(ascii: "{"))
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: keys[index])
            line.append(json: value)
        }
        line.append(UInt8(ascii: "}"))
        if lines { line.append(UInt8(ascii: "\n")) }
        sink.write(bytes: line)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {
        guard !lines else { return }
        sink.write(isFirstRow ? "[]\n" : "\n]\n")
    }

    func write(scalar: Value, to sink: OutputSink) {
        var bytes: [UInt8] = []
        bytes.append(json: scalar)
        bytes.append(UInt8(ascii: "\n"))
        sink.write(bytes: bytes)
    }

    /// Column names made unique by suffixing repeats with `_2`, `_3`…, skipping any suffixed
    /// name that another column already has.
    static func uniqueKeys(_ names: [String]) -> [String] {
        var taken = Set(names)
        var seen: Set<String> = []
        return names.map { name in
            guard seen.contains(name) else {
                seen.insert(name)
                return name
            }
            var suffix = 2
            while taken.contains("\(name)_\(suffix)") { suffix += 1 }
            let key = "\(name)_\(suffix)"
            taken.insert(key)
            return key
        }
    }
}

/// How a profile's readers looked when a soup process last saw them, kept between processes
/// beside the read-your-writes state: `routing-PROFILE-readers.tsv`.
///
/// Each one-shot `soup query` or `soup run` is a process of its own. Without this, the next one
/// would try a reader that the last one found down (and wait for its connection to fail) instead
/// of skipping it for the rest of its back-off; and `soup status`, run on its own, routes no reads,
/// so it could tell neither a back-off nor each reader's share of reads. The file holds each
/// reader's back-off and the reads of the last session that routed any:
///
///     saved_at	1795000000.250
///     reader	reader.1	postgresql://app@db1/app	1795000002.250	2	connection refused
///     reads	1795000000.250	4	reader.2	read: SELECT; round robin over 2 readers	SELECT 1
///     reads_of	reader.2	4
///
/// (tab-separated; a reader line: label, URL, down until or `-`, back-off seconds, why).
struct ReaderRecords: Equatable {
    /// One reader's back-off, as the process that saved the file left it.
    struct Reader: Equatable {
        var label: String
        var url: String
        /// Wall-clock seconds until which it is skipped; nil while up.
        var downUntil: Double?
        var backoffSeconds: Double
        var reason: String?
    }

    /// The reads of the last session that routed any: when it ended, how many, where each went.
    struct Reads: Equatable {
        var endedAt: Double
        var routed: Int
        var byReader: [String: Int]
        var last: Route?
    }

    var readers: [Reader] = []
    var reads: Reads?

    /// The file beside `stateFile` (`routing-app.json` → `routing-app-readers.tsv`).
    static func file(beside stateFile: String) -> String {
        (stateFile.hasSuffix(".json") ? String(stateFile.dropLast(5)) : stateFile) + "-readers.tsv"
    }

    init(readers: [Reader] = [], reads: Reads? = nil) {
        self.readers = readers
        self.reads = reads
    }

    /// Reads the lines soup writes; a line it does not know is skipped.
    init(parsing text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch (fields.first, fields.count) {
            case ("reader", 6):
                readers.append(
                    Reader(
                        label: fields[1], url: fields[2], downUntil: Double(fields[3]), backoffSeconds: Double(fields[4]) ?? 0,
                        reason: fields[5] == "-" ? nil : fields[5]))
            case ("reads", 6):
                guard let ended = Double(fields[1]), let routed = Int(fields[2]) else { continue }
                let last = fields[3] == "-" ? nil : Route(binding: fields[3], reason: fields[4], statement: fields[5])
                reads = Reads(endedAt: ended, routed: routed, byReader: reads?.byReader ?? [:], last: last)
            case ("reads_of", 3):
                guard let count = Int(fields[2]) else { continue }
                if reads == nil { reads = Reads(endedAt: 0, routed: 0, byReader: [:], last: nil) }
                reads?.byReader[fields[1]] = count
            default:
                continue
            }
        }
    }

    static func load(from path: String) -> ReaderRecords? {
        TextFile.read(path).map(ReaderRecords.init(parsing:))
    }

    /// The file's text; tabs and line breaks inside a field become spaces.
    func text(savedAt now: Double) -> String {
        func field(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "-" }
            return String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
        }
        var lines = ["saved_at\t\(now)"]
        for reader in readers {
            let until = reader.downUntil.map { String($0) } ?? "-"
            lines.append(["reader", field(reader.label), field(reader.url), until, String(reader.backoffSeconds), field(reader.reason)].joined(separator: "\t"))
        }
        if let reads {
            let last = reads.last
            lines.append(["reads", String(reads.endedAt), String(reads.routed), field(last?.binding), field(last?.reason), field(last?.statement)].joined(separator: "\t"))
            for (label, count) in reads.byReader.sorted(by: { $0.key < $1.key }) {
                lines.append("reads_of\t\(field(label))\t\(count)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func save(to path: String, now: Double) {
        _ = TextFile.writeAtomically(text(savedAt: now), to: path)
    }
}

import SoupDriver

/// The rows of a query as records, so a table copied between databases goes through the same
/// checks and sinks as an imported file. Each value is lent as the text soup prints for it
/// (integers in decimal, reals as PostgreSQL prints them, blobs as `\x` and hex): PostgreSQL
/// lends its own text, SQLite its stored values, written into one reused buffer.
final class CursorRecordReader: RecordReader {
    let columnNames: [String]
    private(set) var line = 0
    private let cursor: any BorrowingRowCursor
    /// A description of the source for messages: `SRC table t`.
    private let source: String
    private var bytes: [UInt8] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var kinds: [FieldKind] = []
    private var lent: UnsafeMutablePointer<UInt8>
    private var lentCapacity = 1 << 16
    private static let hexDigits = Array("0123456789abcdef".utf8)

    init(cursor: any BorrowingRowCursor, source: String) {
        self.cursor = cursor
        self.source = source
        columnNames = cursor.columns.map(\.name)
        lent = .allocate(capacity: lentCapacity)
        starts = Array(repeating: 0, count: columnNames.count)
        ends = starts
        kinds = Array(repeating: .null, count: columnNames.count)
    }

    deinit {
        lent.deallocate()
    }

    var fieldCount: Int { columnNames.count }

    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: lent + starts[index], count: ends[index] - starts[index])
    }

    func kind(_ index: Int) -> FieldKind { kinds[index] }

    func location(ofField index: Int) -> ImportError.Location {
        ImportError.Location(file: source, line: line)
    }

    func next() throws -> Bool {
        bytes.removeAll(keepingCapacity: true)
        var column = 0
        let found = try cursor.nextBorrowed { value in
            starts[column] = bytes.count
            switch value {
            case .null:
                kinds[column] = .null
            case .integer(let number):
                bytes.append(contentsOf: String(number).utf8)
                kinds[column] = .text
            case .real(let number):
                bytes.append(contentsOf: Value.format(real: number).utf8)
                kinds[column] = .text
            case .text(let text):
                bytes.append(contentsOf: text)
                kinds[column] = .text
            case .blob(let blob):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "x"))
                for byte in blob {
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                }
                kinds[column] = .text
            }
            ends[column] = bytes.count
            column += 1
        }
        guard found else { return false }
        line += 1
        if bytes.count > lentCapacity {
            lent.deallocate()
            lentCapacity = max(bytes.count, lentCapacity * 2)
            lent = .allocate(capacity: lentCapacity)
        }
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { lent.update(from: base, count: $0.count) } }
        return true
    }
}

import SoupDriver

/// One row of stored values (see ``BorrowingRowCursor/lendsStoredValues``) copied out of the
/// database's buffers into storage reused from row to row, so reading a row allocates nothing.
struct StoredRow {
    /// A value; text and blobs are ranges of ``bytes``.
    enum Field {
        case null
        case integer(Int64)
        case real(Double)
        case text(Range<Int>)
        case blob(Range<Int>)
    }

    private(set) var fields: [Field] = []
    private(set) var bytes: [UInt8] = []

    /// Reads the cursor's next row in place of this one; `false` at the end.
    mutating func read(from cursor: any BorrowingRowCursor) throws -> Bool {
        fields.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        return try cursor.nextBorrowed { value in
            switch value {
            case .null: fields.append(.null)
            case .integer(let number): fields.append(.integer(number))
            case .real(let number): fields.append(.real(number))
            case .text(let text): fields.append(.text(copy(text)))
            case .blob(let blob): fields.append(.blob(copy(blob)))
            }
        }
    }

    private mutating func copy(_ source: some Collection<UInt8>) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: source)
        return start..<bytes.count
    }

    /// Field `index` as the ``Value`` it stands for.
    func value(at index: Int) -> Value {
        switch fields[index] {
        case .null: .null
        case .integer(let number): .integer(number)
        case .real(let number): .real(number)
        case .text(let range): bytes[range].withUnsafeBufferPointer { Value(stored: .text($0)) }
        case .blob(let range): .blob(Array(bytes[range]))
        }
    }

    /// Calls `body` with the bytes of a text or blob field.
    func withBytes<R>(of range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

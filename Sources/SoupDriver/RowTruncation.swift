/// Where a result was cut off: what a row limit (`\limit`, `--limit`) left out, so that the
/// footer can say so.
public enum RowTruncation: Sendable, Equatable {
    /// `shown` rows were shown and more exist; they were not read.
    case moreNotRead(shown: Int)
    /// `shown` rows of `total` were shown: the rest was already known (in memory, or read and
    /// counted without being shown).
    case counted(shown: Int, total: Int)

    /// The footer line: `(first 1,000 rows; 3,503 in all)` or `(first 1,000 rows; more not read)`.
    public var footer: String {
        switch self {
        case .moreNotRead(let shown): "(first \(Self.grouped(shown)) \(shown == 1 ? "row" : "rows"); more not read)"
        case .counted(let shown, let total):
            "(first \(Self.grouped(shown)) \(shown == 1 ? "row" : "rows"); \(Self.grouped(total)) in all)"
        }
    }

    static func grouped(_ number: Int) -> String { number.groupedByThousands }
}

extension Int {
    /// `3503` as `3,503`: counts of rows as people read them.
    public var groupedByThousands: String {
        let digits = Array(String(magnitude))
        var text = self < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}

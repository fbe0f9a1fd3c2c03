import SoupDriver

/// A result cut off after `limit` rows (`\limit`, `--limit`), so that a mistaken read of a big
/// table shows a screenful instead of scrolling for minutes.
///
/// It reads one row past the limit to learn whether more exist. When the rest is already in
/// memory its size is known for free; when ``readsRest`` is set (a statement that may write
/// must run to its end, and a PostgreSQL statement inside a transaction that cannot run as a
/// cursor (``DeclaredCursorRead``), where cancelling it would abort the transaction) the rest is
/// read and counted without being shown. Otherwise the rest
/// is never read: dropping the cursor resets the SQLite statement or cancels the PostgreSQL one.
public final class LimitedCursor: RowCursor {
    public let base: any RowCursor
    public let limit: Int
    public let readsRest: Bool
    public private(set) var truncation: RowTruncation?
    private var shown = 0

    public init(_ base: any RowCursor, limit: Int, readsRest: Bool) {
        self.base = base
        self.limit = limit
        self.readsRest = readsRest
    }

    public var columns: [ColumnDescription] { base.columns }

    public func next() throws -> [Value]? {
        guard truncation == nil else { return nil }
        guard let row = try base.next() else { return nil }
        guard shown == limit else {
            shown += 1
            return row
        }
        if let array = base as? ArrayCursor {
            truncation = .counted(shown: shown, total: array.count)
        } else if readsRest {
            var total = shown + 1
            while try base.next() != nil { total += 1 }
            truncation = .counted(shown: shown, total: total)
        } else {
            truncation = .moreNotRead(shown: shown)
        }
        return nil
    }
}

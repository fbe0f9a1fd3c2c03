import SoupCore
import SoupDriver
import SoupSQLite
import Testing

/// A row limit stops reading: the cursor under it returns one row past the limit (to learn
/// that more exist) and no more, unless the statement must run to its end.
@Suite("Row limits read no further than they show")
struct RowLimitTests {
    /// Counts the rows its base cursor returned.
    final class CountingCursor: RowCursor {
        let base: any RowCursor
        private(set) var returned = 0
        init(_ base: any RowCursor) { self.base = base }
        var columns: [ColumnDescription] { base.columns }
        func next() throws -> [Value]? {
            let row = try base.next()
            if row != nil { returned += 1 }
            return row
        }
    }

    private func rows(_ count: Int) throws -> CountingCursor {
        let connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        let cursor = try connection.query(
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < \(count)) SELECT n FROM c", [])
        return CountingCursor(cursor)
    }

    @Test("a read stops one row past the limit and says more were not read")
    func stops() throws {
        let counting = try rows(3503)
        let limited = LimitedCursor(counting, limit: 1000, readsRest: false)
        var shown = 0
        while try limited.next() != nil { shown += 1 }
        #expect(shown == 1000)
        #expect(counting.returned == 1001)
        #expect(limited.truncation == .moreNotRead(shown: 1000))
        #expect(limited.truncation?.footer == "(first 1,000 rows; more not read)")
    }

    @Test("a statement that must run to its end is read and counted, not shown")
    func counts() throws {
        let counting = try rows(3503)
        let limited = LimitedCursor(counting, limit: 1000, readsRest: true)
        var shown = 0
        while try limited.next() != nil { shown += 1 }
        #expect(shown == 1000)
        #expect(counting.returned == 3503)
        #expect(limited.truncation?.footer == "(first 1,000 rows; 3,503 in all)")
    }

    @Test("a result no longer than the limit is not cut off")
    func fits() throws {
        let limited = LimitedCursor(try rows(1000), limit: 1000, readsRest: false)
        while try limited.next() != nil {}
        #expect(limited.truncation == nil)
    }
}

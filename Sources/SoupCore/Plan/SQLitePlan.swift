import SoupDriver
import SoupReflection

/// SQLite's `EXPLAIN QUERY PLAN` rows (`id`, `parent`, `notused`, `detail`) read into a
/// ``QueryPlan``, with a note on each full scan of a table whose filtered columns an index
/// could serve.
enum SQLitePlan {
    /// - Parameters:
    ///   - rows: the rows of EXPLAIN QUERY PLAN.
    ///   - filtered: for a table as the plan spells it (its name or alias), the table's name and
    ///     the columns of it that the statement's WHERE and ON compare.
    static func plan(rows: [[Value]], filtered: (String) -> (table: String, columns: [String])) -> QueryPlan {
        var children: [Int64: [(id: Int64, detail: String)]] = [:]
        for row in rows where row.count >= 4 {
            guard case .integer(let id) = row[0], case .integer(let parent) = row[1] else { continue }
            guard case .text(let detail) = row[3] else { continue }
            children[parent, default: []].append((id, detail))
        }
        func step(_ id: Int64, _ detail: String) -> PlanStep {
            var step = PlanStep(operation: detail, children: (children[id] ?? []).map { step($0.id, $0.detail) })
            if let spelled = scannedTable(detail) {
                let (table, candidates) = filtered(spelled)
                step.notes.append(
                    candidates.isEmpty
                        ? "full scan of \(table): every row is read"
                        : "full scan of \(table) filtered on \(candidates.joined(separator: ", ")): an index on \(table)(\(candidates.joined(separator: ", "))) could serve it")
            }
            return step
        }
        return QueryPlan(steps: (children[0] ?? []).map { step($0.id, $0.detail) }, analyzed: false)
    }

    /// The table of a full scan (`SCAN track`, `SCAN TABLE track AS t`), not of a scan through
    /// an index, a subquery or a constant row.
    static func scannedTable(_ detail: String) -> String? {
        var words = detail.split(separator: " ").map(String.init)
        guard words.first == "SCAN", !words.contains("USING") else { return nil }
        words.removeFirst()
        if words.first == "TABLE" { words.removeFirst() }
        guard let name = words.first, !["CONSTANT", "SUBQUERY"].contains(name), !name.hasPrefix("(") else { return nil }
        return name
    }
}

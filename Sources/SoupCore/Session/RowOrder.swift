import HeapModule
import SoupDriver
import SoupReflection

/// The order of one table's rows in a flush when the table references itself
/// (`employees.reports_to`): a new manager is inserted before the new report that names it, and
/// a report deleted before its manager. Tables are ordered among themselves by their foreign
/// keys; this orders the rows inside one such table.
enum RowOrder {
    /// `rows` (all of one entity) with every row after the rows it references through the
    /// table's keys to itself; rows that need no reordering keep their order. With `reversed`,
    /// every row comes before the rows it references (for deletes).
    ///
    /// Rows that reference each other, directly or around a loop, cannot be written in any
    /// order while the keys are checked: that is an error naming them and the way out. A row
    /// that references itself is no loop (its key is checked after the statement).
    static func sorted(_ rows: [Row], reversed: Bool) throws -> [Row] {
        guard rows.count > 1, let table = rows.first?.entity.table else { return rows }
        let keys = table.foreignKeys.filter { $0.references(table.name) }
        guard !keys.isEmpty else { return rows }
        // For each row, the other rows in `rows` it references.
        var references: [[Int]] = Array(repeating: [], count: rows.count)
        for key in keys {
            let local = key.columns.compactMap { column in rows[0].entity.attributes.firstIndex { $0.name == column } }
            let remote = key.referencedColumns.compactMap { column in rows[0].entity.attributes.firstIndex { $0.name == column } }
            guard local.count == key.columns.count, remote.count == key.referencedColumns.count else { continue }
            var byKey: [[Value]: [Int]] = [:]
            // Deleted rows are matched as the database holds them.
            let stored = rows.map { reversed ? $0.storedValues : $0.values }
            for (index, row) in stored.enumerated() {
                let values = remote.map { row[$0] }
                if !values.contains(where: \.isNull) { byKey[values, default: []].append(index) }
            }
            for (index, row) in stored.enumerated() {
                let values = local.map { row[$0] }
                guard !values.contains(where: \.isNull) else { continue }
                references[index] += (byKey[values] ?? []).filter { $0 != index }
            }
        }
        // Each row waits for the rows that must be written before it: those it references
        // (inserts), or those that reference it (deletes).
        var before: [Set<Int>] = Array(repeating: [], count: rows.count)
        for (index, referenced) in references.enumerated() {
            for parent in referenced {
                if reversed { before[parent].insert(index) } else { before[index].insert(parent) }
            }
        }
        var after: [[Int]] = Array(repeating: [], count: rows.count)
        for (index, waits) in before.enumerated() {
            for other in waits { after[other].append(index) }
        }
        // Kahn's algorithm, always taking the earliest ready row (a heap: a flush of many rows
        // stays n log n), so the order is kept where it can be.
        var waiting = before.map(\.count)
        var ready = Heap(waiting.indices.filter { waiting[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(rows.count)
        while let next = ready.popMin() {
            order.append(next)
            for other in after[next] {
                waiting[other] -= 1
                if waiting[other] == 0 { ready.insert(other) }
            }
        }
        guard order.count == rows.count else {
            let ordered = Set(order)
            let looped = rows.indices.filter { !ordered.contains($0) }.map { rows[$0].representation }
            let columns = keys.flatMap(\.columns).sorted().map { "'\($0)'" }.joined(separator: " or ")
            throw EvaluationError(
                "cannot \(reversed ? "delete" : "insert") these '\(table.name.name)' rows in any order, they reference each other: "
                    + looped.joined(separator: ", "),
                hint: reversed
                    ? "set \(columns) to None in one of them and flush() before deleting"
                    : "insert one of them with \(columns) None, flush(), then set it")
        }
        return order.map { rows[$0] }
    }
}

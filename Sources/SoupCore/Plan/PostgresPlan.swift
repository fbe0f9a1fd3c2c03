import SoupDriver

/// PostgreSQL's `EXPLAIN (FORMAT JSON[, ANALYZE, BUFFERS])` read into a ``QueryPlan``.
enum PostgresPlan {
    /// The plan in `json` (the one value that EXPLAIN returns); nil when it is not one.
    static func plan(json: String, analyzed: Bool) -> QueryPlan? {
        guard let top = JSONDocument(parsing: json)?.items?.first, let root = top["Plan"], case .object = root else { return nil }
        var plan = QueryPlan(steps: [step(root, analyzed: analyzed)], analyzed: analyzed)
        plan.markCostliest()
        if analyzed {
            let planning = top["Planning Time"]?.number.map { "planning \(PlanNumber.decimal($0)) ms" }
            let execution = top["Execution Time"]?.number.map { "execution \(PlanNumber.decimal($0)) ms" }
            let times = [planning, execution].compactMap { $0 }
            if !times.isEmpty { plan.notes.append(times.joined(separator: ", ")) }
        }
        return plan
    }

    /// Estimated and actual rows this many times apart get a warning.
    static let misestimateFactor = 10.0

    /// One node of the plan (a JSON object) and the nodes under it.
    private static func step(_ node: JSONDocument, analyzed: Bool) -> PlanStep {
        var operation = node["Node Type"]?.text ?? "?"
        if operation == "ModifyTable", let write = node["Operation"]?.text { operation = write }
        if let join = node["Join Type"]?.text, operation.hasSuffix("Join") || operation == "Nested Loop", join != "Inner" {
            operation = "\(operation) (\(join))"
        }
        if let relation = node["Relation Name"]?.text {
            operation += " on " + relation
            if let alias = node["Alias"]?.text, alias != relation { operation += " " + alias }
        }
        if let index = node["Index Name"]?.text { operation += " using " + index }
        var step = PlanStep(operation: operation)
        step.children = (node["Plans"]?.items ?? []).compactMap { child in
            guard case .object = child else { return nil }
            return Self.step(child, analyzed: analyzed)
        }
        let estimated = node["Plan Rows"]?.number
        var figures: [String] = []
        if let estimated { figures.append("rows≈\(PlanNumber.rows(estimated))") }
        if let cost = node["Total Cost"]?.number { figures.append("cost \(PlanNumber.decimal(cost))") }
        for (key, label) in [("Index Cond", "index"), ("Hash Cond", "hash"), ("Merge Cond", "merge"), ("Filter", "filter")] {
            if let condition = node[key]?.text { figures.append("\(label) \(condition)") }
        }
        let childCost = step.children.reduce(0.0) { $0 + $1.totalForParent }
        if analyzed, let actual = node["Actual Rows"]?.number, let loops = node["Actual Loops"]?.number,
            let time = node["Actual Total Time"]?.number
        {
            figures.append("actual rows=\(PlanNumber.rows(actual)) loops=\(PlanNumber.rows(loops)) time=\(PlanNumber.decimal(time)) ms")
            if let hits = node["Shared Hit Blocks"]?.number, let reads = node["Shared Read Blocks"]?.number, hits + reads > 0 {
                figures.append("buffers hit=\(PlanNumber.rows(hits)) read=\(PlanNumber.rows(reads))")
            }
            step.totalForParent = time * loops
            step.ownCost = max(0, time * loops - childCost)
            if let estimated, max(estimated, 1) / max(actual, 1) > misestimateFactor || max(actual, 1) / max(estimated, 1) > misestimateFactor {
                step.notes.append("estimated \(PlanNumber.rows(estimated)) rows, got \(PlanNumber.rows(actual)): more than \(Int(misestimateFactor))× off (ANALYZE the table?)")
            }
        } else if let cost = node["Total Cost"]?.number {
            step.totalForParent = cost
            step.ownCost = max(0, cost - childCost)
        }
        step.figures = figures
        return step
    }
}

import SoupDriver

/// PostgreSQL's `EXPLAIN (FORMAT JSON[, ANALYZE, BUFFERS])` read into a ``QueryPlan``.
enum PostgresPlan {
    /// The plan in `json` (the one value that EXPLAIN returns); nil when it is not one.
    static func plan(json: String, analyzed: Bool) -> QueryPlan? {
        guard case .array(let items)? = PlanJSON.parse(json), case .object(let top)? = items.first,
            case .object(let root)? = top["Plan"]
        else { return nil }
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

    private static func step(_ node: [String: PlanJSON], analyzed: Bool) -> PlanStep {
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
        step.children = (node["Plans"]?.array ?? []).compactMap { child in
            if case .object(let fields) = child { return Self.step(fields, analyzed: analyzed) }
            return nil
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

/// Just enough JSON for EXPLAIN's output: objects, arrays, strings, numbers, booleans, null.
indirect enum PlanJSON: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PlanJSON])
    case object([String: PlanJSON])

    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var number: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    var array: [PlanJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    static func parse(_ text: String) -> PlanJSON? {
        var reader = Reader(bytes: Array(text.utf8))
        return reader.value()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func value() -> PlanJSON? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var fields: [String: PlanJSON] = [:]
                while true {
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                        index += 1
                        return .object(fields)
                    }
                    guard case .string(let key)? = value() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let member = value() else { return nil }
                    fields[key] = member
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [PlanJSON] = []
                while true {
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                        index += 1
                        return .array(items)
                    }
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
                }
            case UInt8(ascii: "\""):
                return string().map(PlanJSON.string)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let word = String(decoding: bytes[index...].prefix { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }, as: UTF8.self)
                index += word.utf8.count
                switch word {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                default: return nil
                }
            default:
                let start = index
                while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                return Double(String(decoding: bytes[start..<index], as: UTF8.self)).map(PlanJSON.number)
            }
        }

        mutating func string() -> String? {
            index += 1
            var scalars: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: scalars, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                            let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
                        else { return nil }
                        index += 4
                        scalars.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "?").utf8))
                    default: scalars.append(escaped)
                    }
                default:
                    scalars.append(byte)
                }
            }
            return nil
        }
    }
}

import SoupDriver

/// A statement's plan as a tree of steps, from either engine, with what soup noticed about it:
/// the costliest step, estimates far from what happened, full scans an index could serve.
public struct QueryPlan: Sendable, Equatable {
    /// The top steps (SQLite may have several: one per part of a compound query).
    public var steps: [PlanStep]
    /// Whether the statement ran (`analyze`), so that actual rows and times are known.
    public var analyzed: Bool
    /// The binding the statement was sent to, when a profile has more than one.
    public var binding: String?
    /// Lines under the tree: the savepoint a write ran in, the time it took.
    public var notes: [String] = []

    /// The first line: what kind of plan, and where it came from.
    public var title: String {
        (analyzed ? "Plan (analyzed: the statement ran)" : "Plan (estimated: the statement did not run)")
            + (binding.map { " on binding \($0)" } ?? "")
    }
}

/// One step of a plan: what it does (`Seq Scan on track`, `SEARCH album USING INDEX ...`), its
/// figures, and notes.
public struct PlanStep: Sendable, Equatable {
    public var operation: String
    /// `rows≈100  cost 12.50`, `actual rows=98 loops=1 time=0.12 ms`.
    public var figures: [String] = []
    /// Warnings and advice about this step.
    public var notes: [String] = []
    /// The step that costs most (its own cost or time, without its children's).
    public var isCostliest = false
    public var children: [PlanStep] = []
    /// This step's own cost or time, for finding the costliest.
    var ownCost: Double = 0
    /// Its cost or time with its children's, which its parent's own cost leaves out.
    var totalForParent: Double = 0

    public init(operation: String, children: [PlanStep] = []) {
        self.operation = operation
        self.children = children
    }

    /// Every step of the tree, depth first, as paths of child indexes.
    func paths(prefix: [Int] = []) -> [[Int]] {
        children.enumerated().flatMap { index, child in [prefix + [index]] + child.paths(prefix: prefix + [index]) }
    }
}

extension QueryPlan {
    /// Marks the step with the highest own cost, when any step costs anything.
    mutating func markCostliest() {
        var best: (cost: Double, top: Int, path: [Int])?
        for (top, step) in steps.enumerated() {
            for path in [[]] + step.paths() {
                let cost = step.descendant(at: path).ownCost
                if cost > (best?.cost ?? 0) { best = (cost, top, path) }
            }
        }
        guard let best, steps.count + steps.reduce(0, { $0 + $1.paths().count }) > 1 else { return }
        steps[best.top].mark(at: best.path)
    }
}

extension PlanStep {
    func descendant(at path: [Int]) -> PlanStep {
        path.reduce(self) { $0.children[$1] }
    }

    mutating func mark(at path: [Int]) {
        guard let first = path.first else {
            isCostliest = true
            return
        }
        children[first].mark(at: Array(path.dropFirst()))
    }
}

/// How a number of rows or a cost reads in a plan: `3,503`, `12.5`.
enum PlanNumber {
    static func rows(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? Int(value).groupedByThousands : String(value)
    }

    static func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}

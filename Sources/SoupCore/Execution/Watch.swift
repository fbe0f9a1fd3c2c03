import SoupDriver
import SoupLanguage

/// `\watch [SECONDS] [COUNT]` and `soup query --watch SECONDS`: the same reads run again and
/// again, each result compared with the one before so that changed cells stand out.
public struct Watch: Sendable, Equatable {
    /// The pause between runs.
    public var interval: Duration
    /// How many runs; nil runs until Ctrl-C.
    public var count: Int?

    public init(interval: Duration = .seconds(2), count: Int? = nil) {
        self.interval = interval
        self.count = count
    }

    /// `[SECONDS] [COUNT]`: seconds may have a fraction (at least 0.01); count at least 1.
    public init(arguments: String) throws {
        let words = arguments.split(separator: " ")
        guard words.count <= 2 else { throw EvaluationError("\\watch takes at most SECONDS and COUNT: \\watch 2 10") }
        self.init()
        if let first = words.first {
            guard let seconds = Double(first), seconds >= 0.01, seconds <= 86400 else {
                throw EvaluationError("\\watch: '\(first)' is not a number of seconds (0.01 to 86400)")
            }
            interval = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if words.count == 2 {
            guard let runs = Int(words[1]), runs >= 1 else { throw EvaluationError("\\watch: the count must be 1 or more, not '\(words[1])'") }
            count = runs
        }
    }

    /// Why `text` cannot be watched: it does not parse, or a statement may write (running a
    /// write again and again is never what was meant). Nil when every statement only reads.
    public static func refusal(for text: String) -> String? {
        do {
            let statements = try Parser.parse(text, sqlTermination: .semicolon)
            for statement in statements where StatementClassifier.effect(of: statement) != .read {
                return "\\watch re-runs reads only, and this input may write; nothing was run"
            }
            return statements.isEmpty ? "\\watch has nothing to run" : nil
        } catch {
            return "\\watch cannot read the input: \(error)"
        }
    }

    /// Runs `once` (given the run's number, from 1) until ``count`` runs, a run that does not
    /// succeed, or `pause` between runs returning false (Ctrl-C); returns how it ended. Ctrl-C is
    /// how a watch is stopped, so it counts as success whether it comes between runs or during
    /// one (the run then stops where it was).
    public func run(_ once: (Int) -> RunOutcome, pause: (Duration) -> Bool) -> RunOutcome {
        var number = 1
        while true {
            let outcome = once(number)
            if outcome == .interrupted { return .succeeded }
            guard outcome == .succeeded else { return outcome }
            if let count, number >= count { return .succeeded }
            guard pause(interval) else { return .succeeded }
            number += 1
        }
    }
}

/// Shows results through `base`, each result set compared cell by cell with the same result
/// of the previous run (the first, second, ... result set of the input), so that the printer
/// can mark the cells that changed.
public final class WatchDelegate: RunDelegate {
    public let base: any RunDelegate
    private var previous: [[[Value]]] = []
    private var current: [ComparingCursor] = []

    public init(base: any RunDelegate) {
        self.base = base
    }

    /// Call before each run: what the last run showed becomes what the next is compared with.
    public func startRun() {
        if !current.isEmpty { previous = current.map(\.rows) }
        current = []
    }

    public func willRun(_ statement: ScriptStatement) -> StatementDecision { base.willRun(statement) }

    public func show(_ result: Presentation, of statement: ScriptStatement) throws {
        guard case .resultSet(let cursor) = result else { return try base.show(result, of: statement) }
        let index = current.count
        let comparing = ComparingCursor(cursor, previous: index < previous.count ? previous[index] : nil)
        current.append(comparing)
        try base.show(.resultSet(comparing), of: statement)
    }

    public func flush() throws { try base.flush() }

    public func report(_ event: RunEvent) { base.report(event) }
}

/// A cursor that remembers its rows and says which columns of the row just read differ from
/// the same row of an earlier result.
final class ComparingCursor: RowCursor {
    let base: any RowCursor
    private let previous: [[Value]]?
    private(set) var rows: [[Value]] = []
    private(set) var changedColumns: Set<Int> = []

    init(_ base: any RowCursor, previous: [[Value]]?) {
        self.base = base
        self.previous = previous
    }

    var columns: [ColumnDescription] { base.columns }

    var truncation: RowTruncation? { base.truncation }

    func next() throws -> [Value]? {
        guard let row = try base.next() else { return nil }
        changedColumns = []
        if let previous {
            let before = rows.count < previous.count ? previous[rows.count] : nil
            for index in row.indices where before.map({ index >= $0.count || $0[index] != row[index] }) ?? true {
                changedColumns.insert(index)
            }
        }
        rows.append(row)
        return row
    }
}

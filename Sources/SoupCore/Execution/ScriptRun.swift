import SoupDriver

/// Runs scripts of soup statements and SQL in order, in the transactions a
/// ``TransactionPolicy`` asks for: `soup run`, `soup query` and `soup DB < file`.
///
/// - `file`: one transaction around everything, read-only when every statement only reads;
///   committed at the end, rolled back at the first error. A statement that manages
///   transactions itself or cannot run in one (BEGIN, VACUUM, ...) makes the whole run
///   `none` instead; a session `commit` opens the next transaction at once.
/// - `statement`: each statement is committed once it succeeds.
/// - `none`: as written; work left uncommitted at the end is rolled back, with a warning.
/// - `--continue`: a failed statement is reported and undone (to a savepoint taken before it
///   in `file` mode; otherwise its transaction is rolled back), and the run goes on.
/// - `--dry-run`: `file` mode, rolled back at the end, with what would have been committed.
///   It refuses a script that `file` mode cannot wrap, since that would commit.
///
/// Every statement is parsed before the first runs, so a syntax error runs nothing.
public struct ScriptRun {
    public let soup: Soup
    public var policy: TransactionPolicy
    public var delegate: any RunDelegate
    public let interrupts: any Interrupts
    /// Results show at most this many rows (`--limit`; nil: all).
    public var rowLimit: Int?

    public init(soup: Soup, policy: TransactionPolicy, delegate: any RunDelegate, interrupts: any Interrupts = NoInterrupts()) {
        self.soup = soup
        self.policy = policy
        self.delegate = delegate
        self.interrupts = interrupts
    }

    public func run(_ scripts: [Script]) -> RunOutcome {
        var plan: ScriptPlan
        do {
            plan = try ScriptPlan(scripts)
        } catch {
            delegate.report((error as? ScriptSyntaxError).map(RunEvent.unreadable) ?? .error(error))
            return .failed
        }
        var mode = policy.dryRun ? .file : policy.mode
        if mode == .file, let blocker = plan.firstOutsideTransaction {
            guard !policy.dryRun else {
                delegate.report(.failed(StatementFailure(blocker, .refused(Self.dryRunRefusal))))
                return .failed
            }
            delegate.report(.autocommitInstead(because: blocker))
            mode = .none
        }
        return run(&plan, mode: mode)
    }

    private func run(_ plan: inout ScriptPlan, mode: TransactionMode) -> RunOutcome {
        soup.isDryRun = policy.dryRun
        let executor = StatementExecutor(soup: soup, delegate: delegate, interrupts: interrupts)
        executor.rowLimit = rowLimit
        executor.afterEach = { [soup, policy] statement in
            switch (mode, statement.kind) {
            case (.statement, _):
                try soup.commit()
            case (.file, .commit) where soup.connection.transactionStatus == .idle, (.file, .rollback):
                try sendingOwn { try soup.begin(readOnly: policy.readOnly) }
            default:
                break
            }
        }
        var failures = 0
        do {
            if mode == .file { try sendingOwn { try soup.begin(readOnly: policy.readOnly || plan.onlyReads) } }
            for index in plan.pieces.indices {
                let statements = try plan.takeStatements(of: index)
                for (position, statement) in statements.enumerated() {
                    // Statements outside one transaction may be sent ahead of their turn.
                    executor.upcoming = mode == .file || position + 1 == statements.count ? nil : statements[position + 1]
                    if try !run(statement, mode: mode, executor) { failures += 1 }
                }
                // Pending rows go out at the end of each piece, so they need not all stay in memory.
                if plan.pieces[index].continues, mode != .none { try soup.flush() }
            }
            try finish(mode: mode, executor)
            return failures > 0 ? .failed : .succeeded
        } catch is OutputClosed {
            rollBackAfterFailure().map(delegate.report)
            return .outputClosed
        } catch let failure as StatementFailure {
            try? delegate.flush()
            let lost = StatementFailure.lostConnection(in: failure) != nil
            // Rolled back first, so that a hint may read the catalog (PostgreSQL answers
            // nothing else in a failed transaction); reported in the order things happened.
            let rollback = rollBackAfterFailure()
            delegate.report(.failed(lost ? failure : soup.withNameHint(failure)))
            if lost { delegate.report(.connectionLost(lost: nil, duringCommit: false)) }
            rollback.map(delegate.report)
            if failure.isCancel || interrupts.wasInterrupted { return .interrupted }
            return failure.couldNotConnect ? .couldNotConnect : .failed
        } catch {
            delegate.report(.error(error))
            rollBackAfterFailure().map(delegate.report)
            return .failed
        }
    }

    static let dryRunRefusal =
        "a dry run cannot hold this statement in its transaction (it manages transactions itself or cannot run in one); nothing was run"

    /// Runs one statement; returns false when it failed and `--continue` went on.
    private func run(_ statement: ScriptStatement, mode: TransactionMode, _ executor: StatementExecutor) throws -> Bool {
        guard policy.continueOnError else {
            try executor.run(statement)
            return true
        }
        let marker = mode == .file ? try soup.savepoint() : nil
        do {
            try executor.run(statement)
            if marker != nil { try soup.releaseSavepoint() }
            return true
        } catch let failure as StatementFailure where !failure.isFatal && !interrupts.wasInterrupted {
            try? delegate.flush()
            // Undone before it is reported, so that a hint may read the catalog.
            let undone = Result {
                if let marker {
                    try soup.rollback(to: marker)
                } else {
                    try soup.rollback()
                }
            }
            delegate.report(.failed(soup.withNameHint(failure)))
            try undone.get()
            return false
        }
    }

    private func finish(mode: TransactionMode, _ executor: StatementExecutor) throws {
        try delegate.flush()
        switch mode {
        case .file:
            try soup.flush()
            guard policy.dryRun else {
                // A Ctrl-C that came after the last statement's work still stops the run.
                if interrupts.wasInterrupted {
                    throw StatementFailure.own(DatabaseError(kind: .cancelled, message: "interrupted; nothing was committed", sql: "COMMIT"))
                }
                return try sendingOwn { try soup.commit() }
            }
            if soup.connection.transactionStatus != .idle { try sendingOwn { try soup.rollback() } }
            delegate.report(
                .dryRunEnded(
                    DryRunSummary(
                        statements: executor.changedStatements, rows: executor.changedRows, sessionWrites: soup.writesSent)))
        case .statement:
            try soup.commit()
        case .none:
            guard soup.hasUncommittedWork else { return }
            try soup.rollback()
            delegate.report(.uncommittedWorkRolledBack)
        }
    }

    /// Rolls back the open transaction, if any; returns what to report of it.
    private func rollBackAfterFailure() -> RunEvent? {
        guard soup.connection.transactionStatus != .idle else { return nil }
        do {
            try soup.rollback()
            return .rolledBack
        } catch {
            return .rollbackFailed(error)
        }
    }
}

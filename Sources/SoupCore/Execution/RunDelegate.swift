import SoupDriver

/// What a run hands to the program that shows it: the command line prints it, a test records it.
///
/// The run decides what runs and in which transaction; the delegate only shows results and
/// says what happened, except for ``willRun(_:)``, which may refuse a statement (a
/// confirmation the user declined).
public protocol RunDelegate: AnyObject {
    /// Before `statement` runs; the default lets every statement run.
    func willRun(_ statement: ScriptStatement) -> StatementDecision
    /// A statement's result. A result set's cursor may be read only in part (a row limit):
    /// the run does not read it further.
    /// - Throws: ``OutputClosed`` when the reader of the output went away; any other error
    ///   fails the statement, as a database error met while reading the rows does.
    func show(_ result: Presentation, of statement: ScriptStatement) throws
    /// Makes everything shown so far visible: after each statement, and before a failure is
    /// reported, so that results and errors keep their order.
    func flush() throws
    /// Something that happened besides results: a notice, a timing, a failure, a rollback.
    func report(_ event: RunEvent)
}

extension RunDelegate {
    public func willRun(_ statement: ScriptStatement) -> StatementDecision { .run }
}

/// Whether a statement may run.
public enum StatementDecision: Sendable, Equatable {
    case run
    /// Do not run it: it fails with this message, as a failed statement does.
    case refuse(String)
}

/// The reader of the output went away (`| head`, a pager quit early): the run stops quietly and
/// commits nothing.
public struct OutputClosed: Error {
    public init() {}
}

/// What happened during a run, besides results.
public enum RunEvent {
    /// A notice or warning the server sent while a statement ran (`NOTICE:  …`).
    case notice(String)
    /// A statement succeeded after `elapsed` (for `--timing`).
    case finished(ScriptStatement, elapsed: Duration)
    /// A statement failed; with `--continue` the run goes on after undoing it.
    case failed(StatementFailure)
    /// The script has a syntax error, so nothing of it ran.
    case unreadable(ScriptSyntaxError)
    /// Something other than a statement failed (a flush between statements, say).
    case error(any Error)
    /// `file` mode cannot wrap this statement in a transaction, so every statement runs in
    /// autocommit instead.
    case autocommitInstead(because: ScriptStatement)
    /// After a failure, the open transaction was rolled back.
    case rolledBack
    /// After a failure, the rollback failed too.
    case rollbackFailed(any Error)
    /// `none` mode ended with work nobody committed, which was rolled back.
    case uncommittedWorkRolledBack
    /// A dry run ended: what would have been committed; everything was rolled back.
    case dryRunEnded(DryRunSummary)
    /// The connection was lost and the server rolled back the open transaction: `lost` is the
    /// uncommitted work that went with it (nil for a script run: all of the run's), and
    /// `duringCommit` says it went during COMMIT, so whether that was kept is unknown.
    case connectionLost(lost: UncommittedWork?, duringCommit: Bool)
    /// A REPL input failed and its savepoint could not be used either: the whole transaction
    /// was rolled back.
    case transactionAbandoned(any Error)
}

/// What a dry run would have committed.
public struct DryRunSummary: Sendable, Equatable {
    /// SQL statements that changed rows, and how many rows they changed.
    public var statements: Int
    public var rows: Int
    /// INSERTs, UPDATEs and DELETEs the session sent.
    public var sessionWrites: Int
}

/// How a run ended.
public enum RunOutcome: Sendable, Equatable {
    case succeeded
    /// A statement failed (with `--continue`: at least one did), or the script could not be read.
    case failed
    /// Ctrl-C cancelled it.
    case interrupted
    /// The reader of the output went away.
    case outputClosed
    /// A binding could not connect when a statement needed it (exit 2, as when soup cannot
    /// connect at the start), as opposed to a connection lost during a statement.
    case couldNotConnect
}

/// Ctrl-C as a run sees it: the command line watches for it; a run checks it between
/// statements and says what to cancel while one runs.
public protocol Interrupts: AnyObject, Sendable {
    /// Whether Ctrl-C was pressed since the last ``reset()``.
    var wasInterrupted: Bool { get }
    func reset()
    /// Runs `body` with `canceller` as what Ctrl-C cancels.
    func whileRunning<R>(_ canceller: any Canceller, _ body: () throws -> R) rethrows -> R
}

/// No Ctrl-C: for runs that no terminal drives.
public final class NoInterrupts: Interrupts {
    public init() {}
    public var wasInterrupted: Bool { false }
    public func reset() {}
    public func whileRunning<R>(_ canceller: any Canceller, _ body: () throws -> R) rethrows -> R { try body() }
}

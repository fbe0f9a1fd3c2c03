/// How the statements of a command are grouped into transactions.
public enum TransactionMode: String, CaseIterable, Sendable {
    /// Everything in one transaction: committed when all succeed, rolled back at the first
    /// error.
    case file
    /// Each successful statement is committed.
    case statement
    /// Exactly as written: nothing is committed unless a statement commits.
    case none
}

/// What a run of scripts does about transactions: the mode and the options that change it.
public struct TransactionPolicy: Equatable, Sendable {
    public var mode: TransactionMode
    /// `--continue`: a failed statement is reported and undone (back to a savepoint in `file`
    /// mode), and the run goes on; it still ends as failed.
    public var continueOnError: Bool
    /// `--dry-run`: everything runs in one transaction, which is rolled back at the end.
    public var dryRun: Bool
    /// The session is read-only: every transaction soup opens is read-only. (A script of reads
    /// runs in a read-only transaction anyway.)
    public var readOnly: Bool

    public init(mode: TransactionMode = .file, continueOnError: Bool = false, dryRun: Bool = false, readOnly: Bool = false) {
        self.mode = mode
        self.continueOnError = continueOnError
        self.dryRun = dryRun
        self.readOnly = readOnly
    }
}

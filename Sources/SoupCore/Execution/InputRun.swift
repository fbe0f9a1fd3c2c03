import SoupDriver
import SoupLanguage
import SoupSQL

/// Runs one input of the REPL in the session's open transaction, so that a failed input is
/// undone and the work before it survives.
///
/// The first input that may write opens a transaction, which stays open until a `commit()`;
/// each input runs after a savepoint and is rolled back to it when it fails. Reads with no
/// transaction open run outside one, so a read never leaves uncommitted work behind, and
/// statements that manage transactions themselves (BEGIN, COMMIT, ...) run as written. With
/// ``autocommit``, each input commits when it succeeds. When the connection is lost, the
/// session forgets the work the server rolled back and says what it was.
public struct InputRun {
    public let soup: Soup
    public let delegate: any RunDelegate
    public let interrupts: any Interrupts
    /// Transactions soup opens are read-only (`--read-only`).
    public var readOnly = false
    /// Commit after each input that succeeds (`--tx statement`, `\autocommit on`).
    public var autocommit = false
    /// Results show at most this many rows (`\limit`; nil or 0: all).
    public var rowLimit: Int?

    public init(soup: Soup, delegate: any RunDelegate, interrupts: any Interrupts = NoInterrupts()) {
        self.soup = soup
        self.delegate = delegate
        self.interrupts = interrupts
    }

    /// Parses and runs one complete input (its SQL ends at `;`).
    public func run(_ input: Script) -> RunOutcome {
        let statements: [Statement]
        do {
            statements = try Parser.parse(input.text, sqlTermination: .semicolon)
        } catch {
            var unreadable = ScriptSyntaxError(error, in: input)
            unreadable.isNamed = false
            delegate.report(.unreadable(unreadable))
            return .failed
        }
        return run(statements.map { ScriptStatement(script: input, statement: $0) })
    }

    /// Runs parsed statements as one input.
    public func run(_ statements: [ScriptStatement]) -> RunOutcome {
        run(effects: statements.map { StatementClassifier.effect(of: $0.statement) }) { executor in
            for statement in statements {
                try executor.run(statement)
            }
        }
    }

    /// `\explain [analyze] STATEMENT`: shows the plan of one soup statement or SQL statement
    /// (its `;` may be left out), in the input's transaction as any input runs.
    public func explain(_ input: Script, analyze: Bool) -> RunOutcome {
        let statement: Statement
        do {
            let parsed = try Parser.parse(input.text)
            guard parsed.count == 1 else { throw EvaluationError("\\explain takes one statement") }
            statement = parsed[0]
        } catch {
            delegate.report(.error(error))
            return .failed
        }
        let item = ScriptStatement(script: input, statement: statement)
        // A read as far as the input's transaction goes: an analyzed write opens, and rolls
        // back, a savepoint (and a transaction when none is open) of its own.
        return run(effects: [.read]) { executor in
            try executor.run(item) { item in
                try delegate.show(.plan(try soup.explain(item.statement, analyze: analyze)), of: item)
            }
        }
    }

    /// Runs `body` as one input whose statements have `effects`, in the input's transaction:
    /// the envelope that statements, and work such as an import, run in.
    func run(effects: [StatementEffect], _ body: (StatementExecutor) throws -> Void) -> RunOutcome {
        let connection = soup.connection
        let fresh = !soup.hasUncommittedWork
        let before = soup.uncommittedWork
        let asWritten = autocommit || effects.contains(.cannotRunInTransaction) || (fresh && !effects.contains(.write))
        let executor = StatementExecutor(soup: soup, delegate: delegate, interrupts: interrupts)
        executor.rowLimit = rowLimit
        var marker: Session.Marker?
        do {
            if !asWritten {
                if connection.transactionStatus == .idle { try sendingOwn { try soup.begin(readOnly: readOnly) } }
                marker = try soup.savepoint()
            }
            try body(executor)
            if autocommit {
                try soup.commit()
            } else if marker != nil, connection.transactionStatus == .inTransaction {
                try soup.releaseSavepoint()
            }
            try delegate.flush()
            return .succeeded
        } catch is OutputClosed {
            return .outputClosed
        } catch {
            try? delegate.flush()
            var interrupted = interrupts.wasInterrupted
            let failure = error as? StatementFailure
            interrupted = interrupted || failure?.isCancel == true
            if let lost = StatementFailure.lostConnection(in: error) {
                delegate.report(failure.map(RunEvent.failed) ?? .error(error))
                interrupts.reset()
                soup.forgetLostTransaction()
                let duringCommit = lost.sql.map { SQLClassifier.classify($0).commits } ?? false
                delegate.report(.connectionLost(lost: before, duringCommit: duringCommit))
                return .failed
            }
            // A transaction this input opened with nothing before it is ended, not kept empty.
            // Undone before the failure is reported, so that a hint may read the catalog.
            let abandoned = recover(to: fresh ? nil : marker)
            delegate.report(failure.map { .failed(soup.withNameHint($0)) } ?? .error(error))
            abandoned.map(delegate.report)
            interrupts.reset()
            return interrupted ? .interrupted : .failed
        }
    }

    /// Returns the session to where the failed input started; returns what to report when
    /// that failed and the whole transaction was rolled back instead.
    private func recover(to marker: Session.Marker?) -> RunEvent? {
        guard soup.connection.transactionStatus != .idle else { return nil }
        do {
            if let marker {
                try soup.rollback(to: marker)
                try soup.releaseSavepoint()
            } else {
                try soup.rollback()
            }
            return nil
        } catch {
            try? soup.rollback()
            return .transactionAbandoned(error)
        }
    }
}

import SoupCore
import SoupDriver
import Testing

/// The exact transaction steps and statements each run sends, on success and when the call at
/// each position fails, against a ``RecordingConnection``.
@Suite("Transaction sequences")
struct TransactionSequenceTests {
    static let i1 = "INSERT INTO t VALUES (1)"
    static let i2 = "INSERT INTO t VALUES (2)"
    static let i3 = "INSERT INTO t VALUES (3)"
    static let twoInserts = "\(i1);\n\(i2);\n"

    /// What one run did.
    struct Run {
        var calls: [String]
        var outcome: RunOutcome
        var lines: [String]
    }

    static func run(
        _ text: String, _ policy: TransactionPolicy = TransactionPolicy(), failingAt call: Int? = nil,
        kind: DatabaseError.Kind = .statement, delegate: RecordingDelegate = RecordingDelegate()
    ) -> Run {
        let connection = RecordingConnection(failingAt: call, kind: kind)
        let run = ScriptRun(soup: Soup(connection: connection), policy: policy, delegate: delegate)
        let outcome = run.run([Script(name: "script", text: text)])
        return Run(calls: connection.calls, outcome: outcome, lines: delegate.lines)
    }

    /// Checks the run of `text` succeeds with `success`, and that failing at call N gives
    /// `failures[N - 1]`.
    static func check(
        _ text: String, _ policy: TransactionPolicy = TransactionPolicy(), success: [String],
        failures: [[String]], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let succeeded = run(text, policy)
        #expect(succeeded.calls == success, sourceLocation: sourceLocation)
        #expect(succeeded.outcome == .succeeded, "\(succeeded.lines)", sourceLocation: sourceLocation)
        #expect(failures.count == success.count, "one failure case per call", sourceLocation: sourceLocation)
        for (index, expected) in failures.enumerated() {
            let failed = run(text, policy, failingAt: index + 1)
            #expect(failed.calls == expected, "failing at call \(index + 1)", sourceLocation: sourceLocation)
            #expect(failed.outcome == .failed, "failing at call \(index + 1)", sourceLocation: sourceLocation)
        }
    }

    // MARK: soup run and soup query

    @Test("file: one transaction, committed at the end, rolled back at the first failure")
    func fileMode() {
        Self.check(
            Self.twoInserts, success: ["begin", Self.i1, Self.i2, "commit"],
            failures: [
                ["begin ✗"],
                ["begin", Self.i1 + " ✗", "rollback"],
                ["begin", Self.i1, Self.i2 + " ✗", "rollback"],
                ["begin", Self.i1, Self.i2, "commit ✗", "rollback"],
            ])
        #expect(Self.run(Self.twoInserts, failingAt: 3).lines == ["failed script:2:1", "rolled back"])
        #expect(Self.run(Self.twoInserts, failingAt: 4).lines == ["failed soup:1:1", "rolled back"])
    }

    @Test("file: a script of reads runs in a read-only transaction; --read-only makes every one read-only")
    func readOnlyScripts() {
        let reads = Self.run("SELECT 1;\nx = 1\nSELECT 2;\n")
        #expect(reads.calls == ["begin read-only", "SELECT 1", "SELECT 2", "commit"])
        #expect(reads.lines == ["rows of script:1:1: [1]", "rows of script:3:1: [1]"])
        let writes = Self.run(Self.twoInserts, TransactionPolicy(readOnly: true))
        #expect(writes.calls == ["begin read-only", Self.i1, Self.i2, "commit"])
    }

    @Test("file: a statement that manages transactions makes the whole run autocommit")
    func fileModeGivesWay() {
        let run = Self.run("\(Self.i1);\nVACUUM;\n")
        #expect(run.calls == [Self.i1, "VACUUM"])
        #expect(run.lines == ["autocommit because of script:2:1"])
        #expect(run.outcome == .succeeded)
    }

    @Test("file: a session commit ends the transaction and opens the next one at once")
    func sessionCommitInFileMode() {
        #expect(Self.run("\(Self.i1);\ncommit\n\(Self.i2);\n").calls == ["begin", Self.i1, "commit", "begin", Self.i2, "commit"])
    }

    @Test("statement: each statement is committed when it leaves a transaction open; a failure stops the run")
    func statementMode() {
        let policy = TransactionPolicy(mode: .statement)
        Self.check(
            Self.twoInserts, policy, success: [Self.i1, Self.i2],
            failures: [[Self.i1 + " ✗"], [Self.i1, Self.i2 + " ✗"]])
        #expect(Self.run("BEGIN;\n\(Self.i1);\n", policy).calls == ["BEGIN", "commit", Self.i1])
    }

    @Test("none: as written; work left uncommitted is rolled back with a warning")
    func noneMode() {
        let policy = TransactionPolicy(mode: .none)
        let text = "BEGIN;\n\(Self.i1);\n"
        Self.check(
            text, policy, success: ["BEGIN", Self.i1, "rollback"],
            failures: [["BEGIN ✗"], ["BEGIN", Self.i1 + " ✗", "rollback"], ["BEGIN", Self.i1, "rollback ✗", "rollback"]])
        #expect(Self.run(text, policy).lines == ["uncommitted work rolled back"])
        #expect(Self.run(Self.twoInserts, policy).calls == [Self.i1, Self.i2])
    }

    @Test("--continue in file mode: a savepoint around each statement; a failed one is undone and the run goes on")
    func continueInFileMode() {
        let policy = TransactionPolicy(continueOnError: true)
        let text = "\(Self.i1);\n\(Self.i2);\n\(Self.i3);\n"
        let all = [
            "begin", "savepoint", Self.i1, "release", "savepoint", Self.i2, "release", "savepoint", Self.i3, "release",
            "commit",
        ]
        #expect(Self.run(text, policy).calls == all)
        // A failed statement is undone to its savepoint and the run goes on (calls 3, 6, 9); a
        // failed savepoint, release or commit stops it.
        for call in 1...all.count {
            let failed = Self.run(text, policy, failingAt: call)
            var expected = Array(all.prefix(call))
            expected[call - 1] += " ✗"
            if [3, 6, 9].contains(call) {
                expected += ["rollback to savepoint"] + all.dropFirst(call + 1)
            } else if call > 1 {
                expected += ["rollback"]
            }
            #expect(failed.calls == expected, "failing at call \(call)")
            #expect(failed.outcome == .failed)
        }
        #expect(Self.run(text, policy, failingAt: 6).lines == ["failed script:2:1"])
    }

    @Test("--continue stops at a lost connection, and in statement mode undoes a failure by a rollback")
    func continueStops() {
        let lost = Self.run("\(Self.i1);\n\(Self.i2);\n", TransactionPolicy(continueOnError: true), failingAt: 6, kind: .connectionLost)
        #expect(lost.calls == ["begin", "savepoint", Self.i1, "release", "savepoint", Self.i2 + " ✗", "rollback"])
        #expect(lost.lines == ["failed script:2:1", "connection lost: the run", "rolled back"])
        let statement = Self.run("BEGIN;\n\(Self.i1);\n\(Self.i2);\n", TransactionPolicy(mode: .statement, continueOnError: true), failingAt: 3)
        #expect(statement.calls == ["BEGIN", "commit", Self.i1 + " ✗", Self.i2])
        #expect(statement.outcome == .failed)
    }

    @Test("--dry-run: file mode, rolled back at the end, with what would have been committed")
    func dryRun() {
        let policy = TransactionPolicy(mode: .statement, dryRun: true)
        Self.check(
            Self.twoInserts, policy, success: ["begin", Self.i1, Self.i2, "rollback"],
            failures: [
                ["begin ✗"], ["begin", Self.i1 + " ✗", "rollback"], ["begin", Self.i1, Self.i2 + " ✗", "rollback"],
                ["begin", Self.i1, Self.i2, "rollback ✗", "rollback"],
            ])
        #expect(Self.run(Self.twoInserts, policy).lines == ["dry run: 2 statements, 2 rows, 0 session writes"])
        #expect(Self.run("\(Self.i1);\ndb.commit()\n", policy).calls == ["begin", Self.i1, "rollback"])
        // A statement file mode cannot wrap would commit: nothing runs.
        let refused = Self.run("\(Self.i1);\nVACUUM;\n", policy)
        #expect(refused.calls == [])
        #expect(refused.lines == ["failed script:2:1"])
        #expect(refused.outcome == .failed)
    }

    @Test("a syntax error anywhere runs nothing")
    func syntaxError() {
        let run = Self.run("\(Self.i1);\nx = (\n")
        #expect(run.calls == [])
        #expect(run.lines == ["unreadable 2:6"])
        #expect(run.outcome == .failed)
    }

    @Test("the delegate may refuse a statement before it runs; a closed output stops the run quietly")
    func delegateHooks() {
        let refusing = RecordingDelegate()
        refusing.refusing = "DELETE"
        let refused = Self.run("\(Self.i1);\nDELETE FROM t;\n", delegate: refusing)
        #expect(refused.calls == ["begin", Self.i1, "rollback"])
        #expect(refused.lines == ["failed script:2:1", "rolled back"])
        let closing = RecordingDelegate()
        closing.outputClosed = true
        let closed = Self.run("SELECT 1;\n\(Self.i1);\n", delegate: closing)
        #expect(closed.calls == ["begin", "SELECT 1", "rollback"])
        #expect(closed.outcome == .outputClosed)
    }

    @Test("a long script is read in pieces, and runs in one transaction with the same calls")
    func longScript() {
        let statements = (1...5_000).map { "INSERT INTO t VALUES (\($0))" }
        let run = Self.run(statements.map { $0 + ";" }.joined(separator: "\n"))
        #expect(run.calls.count == 5_002)
        #expect(run.calls == ["begin"] + statements + ["commit"])
        let failed = Self.run(statements.map { $0 + ";" }.joined(separator: "\n"), failingAt: 4_500)
        #expect(failed.lines == ["failed script:4499:1", "rolled back"])
    }

    // MARK: The REPL

    /// Runs REPL inputs one after another on one connection.
    static func inputs(
        _ texts: [String], failingAt call: Int? = nil, kind: DatabaseError.Kind = .statement, autocommit: Bool = false,
        readOnly: Bool = false
    ) -> (calls: [String], outcomes: [RunOutcome], lines: [String]) {
        let connection = RecordingConnection(failingAt: call, kind: kind)
        let delegate = RecordingDelegate()
        var input = InputRun(soup: Soup(connection: connection), delegate: delegate)
        input.autocommit = autocommit
        input.readOnly = readOnly
        let outcomes = texts.map { input.run(Script(name: "input", text: $0)) }
        return (connection.calls, outcomes, delegate.lines)
    }

    @Test("REPL: a read with nothing open runs outside a transaction")
    func replRead() {
        let run = Self.inputs(["SELECT 1;"])
        #expect(run.calls == ["SELECT 1"])
        #expect(run.outcomes == [.succeeded])
    }

    @Test("REPL: the first write opens the transaction; each input runs after a savepoint")
    func replFirstWrite() {
        let first = "\(Self.i1);"
        #expect(Self.inputs([first]).calls == ["begin", "savepoint", Self.i1, "release"])
        #expect(Self.inputs([first], readOnly: true).calls == ["begin read-only", "savepoint", Self.i1, "release"])
        // Failing with nothing before it, the input ends the transaction it opened.
        let failures = [
            ["begin ✗"], ["begin", "savepoint ✗", "rollback"], ["begin", "savepoint", Self.i1 + " ✗", "rollback"],
            ["begin", "savepoint", Self.i1, "release ✗", "rollback"],
        ]
        for (index, expected) in failures.enumerated() {
            let run = Self.inputs([first], failingAt: index + 1)
            #expect(run.calls == expected, "failing at call \(index + 1)")
            #expect(run.outcomes == [.failed])
        }
    }

    @Test("REPL: a failed input in an open transaction is undone to its savepoint; the work before survives")
    func replLaterInput() {
        let inputs = ["\(Self.i1);", "\(Self.i2);"]
        let opening = ["begin", "savepoint", Self.i1, "release"]
        #expect(Self.inputs(inputs).calls == opening + ["savepoint", Self.i2, "release"])
        let failures = [
            ["savepoint ✗", "rollback"],
            ["savepoint", Self.i2 + " ✗", "rollback to savepoint", "release"],
            ["savepoint", Self.i2, "release ✗", "rollback to savepoint", "release"],
        ]
        for (index, expected) in failures.enumerated() {
            let run = Self.inputs(inputs, failingAt: opening.count + index + 1)
            #expect(run.calls == opening + expected, "failing at call \(opening.count + index + 1)")
            #expect(run.outcomes == [.succeeded, .failed])
        }
        #expect(Self.inputs(inputs, failingAt: 6).lines == ["failed input:1:1"])
    }

    @Test("REPL: work that is not a statement (\\import) runs in the input's transaction and savepoint, and is undone alone")
    func replWork() throws {
        struct Refused: Error {}
        func work(writes: Bool = true, failing: Bool = false, autocommit: Bool = false, after inputs: [String] = [])
            -> (calls: [String], outcome: RunOutcome)
        {
            let connection = RecordingConnection(failingAt: nil, kind: .statement)
            var input = InputRun(soup: Soup(connection: connection), delegate: RecordingDelegate())
            input.autocommit = autocommit
            for text in inputs { _ = input.run(Script(name: "input", text: text)) }
            let outcome = input.run(work: writes) {
                try connection.execute(Self.i3)
                if failing { throw Refused() }
            }
            return (connection.calls, outcome)
        }
        #expect(work().calls == ["begin", "savepoint", Self.i3, "release"])
        #expect(work(failing: true) == (["begin", "savepoint", Self.i3, "rollback"], .failed))
        let opening = ["begin", "savepoint", Self.i1, "release"]
        #expect(work(failing: true, after: ["\(Self.i1);"]).calls == opening + ["savepoint", Self.i3, "rollback to savepoint", "release"])
        #expect(work(autocommit: true).calls == [Self.i3])
        // A dry run only reads: nothing is opened for it.
        #expect(work(writes: false).calls == [Self.i3])
    }

    @Test("REPL: \\g and \\clip run an earlier input again only when it only reads")
    func rerunnable() {
        #expect(InputRun.isRerunnable("SELECT 1;"))
        #expect(InputRun.isRerunnable("users.filter_by(admin=1).all()"))
        #expect(!InputRun.isRerunnable("\(Self.i1);"))
        #expect(!InputRun.isRerunnable("users.insert(name='Cy')"))
        #expect(!InputRun.isRerunnable("users.filter_by(admin=1"))  // unreadable
    }

    @Test("REPL: with autocommit each input runs as written and is committed")
    func replAutocommit() {
        #expect(Self.inputs(["\(Self.i1);"], autocommit: true).calls == [Self.i1])
        #expect(Self.inputs(["BEGIN; \(Self.i1);"], autocommit: true).calls == ["BEGIN", Self.i1, "commit"])
        #expect(Self.inputs(["BEGIN; \(Self.i1);"], failingAt: 2, autocommit: true).calls == ["BEGIN", Self.i1 + " ✗", "rollback"])
    }

    @Test("REPL: a lost connection forgets the lost work and says what it was, and whether it went during COMMIT")
    func replLostConnection() {
        let lost = Self.inputs(["\(Self.i1);", "\(Self.i2);"], failingAt: 6, kind: .connectionLost)
        #expect(lost.calls == ["begin", "savepoint", Self.i1, "release", "savepoint", Self.i2 + " ✗"])
        #expect(
            lost.lines == [
                "failed input:1:1", "connection lost: the open transaction (everything since the last commit)",
            ])
        let inCommit = Self.inputs(["BEGIN; \(Self.i1);"], failingAt: 3, kind: .connectionLost, autocommit: true)
        #expect(inCommit.calls == ["BEGIN", Self.i1, "commit ✗"])
        #expect(inCommit.lines.last == "connection lost: nothing, during commit")
    }
}

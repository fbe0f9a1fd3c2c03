import SoupCore
import SoupDriver
import SoupRouting

/// One import as `soup import` and the REPL's `\import` and `\copy … FROM` run it: the input,
/// what to do with it, and the transaction it runs in.
///
/// Run alone, it is one transaction of its own, all rows or none (with `--continue`, all but
/// the bad ones). Run as an input of a session, it joins the session's transaction.
public struct ImportJob {
    /// The file, opened by the caller (``ImportInput/open(_:encoding:)``), before it connects.
    public let input: ImportInput
    public var options: ImportOptions
    /// Called as the import reads (the progress bar).
    public var onProgress: ((ImportProgress) -> Void)?

    public init(input: ImportInput, options: ImportOptions) {
        self.input = input
        self.options = options
    }

    /// Runs the import in a transaction of its own on the binding that takes bulk writes
    /// (`soup import`), or only reads and checks with `--dry-run`; logged once in the audit log.
    public func run(on router: RoutingConnection, interrupts: any Interrupts) throws -> ImportReport {
        guard !options.dryRun else {
            return try interrupts.whileRunning(router.makeCanceller()) { try importer(on: router).run() }
        }
        let write = BulkWrite(router: router, description: "import \(input.name) into \(options.table)")
        return try write.run(logged: { ($0.rowsImported, $0.skippedCount > 0 ? "ok, \($0.skippedCount) rows skipped" : "ok") }) {
            connection in
            try interrupts.whileRunning(connection.makeCanceller()) { try importer(on: connection).run() }
        }
    }

    /// Runs the import as one input of `session` (the REPL): in the session's transaction,
    /// after its pending changes, so the rows are pending until `commit()` (at once under
    /// autocommit), `db.pending()` lists the import, and `rollback()` undoes it. A failed
    /// import is reported as a failed input and leaves the transaction as it was.
    public func run(as session: InputRun, router: RoutingConnection) -> (outcome: RunOutcome, report: ImportReport?) {
        let soup = session.soup
        var report: ImportReport?
        let outcome = session.run(work: !options.dryRun) {
            try soup.flush()
            let result: ImportReport
            if options.dryRun {
                result = try session.interrupts.whileRunning(router.makeCanceller()) { try importer(on: router).run() }
            } else {
                let write = BulkWrite(router: router, description: "import \(input.name) into \(options.table)")
                let outcome = session.autocommit ? "ok" : "ok (in a transaction)"
                result = try write.run(logged: { ($0.rowsImported, outcome) }) { connection in
                    try session.interrupts.whileRunning(connection.makeCanceller()) { try importer(on: connection).run() }
                }
                soup.recordBulkWrite("import: \(ImportProgress.grouped(result.rowsImported)) rows into \(options.table)")
            }
            if result.createStatement != nil { soup.refreshSchema() }
            report = result
        }
        return (outcome, report)
    }

    private func importer(on connection: any Connection) -> Importer {
        let importer = Importer(connection: connection, input: input, options: options)
        importer.onProgress = onProgress
        return importer
    }
}

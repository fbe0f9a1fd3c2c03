import SoupCore
import SoupDriver

/// An import that joins a soup session's transaction (the REPL's `\import` and `\copy`): the
/// rows are pending until the session commits, and a rollback undoes them.
///
/// The session's own pending changes are flushed first, so the import sees them (a parent row
/// its rows refer to). A transaction is opened on `importer`'s connection when none is open;
/// a failed import leaves it as it was (the importer rolls back to its savepoint), and one it
/// opened is ended. With `autocommit`, a successful import is committed at once.
public enum SessionImport {
    public static func run(_ importer: Importer, soup: Soup, autocommit: Bool) throws -> ImportReport {
        let connection = importer.connection
        let dryRun = importer.options.dryRun
        try soup.flush()
        let opened = !dryRun && connection.transactionStatus == .idle
        if opened { try connection.begin() }
        let report: ImportReport
        do {
            report = try importer.run()
        } catch {
            if opened, connection.transactionStatus != .idle { _ = try? connection.rollback() }
            throw error
        }
        if report.createStatement != nil { soup.refreshSchema() }
        guard !dryRun else { return report }
        soup.recordBulkWrite("import: \(ImportProgress.grouped(report.rowsImported)) rows into \(importer.options.table)")
        if autocommit { try soup.commit() }
        return report
    }
}

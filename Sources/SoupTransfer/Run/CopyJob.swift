import SoupCore
import SoupDriver
import SoupReflection
import SoupRouting

/// One `soup copy`: the tables of one database copied into another, in one transaction on the
/// destination's binding that takes bulk writes, logged once in its audit log.
public struct CopyJob {
    public var options: CopyOptions
    /// Called as rows are copied: the table and its rows so far (the progress bar).
    public var onProgress: ((TableName, Int) -> Void)?

    public init(options: CopyOptions) {
        self.options = options
    }

    /// Copies from `source` into `destination`; with `--dry-run`, only plans and prints.
    public func run(from source: any Connection, into destination: RoutingConnection, interrupts: any Interrupts) throws
        -> CopyReport
    {
        guard !options.dryRun else { return try copier(source, destination).run() }
        let tables = options.tables.map(\.description).joined(separator: ", ")
        let write = BulkWrite(router: destination, description: "copy \(tables) from \(source.displayName)")
        return try write.run(logged: { ($0.rowsCopied, "ok") }) { connection in
            try interrupts.whileRunning(connection.makeCanceller()) { try copier(source, connection).run() }
        }
    }

    private func copier(_ source: any Connection, _ destination: any Connection) -> TableCopier {
        let copier = TableCopier(source: source, destination: destination, options: options)
        copier.onProgress = onProgress
        return copier
    }
}

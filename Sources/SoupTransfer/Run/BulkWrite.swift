import SoupDriver
import SoupRouting

/// A write of many rows (an import, a copy between databases) through a profile's router: the
/// rows go straight to the connection of the binding that takes the write, neither routed nor
/// logged one by one, and the audit log records the whole write once, with its outcome.
public struct BulkWrite {
    public let router: RoutingConnection
    /// What the audit log calls the write: `import events.csv into events`.
    public let description: String

    public init(router: RoutingConnection, description: String) {
        self.router = router
        self.description = description
    }

    /// Runs `body` on the binding's connection (refused under read-only before anything is
    /// sent) and logs it: with the rows and outcome `logged` gives when it succeeds, with the
    /// error when it throws.
    public func run<Result>(
        logged: (Result) -> (rows: Int, outcome: String), _ body: (any Connection) throws -> Result
    ) throws -> Result {
        let started = ContinuousClock.now
        let (connection, binding) = try router.connectionForBulkWrite(description)
        do {
            let result = try body(connection)
            let (rows, outcome) = logged(result)
            router.recordBulkWrite(
                "\(description): \(rows) rows", binding: binding, duration: ContinuousClock.now - started, outcome: outcome)
            return result
        } catch {
            router.recordBulkWrite(description, binding: binding, duration: ContinuousClock.now - started, outcome: Self.outcome(of: error))
            throw error
        }
    }

    /// The audit log's outcome of a failed write: the error, with its SQLSTATE when it has one.
    static func outcome(of error: any Error) -> String {
        switch error {
        case let error as DatabaseError: "error" + (error.sqlState.map { " \($0)" } ?? "") + ": " + error.message
        case let error as ImportError: "error: " + error.message
        default: "error: \(error)"
        }
    }
}

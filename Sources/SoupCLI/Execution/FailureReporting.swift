import ArgumentParser
import SoupDriver
import SoupReflection

extension CommandSession {
    /// Runs `body` (a command that reads the catalog, not statements); a database or schema
    /// error is printed as `soup: error: …` and exits 1 (130 when Ctrl-C cancelled it).
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SchemaError {
            StandardError.line("soup: error: \(error)")
            throw ExitCode(ExitStatus.statementFailed)
        } catch let error as DatabaseError {
            StandardError.line("soup: error: " + error.report)
            let interrupted = error.kind == .cancelled || interrupts.wasInterrupted
            throw ExitCode(interrupted ? ExitStatus.interrupted : ExitStatus.statementFailed)
        }
    }
}

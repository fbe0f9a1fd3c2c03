import ArgumentParser
import SoupCore

/// Connects and runs `scripts` in the transactions the settings ask for (`soup query`,
/// `soup run`, `soup DB < file`); throws the exit code when it is not 0.
func runScripts(_ scripts: [Script], database: String?, settings: Settings, continueOnError: Bool = false) throws {
    let session = try CommandSession(settings: settings, database: database)
    defer { session.connection.close() }
    let (soup, printer) = session.makeSoup()
    var policy = session.policy
    policy.continueOnError = continueOnError
    let outcome = ScriptRun(soup: soup, policy: policy, delegate: printer, interrupts: session.interrupts).run(scripts)
    if outcome != .succeeded { throw ExitCode(outcome.exitStatus) }
}

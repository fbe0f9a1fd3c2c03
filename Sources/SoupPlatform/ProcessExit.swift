/// Ends the process at once with `status` (after `atexit` handlers and C stdio flushes).
///
/// A function of its own because inside ArgumentParser's command types, `exit` means
/// `ParsableCommand.exit(withError:)`, which renders usage text first.
public func exitProcess(status: Int32) -> Never {
    exit(status)
}

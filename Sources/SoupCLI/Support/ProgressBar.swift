import SoupTransfer

/// A one-line progress bar on standard error for imports and copies: bytes read of the total,
/// rows, rows per second and the time left, redrawn at most ten times a second.
///
/// Shown only when standard error is a terminal and the input is larger than 4 MiB (for a
/// pipe, once 4 MiB have been read); otherwise it prints nothing at all.
final class ProgressBar {
    private static let threshold = 4 << 20
    private let stderrIsTerminal: Bool
    private let started = ContinuousClock.now
    private var passStarted = ContinuousClock.now
    private var pass = 0
    private var lastDrawn: ContinuousClock.Instant?
    private var drawn = false

    init(environment: Environment) {
        stderrIsTerminal = environment.stderrIsTerminal
    }

    func show(_ progress: ImportProgress) {
        guard stderrIsTerminal, (progress.totalBytes ?? progress.bytesRead) >= Self.threshold else { return }
        let now = ContinuousClock.now
        if progress.pass != pass {
            pass = progress.pass
            passStarted = now
        }
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        let line = progress.line(seconds: Self.seconds(now - passStarted))
        StandardError.write("\r" + line + "\u{1B}[K")
        drawn = true
    }

    /// A copy's progress: the table and its rows so far, once it has run for a second (rows
    /// of a query have no total to show a fraction of).
    func show(table: String, rows: Int) {
        guard stderrIsTerminal else { return }
        let now = ContinuousClock.now
        guard now - started >= .seconds(1) else { return }
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        let seconds = max(Self.seconds(now - started), 0.001)
        StandardError.write("\rcopying \(table): \(ImportProgress.grouped(rows)) rows  \(ImportProgress.grouped(Int(Double(rows) / seconds))) rows/s\u{1B}[K")
        drawn = true
    }

    /// Erases the bar.
    func clear() {
        guard drawn else { return }
        StandardError.write("\r\u{1B}[K")
        drawn = false
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

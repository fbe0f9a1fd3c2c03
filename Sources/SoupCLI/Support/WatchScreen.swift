import SoupCore
import SoupPlatform

/// What `\watch` and `soup query --watch` print before each run: on a terminal the screen is
/// cleared first, so each run redraws in place; the header says what runs, every how long,
/// when this run started and which run it is.
enum WatchScreen {
    /// The header, its input cut to fit `width` columns when that is known.
    static func header(for input: String, watch: Watch, run number: Int, clearing: Bool, width: Int?) -> String {
        let firstLine = input.split(separator: "\n").first.map(String.init) ?? ""
        let (seconds, attoseconds) = watch.interval.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let every = milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(Double(milliseconds) / 1000)s"
        let runs = watch.count.map { "run \(number) of \($0)" } ?? "run \(number), Ctrl-C stops"
        let lead = "Every \(every): "
        let tail = "    \(now())  (\(runs))"
        let room = max(10, (width ?? 120) - lead.count - tail.count)
        let shown = firstLine.count > room ? String(firstLine.prefix(room - 1)) + "…" : firstLine
        return (clearing ? "\u{1B}[H\u{1B}[2J" : "") + lead + shown + tail + "\n\n"
    }

    /// The local time now, `2026-12-06 17:48:18`.
    private static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension InterruptMonitor {
    /// Waits `duration`, or until Ctrl-C; false (with the interrupt cleared) when Ctrl-C came.
    func pause(_ duration: Duration) -> Bool {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            if wasInterrupted {
                reset()
                return false
            }
            usleep(20_000)
        }
        return true
    }
}

import SoupDriver
import SoupPlatform
import Synchronization

/// Turns Ctrl-C (SIGINT) into a cancel of the running statement, makes SIGPIPE an error, and
/// reports terminal resizes (SIGWINCH).
///
/// SIGINT and SIGWINCH are blocked in every thread and received by one watcher thread with
/// `sigwait`, so nothing runs in a signal handler: the watcher records the interrupt and calls
/// the current statement's ``Canceller`` (`sqlite3_interrupt`, libpq's cancel request), or calls
/// the resize handler (the REPL's line editor).
final class InterruptMonitor: Sendable {
    private struct State {
        var canceller: (any Canceller)?
        var interrupted = false
        var resized: (@Sendable () -> Void)?
        var noticed: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Starts watching for SIGINT; call once, before other threads start.
    static func install() -> InterruptMonitor {
        // A closed pipe must surface as EPIPE from write(2), not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let monitor = InterruptMonitor()
        var signals = Self.watchedSignals
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(monitor).toOpaque()
        pthread_create(&thread, nil, { context in
            let monitor = Unmanaged<InterruptMonitor>.fromOpaque(context!).takeUnretainedValue()
            monitor.watch()
            return nil
        }, context)
        pthread_detach(thread)
        return monitor
    }

    private static var watchedSignals: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGWINCH)
        return signals
    }

    private func watch() {
        var signals = Self.watchedSignals
        while true {
            var received: Int32 = 0
            guard sigwait(&signals, &received) == 0 else { continue }
            if received == SIGWINCH {
                state.withLock { $0.resized }?()
                continue
            }
            // Cancelled under the lock, so that a statement's end (which clears what its
            // canceller remembers) cannot come between taking the canceller and cancelling.
            let noticed = state.withLock { state in
                state.interrupted = true
                state.canceller?.cancel()
                return state.noticed
            }
            noticed?()
        }
    }

    /// Whether Ctrl-C was pressed since the last ``reset()``.
    var wasInterrupted: Bool { state.withLock { $0.interrupted } }

    func reset() {
        state.withLock { $0.interrupted = false }
    }

    /// Calls `handler` (on the watcher thread) each time the terminal is resized.
    func onResize(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.resized = handler }
    }

    /// Calls `handler` (on the watcher thread) after each Ctrl-C has been recorded and the
    /// running statement cancelled (`-v` says so).
    func onInterrupt(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.noticed = handler }
    }

    /// Runs `body` with `canceller` as the target of Ctrl-C. A Ctrl-C pressed before and not
    /// yet ``reset()`` cancels at once; a cancel that no statement met ends with `body`.
    func whileRunning<R>(_ canceller: any Canceller, _ body: () throws -> R) rethrows -> R {
        state.withLock { state in
            canceller.clear()
            state.canceller = canceller
            if state.interrupted { canceller.cancel() }
        }
        defer {
            state.withLock { state in
                state.canceller = nil
                canceller.clear()
            }
        }
        return try body()
    }
}

import SoupPlatform
import Synchronization

/// Shows how long a statement has been running, on standard error, once it passes a second
/// (terminals only); erased with `\r` and clear-to-end-of-line when the statement finishes.
///
/// Only for a terminal: ``start(on:)`` returns nil when standard error is not one, so nothing
/// of it reaches a file or pipe.
final class ElapsedIndicator {
    private let ticker: Ticker
    private let thread: pthread_t
    private var stopped = false

    private init(ticker: Ticker, thread: pthread_t) {
        self.ticker = ticker
        self.thread = thread
    }

    /// Starts the indicator thread when `terminal` (standard error is a terminal).
    static func start(on terminal: Bool) -> ElapsedIndicator? {
        guard terminal else { return nil }
        let ticker = Ticker()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<Ticker>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, Unmanaged.passRetained(ticker).toOpaque())
        return created == 0 ? ElapsedIndicator(ticker: ticker, thread: thread) : nil
    }

    /// Stops the thread and erases the indicator if it showed; later calls do nothing.
    func stop() {
        guard !stopped else { return }
        stopped = true
        let shown = ticker.state.withLock { state -> Bool in
            state.running = false
            return state.shown
        }
        pthread_join(thread, nil)
        if shown { Terminal.write("\r\u{1B}[K", to: 2) }
    }
}

/// The indicator thread's loop and the state it shares with the main thread.
private final class Ticker: Sendable {
    struct State {
        var running = true
        var shown = false
    }

    let state = Mutex(State())

    func run() {
        let started = ContinuousClock.now
        var shownTenths = 0
        while true {
            usleep(50_000)
            let elapsed = ContinuousClock.now - started
            let running = state.withLock { state -> Bool in
                guard state.running else { return false }
                let tenths = Int(elapsed / .milliseconds(100))
                if tenths >= 10, tenths != shownTenths {
                    // The cursor goes back to the line's start, so a message printed meanwhile
                    // writes over the indicator.
                    Terminal.write("\r\u{1B}[Krunning… \(tenths / 10).\(tenths % 10) s\r", to: 2)
                    shownTenths = tenths
                    state.shown = true
                }
                return true
            }
            if !running { return }
        }
    }
}

import Foundation
import Synchronization

/// Aborts the test process, naming the input, when one input takes longer than a limit: a hang
/// fails loudly instead of stalling the run.
public final class Watchdog: Sendable {
    private struct State {
        var input = ""
        var started: ContinuousClock.Instant?
        var stopped = false
    }

    private let state = Mutex(State())

    public init(limit: Duration) {
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.25)
                let (input, started, stopped) = state.withLock { ($0.input, $0.started, $0.stopped) }
                if stopped { return }
                if let started, ContinuousClock.now - started > limit {
                    fatalError("no result after \(limit) for input \(input.debugDescription)")
                }
            }
        }
    }

    public func begin(_ input: String) {
        state.withLock {
            $0.input = input
            $0.started = .now
        }
    }

    public func end() {
        state.withLock { $0.started = nil }
    }

    public func stop() {
        state.withLock { $0.stopped = true }
    }
}

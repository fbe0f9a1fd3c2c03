import SoupDriver
import SoupPlatform
import Synchronization

/// Turns Ctrl-C (SIGINT) into a cancel of the running statement, makes SIGPIPE an error, and
/// reports terminal resizes (SIGWINCH).
///
/// A run whose cancels are all one lock-free store (SQLite: ``SignalSafeCancel``) takes Ctrl-C in
/// a signal handler that records it and makes that store; nothing else runs in the handler. A
/// second thread, and its start and end, were a tenth of `soup query DB 'SELECT 1'` on a loaded
/// machine. Everything else (the REPL's prompt and resizes, PostgreSQL's cancel request, which
/// opens a connection) starts a watcher thread first: SIGINT and SIGWINCH are then blocked in
/// every thread and received there with `sigwait`, which records the interrupt and calls the
/// current statement's ``Canceller``, or calls the resize handler (the REPL's line editor).
/// Other threads (`BackgroundWork`) never take either signal.
final class InterruptMonitor: Sendable {
    private struct State {
        var canceller: (any Canceller)?
        var interrupted = false
        var resized: (@Sendable () -> Void)?
        var watching = false
    }

    private let state = Mutex(State())

    /// Makes SIGPIPE an error and takes Ctrl-C in the signal handler; call once, first thing.
    static func install() -> InterruptMonitor {
        // A closed pipe must surface as EPIPE from write(2), not kill the process.
        signal(SIGPIPE, SIG_IGN)
        SignalRecord.prepare()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SignalRecord.handle
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        return InterruptMonitor()
    }

    private static var watchedSignals: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGWINCH)
        return signals
    }

    /// Starts the watcher thread, once; called on the main thread.
    func startWatching() {
        let started = state.withLock { state in
            defer { state.watching = true }
            return state.watching
        }
        guard !started else { return }
        var signals = Self.watchedSignals
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { context in
            let monitor = Unmanaged<InterruptMonitor>.fromOpaque(context!).takeUnretainedValue()
            monitor.watch()
            return nil
        }, context)
        pthread_detach(thread)
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
            state.withLock { state in
                state.interrupted = true
                state.canceller?.cancel()
            }
            SignalRecord.announce()
        }
    }

    /// Whether Ctrl-C was pressed since the last ``reset()``.
    var wasInterrupted: Bool { state.withLock { $0.interrupted } || SignalRecord.wasSignalled }

    func reset() {
        state.withLock { $0.interrupted = false }
        SignalRecord.forget()
    }

    /// Calls `handler` (on the watcher thread) each time the terminal is resized.
    func onResize(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.resized = handler }
        startWatching()
    }

    /// Writes `line` to standard error after each Ctrl-C has been recorded and the running
    /// statement cancelled (`-v` says so).
    func announce(_ line: StaticString) {
        SignalRecord.setAnnouncement(line)
    }

    /// Runs `body` with `canceller` as the target of Ctrl-C. A Ctrl-C pressed before and not
    /// yet ``reset()`` cancels at once; a cancel that no statement met ends with `body`.
    func whileRunning<R>(_ canceller: any Canceller, _ body: () throws -> R) rethrows -> R {
        let signalSafe = canceller.signalSafeCancel
        if signalSafe == nil { startWatching() }
        state.withLock { state in
            canceller.clear()
            state.canceller = canceller
            if state.interrupted { canceller.cancel() }
        }
        // Armed before looking at what the handler recorded: a Ctrl-C in between does both.
        if let signalSafe { SignalRecord.arm(signalSafe) }
        if SignalRecord.wasSignalled { canceller.cancel() }
        defer {
            SignalRecord.disarm()
            state.withLock { state in
                state.canceller = nil
                canceller.clear()
            }
        }
        return try body()
    }
}

/// What the SIGINT handler reads and writes: lock-free atomics only, each made before the
/// handler is installed (a global's first use takes a lock). Written by the main thread; the
/// handler runs on the main thread too, the only one that does not block SIGINT.
private enum SignalRecord {
    static let signalled = Atomic<Bool>(false)
    /// The armed ``SignalSafeCancel``'s function and context, as integers; 0 when none.
    static let function = Atomic<UInt>(0)
    static let context = Atomic<UInt>(0)
    /// The line written to standard error at each Ctrl-C (its bytes and count); 0 when none.
    static let announcement = Atomic<UInt>(0)
    static let announcementCount = Atomic<Int>(0)

    static func prepare() {
        _ = signalled.load(ordering: .relaxed)
        _ = function.load(ordering: .relaxed)
        _ = context.load(ordering: .relaxed)
        _ = announcement.load(ordering: .relaxed)
        _ = announcementCount.load(ordering: .relaxed)
    }

    static let handle: @convention(c) (Int32) -> Void = { _ in
        signalled.store(true, ordering: .sequentiallyConsistent)
        let armed = function.load(ordering: .sequentiallyConsistent)
        if armed != 0 {
            let cancel = unsafeBitCast(armed, to: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self)
            cancel(UnsafeMutableRawPointer(bitPattern: context.load(ordering: .sequentiallyConsistent)))
        }
        announce()
    }

    static var wasSignalled: Bool { signalled.load(ordering: .sequentiallyConsistent) }

    static func forget() {
        signalled.store(false, ordering: .sequentiallyConsistent)
    }

    static func arm(_ cancel: SignalSafeCancel) {
        context.store(UInt(bitPattern: cancel.context), ordering: .sequentiallyConsistent)
        function.store(unsafeBitCast(cancel.function, to: UInt.self), ordering: .sequentiallyConsistent)
    }

    static func disarm() {
        function.store(0, ordering: .sequentiallyConsistent)
        context.store(0, ordering: .sequentiallyConsistent)
    }

    static func setAnnouncement(_ line: StaticString) {
        announcementCount.store(line.utf8CodeUnitCount, ordering: .sequentiallyConsistent)
        announcement.store(UInt(bitPattern: line.utf8Start), ordering: .sequentiallyConsistent)
    }

    /// write(2) of the announcement, if any: safe in a signal handler.
    static func announce() {
        let bytes = announcement.load(ordering: .sequentiallyConsistent)
        guard let start = UnsafeRawPointer(bitPattern: bytes) else { return }
        _ = write(2, start, announcementCount.load(ordering: .sequentiallyConsistent))
    }
}

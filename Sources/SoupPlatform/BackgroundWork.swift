/// A closure run on a thread of its own and joined once: work that overlaps the caller's (a
/// read sent to one server while the rows of another's print).
///
/// Whatever the closure touches belongs to that thread until ``join()`` returns; the caller
/// must not use it meanwhile. Joining is what hands it back.
public final class BackgroundWork: @unchecked Sendable {
    private var thread = pthread_t()
    private var body: (() -> Void)?
    private var running = false

    /// Starts `body` on a new thread; when no thread can be made, runs it here, at once.
    ///
    /// The thread never takes Ctrl-C (SIGINT) or a resize (SIGWINCH): they go to the main
    /// thread's handler or to the thread that waits for them (soup's InterruptMonitor).
    public init(_ body: @escaping () -> Void) {
        self.body = body
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGWINCH)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &signals, &previous)
        let created = pthread_create(&thread, nil, { context in
            let work = Unmanaged<BackgroundWork>.fromOpaque(context!).takeRetainedValue()
            work.body?()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        if created == 0 {
            running = true
        } else {
            Unmanaged.passUnretained(self).release()
            body()
        }
    }

    /// Waits for the closure to end; later calls return at once.
    public func join() {
        guard running else { return }
        running = false
        pthread_join(thread, nil)
        body = nil
    }

    deinit {
        guard running else { return }
        // The thread itself may hold the last reference, as it ends: it cannot join itself.
        if pthread_equal(pthread_self(), thread) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }
}

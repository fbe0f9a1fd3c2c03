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
    public init(_ body: @escaping () -> Void) {
        self.body = body
        let created = pthread_create(&thread, nil, { context in
            let work = Unmanaged<BackgroundWork>.fromOpaque(context!).takeRetainedValue()
            work.body?()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
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

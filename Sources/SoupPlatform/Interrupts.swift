/// Calls `systemCall` again for as long as it fails with `EINTR`, and returns its result.
///
/// A signal that arrives while a system call blocks (SIGWINCH on a terminal, SIGCHLD, a
/// debugger) makes the call fail with `EINTR` although nothing went wrong; the call must simply
/// be made again. This is the one place soup does that, for every call that reports failure as
/// a negative result with the reason in `errno` (`read`, `write`, `open`, `poll`, `waitpid`…).
///
/// ```swift
/// let count = retryingInterrupted { read(descriptor, buffer, size) }
/// ```
@inlinable
public func retryingInterrupted<Result: SignedInteger>(_ systemCall: () -> Result) -> Result {
    while true {
        let result = systemCall()
        if result < 0, errno == EINTR { continue }
        return result
    }
}

import Foundation
import SoupPlatform
import Synchronization
import Testing

/// The platform layer's system calls survive signals: a read that a signal interrupts is made
/// again instead of failing with `EINTR`, and whole-buffer writes go through a full pipe.
@Suite struct InterruptedCallTests {
    @Test func aReadInterruptedBySignalsIsRetriedAndReturnsTheData() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let attempts = Atomic(0)
        let reader = InterruptibleThread {
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = buffer.withUnsafeMutableBytes { raw in
                retryingInterrupted {
                    attempts.add(1, ordering: .relaxed)
                    return read(pipe.read.rawValue, raw.baseAddress, raw.count)
                }
            }
            return (count, errno, count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : "")
        }
        // Interrupt the blocked read until an interrupted attempt has been made again, then
        // let it finish by writing.
        reader.interrupt(until: { attempts.load(ordering: .relaxed) >= 2 })
        try pipe.write.writeAll("soup")
        let (count, reason, text) = try reader.result()
        #expect(attempts.load(ordering: .relaxed) >= 2, "no read was interrupted, so nothing was retried")
        #expect(count == 4, "read gave \(count) (errno \(reason))")
        #expect(text == "soup")
    }

    @Test func theSameSignalsFailAnUnretriedReadWithEINTR() throws {
        // Without the retry, the read fails: the test above can fail.
        let pipe = try Pipe()
        defer { pipe.close() }
        let reader = InterruptibleThread {
            var byte: UInt8 = 0
            let count = read(pipe.read.rawValue, &byte, 1)
            return (count, errno, "")
        }
        reader.interrupt(until: { reader.isFinished })
        if !reader.isFinished { try pipe.write.writeAll("x") }
        let (count, reason, _) = try reader.result()
        #expect(count == -1)
        #expect(reason == EINTR)
    }

    @Test func writeAllWaitsOnAFullNonBlockingPipeAndReadToEndReadsEverything() throws {
        let pipe = try Pipe()
        defer { pipe.read.close() }
        let flags = fcntl(pipe.write.rawValue, F_GETFL)
        _ = fcntl(pipe.write.rawValue, F_SETFL, flags | O_NONBLOCK)
        // Far more than a pipe holds (64 KiB on Linux), so writes are partial and meet EAGAIN.
        let payload = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let received = Mutex<Result<[UInt8], SystemError>?>(nil)
        let drainer = Thread {
            let result = Result { () throws(SystemError) in try pipe.read.readToEnd() }
            received.withLock { $0 = result }
        }
        drainer.start()
        try payload.withUnsafeBytes { raw in try pipe.write.writeAll(raw) }
        pipe.write.close()
        let deadline = ContinuousClock.now + .seconds(60)
        while received.withLock({ $0 == nil }), ContinuousClock.now < deadline { usleep(1_000) }
        let bytes = try #require(try received.withLock { try $0?.get() })
        #expect(bytes.count == payload.count)
        #expect(bytes == payload)
    }

    @Test func openReportsTheSystemError() {
        #expect(throws: SystemError(code: ENOENT)) {
            try FileDescriptor.open("/nonexistent/soup-platform-test", O_RDONLY)
        }
        #expect(SystemError(code: ENOENT).description == "No such file or directory")
    }
}

/// Both ends of a pipe.
private struct Pipe {
    let read: FileDescriptor
    let write: FileDescriptor

    init() throws {
        // Close-on-exec: a soup child that another test spawns meanwhile must not inherit the
        // write end, or the reader sees no end of file until that child exits.
        (read, write) = try FileDescriptor.makePipe()
    }

    func close() {
        read.close()
        write.close()
    }
}

/// A thread that runs `body` with SIGUSR1 unblocked (the test runner's threads block it) and a
/// handler installed without `SA_RESTART`, so a blocking call it makes fails with `EINTR` when
/// ``interrupt(until:)`` signals it (glibc's `signal()` would restart the call instead).
private final class InterruptibleThread: Sendable {
    typealias Outcome = (count: Int, errno: Int32, text: String)

    private let state = Mutex<(thread: pthread_t?, outcome: Outcome?)>((nil, nil))

    init(_ body: @escaping @Sendable () -> Outcome) {
        Self.installHandler()
        let thread = Thread { [self] in
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGUSR1)
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            state.withLock { $0.thread = pthread_self() }
            let outcome = body()
            state.withLock { $0.outcome = outcome }
        }
        thread.start()
    }

    var isFinished: Bool { state.withLock { $0.outcome != nil } }

    /// Sends SIGUSR1 to the thread every millisecond until `done()` (or 30 s have passed).
    func interrupt(until done: () -> Bool) {
        let deadline = ContinuousClock.now + .seconds(30)
        while !done(), ContinuousClock.now < deadline {
            if let thread = state.withLock({ $0.thread }) { pthread_kill(thread, SIGUSR1) }
            usleep(1_000)
        }
    }

    /// What `body` returned, once it has (within 30 s).
    func result() throws -> Outcome {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let outcome = state.withLock({ $0.outcome }) { return outcome }
            usleep(1_000)
        }
        throw SystemError(code: ETIMEDOUT)
    }

    private static func installHandler() {
        var action = sigaction()
        #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { _ in }
        #else
            action.__sigaction_u.__sa_handler = { _ in }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGUSR1, &action, nil)
    }
}

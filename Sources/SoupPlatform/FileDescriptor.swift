/// A system call that failed, with its `errno`.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `errno` value, such as `EPIPE`.
    public var code: Int32

    public init(code: Int32) {
        self.code = code
    }

    /// The error `errno` holds now.
    public static var current: SystemError { SystemError(code: errno) }

    /// The C library's message, such as `No such file or directory`.
    public var description: String { String(cString: strerror(code)) }
}

/// An open file descriptor, with the whole-buffer reads and writes soup needs: each one retries
/// after `EINTR` and partial transfers, so callers never loop on `read(2)` or `write(2)`.
public struct FileDescriptor: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public static let standardInput = FileDescriptor(rawValue: 0)
    public static let standardOutput = FileDescriptor(rawValue: 1)
    public static let standardError = FileDescriptor(rawValue: 2)

    /// Opens `path` with `flags` (`O_RDONLY`, `O_WRONLY | O_CREAT | O_TRUNC`…), always
    /// close-on-exec, so a pager or editor that soup starts never inherits it.
    public static func open(_ path: String, _ flags: Int32, permissions: mode_t = 0o644) throws(SystemError)
        -> FileDescriptor
    {
        let descriptor = retryingInterrupted { systemOpen(path, flags | O_CLOEXEC, permissions) }
        guard descriptor >= 0 else { throw .current }
        return FileDescriptor(rawValue: descriptor)
    }

    /// Makes a pipe whose two ends close on exec. A child that another thread starts while the
    /// pipe is open must not inherit an end: a write end it holds keeps the reader from seeing
    /// the end of the file until that child exits, and a read end keeps a writer from seeing
    /// `EPIPE`. A child meant to have an end gets it through `dup2` (a `posix_spawn` file
    /// action), which leaves the copy open across exec.
    public static func makePipe() throws(SystemError) -> (read: FileDescriptor, write: FileDescriptor) {
        var ends: [Int32] = [-1, -1]
        #if canImport(Glibc)
            // One call: no other thread can spawn between making the pipe and marking its ends.
            guard GNU.pipe2(&ends, O_CLOEXEC) == 0 else { throw .current }
        #else
            guard pipe(&ends) == 0 else { throw .current }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        #endif
        return (FileDescriptor(rawValue: ends[0]), FileDescriptor(rawValue: ends[1]))
    }

    /// Closes the descriptor. Not retried after `EINTR`: Linux has released the descriptor by
    /// then, and closing it again could close one that another thread has just opened.
    public func close() {
        _ = systemClose(rawValue)
    }

    /// Everything up to the end of the file (or of the pipe).
    public func readToEnd() throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                retryingInterrupted { systemRead(rawValue, buffer.baseAddress, buffer.count) }
            }
            guard count >= 0 else { throw .current }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// Writes every byte of `bytes`, continuing after partial writes and `EINTR`; on a
    /// non-blocking descriptor that is full (`EAGAIN`) it waits until it takes more.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = retryingInterrupted { systemWrite(rawValue, base + offset, bytes.count - offset) }
            if written >= 0 {
                offset += written
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                waitUntilWritable()
            } else {
                throw .current
            }
        }
    }

    /// Writes the UTF-8 bytes of `text`; see ``writeAll(_:)-(UnsafeRawBufferPointer)``.
    public func writeAll(_ text: String) throws(SystemError) {
        var text = text
        var failure: SystemError?
        text.withUTF8 { buffer in
            do throws(SystemError) { try writeAll(UnsafeRawBufferPointer(buffer)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func waitUntilWritable() {
        var request = pollfd(fd: rawValue, events: Int16(POLLOUT), revents: 0)
        _ = retryingInterrupted { poll(&request, 1, -1) }
    }
}

// The C functions under names that the methods above do not shadow.

private func systemOpen(_ path: String, _ flags: Int32, _ permissions: mode_t) -> Int32 {
    open(path, flags, permissions)
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

#if canImport(Glibc)
    /// glibc functions its Swift module leaves out (they are declared only under `_GNU_SOURCE`),
    /// found in the C library at run time.
    private enum GNU {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

        static let pipe2: Pipe2 = {
            guard let symbol = dlsym(nil, "pipe2") else { fatalError("this C library lacks pipe2 (glibc 2.9+ has it)") }
            return unsafeBitCast(symbol, to: Pipe2.self)
        }()
    }
#endif

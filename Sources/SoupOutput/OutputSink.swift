import SoupPlatform

/// Why output could not be written.
public enum OutputError: Error, Equatable, Sendable {
    /// The reader went away (`EPIPE`), as when output is piped into `head`. The command line
    /// treats this as a quiet stop. It surfaces only when `SIGPIPE` is ignored; otherwise the
    /// signal ends the process first, as it does for other Unix tools.
    case brokenPipe
    /// `write(2)` failed with this `errno`.
    case writeFailed(errno: Int32)
}

/// A buffered byte writer for results: to a file descriptor, into memory, or nowhere.
///
/// Writes are gathered in a buffer and handed to `write(2)` in large chunks. ``write(_:)`` never
/// throws: a failed write is remembered, later output is dropped, and the failure is thrown by
/// the next ``flush()`` (or sooner, by ``ResultPrinter`` between rows, so a broken pipe stops a
/// million-row result at once).
///
/// ```swift
/// let sink = OutputSink(fileDescriptor: 1)
/// try ResultPrinter(options: OutputOptions(format: .csv)).print(cursor, to: sink)
/// try sink.flush()
/// ```
public final class OutputSink {
    private enum Destination {
        case fileDescriptor(Int32)
        case memory
        case discard
        case handler((UnsafeRawBufferPointer) -> OutputError?)
    }

    /// Bytes gathered before they are written out.
    static let chunkSize = 1 << 16

    private let destination: Destination
    private var buffer: [UInt8] = []
    private var failure: OutputError?

    /// A sink that writes to an open file descriptor, such as 1 for standard output.
    public init(fileDescriptor: Int32) {
        destination = .fileDescriptor(fileDescriptor)
        buffer.reserveCapacity(Self.chunkSize * 2)
    }

    private init(destination: Destination) {
        self.destination = destination
    }

    /// Writes out what is still buffered; a failure here goes unreported, so call ``flush()``
    /// to see it.
    deinit {
        try? drain()
    }

    /// A sink that hands each full chunk (and what a flush finds buffered) to `handler`, which
    /// returns the failure to report, if any.
    public static func passing(to handler: @escaping (UnsafeRawBufferPointer) -> OutputError?) -> OutputSink {
        OutputSink(destination: .handler(handler))
    }

    /// A sink that keeps everything in memory; read it back with ``collectedText``.
    public static func collecting() -> OutputSink {
        OutputSink(destination: .memory)
    }

    /// A sink that throws everything away (benchmarks and memory tests).
    public static func discarding() -> OutputSink {
        OutputSink(destination: .discard)
    }

    /// Everything written so far, for a sink made by ``collecting()``.
    public var collectedText: String {
        String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of `text`.
    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        drainWithoutThrowingIfFull()
    }

    /// Appends raw bytes.
    public func write(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        drainWithoutThrowingIfFull()
    }

    /// Writes out everything buffered, and throws the first write failure seen so far.
    public func flush() throws {
        try drain()
    }

    /// Writes out the buffer once it holds a full chunk, throwing a failure at once.
    func flushIfFull() throws {
        if let failure { throw failure }
        if buffer.count >= Self.chunkSize { try drain() }
    }

    private func drainWithoutThrowingIfFull() {
        if buffer.count >= Self.chunkSize { try? drain() }
    }

    private func drain() throws {
        if let failure {
            buffer.removeAll(keepingCapacity: true)
            throw failure
        }
        switch destination {
        case .memory:
            return
        case .discard:
            buffer.removeAll(keepingCapacity: true)
        case .fileDescriptor(let descriptor):
            defer { buffer.removeAll(keepingCapacity: true) }
            if let error = Self.writeAll(buffer, to: descriptor) {
                failure = error
                throw error
            }
        case .handler(let handler):
            defer { buffer.removeAll(keepingCapacity: true) }
            guard !buffer.isEmpty else { return }
            if let error = buffer.withUnsafeBytes(handler) {
                failure = error
                throw error
            }
        }
    }

    /// Writes every byte (the platform layer goes on after interrupted and partial writes).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> OutputError? {
        bytes.withUnsafeBytes { raw -> OutputError? in
            do throws(SystemError) {
                try FileDescriptor(rawValue: descriptor).writeAll(raw)
                return nil
            } catch {
                return error.code == EPIPE ? .brokenPipe : .writeFailed(errno: error.code)
            }
        }
    }
}

import SoupPlatform

/// The bytes of one file to import, read in large pieces from a file descriptor.
///
/// The command line opens the file (or hands over standard input); this reads it, skips a
/// UTF-8 byte order mark, turns Latin-1 into UTF-8 when asked, counts the bytes read for the
/// progress bar, and reads it again from the start for a second pass. Input that cannot seek
/// (a pipe) is copied to an unlinked temporary file as the first pass reads it, so the second
/// pass reads that: memory stays flat whatever the size.
public final class ImportInput {
    /// How the file's text is encoded.
    public enum Encoding: String, Sendable, CaseIterable {
        /// UTF-8; invalid sequences are an error that names the line.
        case utf8
        /// ISO 8859-1: every byte is one character, turned into UTF-8 as it is read.
        case latin1
    }

    /// The name errors use: the path as given, or `<stdin>`.
    public let name: String
    /// The file's size when it is a regular file (for the progress bar); nil for a pipe.
    public let size: Int?
    public let encoding: Encoding
    /// Bytes read from the file in the current pass.
    public private(set) var bytesRead = 0

    private var descriptor: Int32
    /// The descriptor handed over, closed at the end when owned.
    private let original: Int32
    private let ownsDescriptor: Bool
    private let seekable: Bool
    /// The temporary copy of a pipe's bytes, written during the first pass.
    private var spool: Int32 = -1
    private var atStart = true
    private var raw: [UInt8]

    /// Opens the file at `path` to import, or standard input for `-`; the error names the file.
    public static func open(_ path: String, encoding: Encoding = .utf8) throws -> ImportInput {
        guard path != "-" else { return ImportInput(descriptor: 0, name: "<stdin>", encoding: encoding) }
        do {
            let file = try FileDescriptor.open(path, O_RDONLY)
            return ImportInput(descriptor: file.rawValue, name: path, encoding: encoding, ownsDescriptor: true)
        } catch {
            throw ImportError(message: "\(path): \(error)")
        }
    }

    /// Reads `descriptor` (which the caller keeps open unless `ownsDescriptor`).
    public init(descriptor: Int32, name: String, encoding: Encoding = .utf8, ownsDescriptor: Bool = false) {
        self.descriptor = descriptor
        original = descriptor
        self.name = name
        self.encoding = encoding
        self.ownsDescriptor = ownsDescriptor
        var status = stat()
        let isRegular = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        size = isRegular ? Int(status.st_size) : nil
        seekable = isRegular && lseek(descriptor, 0, SEEK_CUR) >= 0
        raw = []
    }

    deinit {
        if spool >= 0 { close(spool) }
        if descriptor != original { close(descriptor) }
        if ownsDescriptor { close(original) }
    }

    /// Reads up to `buffer.count` bytes into `buffer` (UTF-8 after any conversion); 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var count: Int
        if encoding == .latin1 {
            // Each byte may become two: read half as many and widen them.
            let want = max(1, buffer.count / 2)
            if raw.count < want { raw = Array(repeating: 0, count: want) }
            let got = try raw.withUnsafeMutableBytes { try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<want])) }
            count = 0
            let out = buffer.bindMemory(to: UInt8.self)
            for index in 0..<got {
                let byte = raw[index]
                if byte < 0x80 {
                    out[count] = byte
                    count += 1
                } else {
                    out[count] = 0xC0 | (byte >> 6)
                    out[count + 1] = 0x80 | (byte & 0x3F)
                    count += 2
                }
            }
        } else {
            count = try readRaw(into: buffer)
        }
        if atStart, count >= 3 {
            atStart = false
            let bytes = buffer.bindMemory(to: UInt8.self)
            if bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                // A byte order mark: drop it.
                memmove(buffer.baseAddress!, buffer.baseAddress! + 3, count - 3)
                count -= 3
                if count == 0 { return try read(into: buffer) }
            }
        } else if count > 0 {
            atStart = false
        }
        return count
    }

    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let got = retryingInterrupted { readBytes(descriptor, buffer.baseAddress, buffer.count) }
        guard got >= 0 else { throw ImportError(message: "\(name): cannot read: \(SystemError.current)") }
        if got > 0, spool >= 0 {
            do {
                try FileDescriptor(rawValue: spool).writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<got]))
            } catch {
                throw ImportError(message: "cannot keep a copy of \(name) for the second pass: \(error)")
            }
        }
        bytesRead += got
        return got
    }

    /// Prepares for a first pass that will be followed by a second: a pipe is copied to a
    /// temporary file as it is read.
    public func prepareForTwoPasses() throws {
        guard !seekable, spool < 0 else { return }
        var template = Array((Self.temporaryDirectory + "/soup-import-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ImportError(message: "cannot make a temporary file for the second pass over \(name): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        spool = fd
    }

    /// Starts reading again from the beginning (the file, or the copy of the pipe).
    public func rewind() throws {
        if seekable {
            guard lseek(descriptor, 0, SEEK_SET) == 0 else {
                throw ImportError(message: "\(name): cannot read it again: \(String(cString: strerror(errno)))")
            }
        } else {
            guard spool >= 0 else { throw ImportError(message: "\(name): cannot be read twice") }
            // The rest of the pipe, if the first pass stopped early, goes to the copy too.
            var scratch = [UInt8](repeating: 0, count: 1 << 16)
            while try scratch.withUnsafeMutableBytes({ try readRaw(into: $0) }) > 0 {}
            lseek(spool, 0, SEEK_SET)
            descriptor = spool
            spool = -1
        }
        bytesRead = 0
        atStart = true
    }

    private static var temporaryDirectory: String {
        if let directory = getenv("TMPDIR"), directory.pointee != 0 { return String(cString: directory) }
        return "/tmp"
    }
}

/// read(2), under a name that ``ImportInput/read(into:)`` does not shadow.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

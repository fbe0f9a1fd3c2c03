import CLibPQ
import SoupDriver
import SoupPlatform
import Synchronization

/// Calls `body` with a NULL-terminated array of C strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}

/// Sends libpq's cancel request from any thread.
final class CancelRequest: Canceller {
    /// The `PGcancel` object's address (0 when none); a C pointer is not `Sendable`.
    private let address = Mutex<UInt>(0)

    func cancel() {
        address.withLock { address in
            guard let request = OpaquePointer(bitPattern: address) else { return }
            var buffer = [CChar](repeating: 0, count: 256)
            _ = soup_PQcancel(request, &buffer, Int32(buffer.count))
        }
    }

    /// Installs a new `PGcancel` (freeing the old one); returns whether there was an old one.
    @discardableResult
    func replace(with request: OpaquePointer?) -> Bool {
        let newAddress = request.map { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer($0))) } ?? 0
        return address.withLock { address in
            let old = OpaquePointer(bitPattern: address)
            if let old { soup_PQfreeCancel(old) }
            address = newAddress
            return old != nil
        }
    }
}

/// Collects the server's notices; libpq calls the receiver on the connection's own thread.
final class NoticeBuffer {
    var messages: [String] = []

    func take() -> [String] {
        defer { messages = [] }
        return messages
    }
}

func noticeReceiver(_ context: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let context, let result else { return }
    let buffer = Unmanaged<NoticeBuffer>.fromOpaque(context).takeUnretainedValue()
    let severity = soup_PQresultErrorField(result, SOUP_PG_DIAG_SEVERITY).map { String(cString: $0) } ?? "NOTICE"
    let message = soup_PQresultErrorField(result, SOUP_PG_DIAG_MESSAGE_PRIMARY).map { String(cString: $0) } ?? ""
    buffer.messages.append("\(severity):  \(message)")
}

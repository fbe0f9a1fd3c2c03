import CLibPQ
import SoupDriver

/// Encodes bound values for `PQsendQueryParams`: text format with a type OID, except blobs,
/// which go in binary format as `bytea` so NUL bytes survive, and text holding a NUL byte.
///
/// Text is sent with type `unknown`, so the server infers the type from context (a string
/// compared with a `date` column becomes a date), as psql's literals do.
struct ParameterEncoder {
    /// Each parameter's type OID (0: let the server infer it); a prepared statement keeps them.
    private(set) var types: [Oid] = []
    private var values: [[UInt8]?] = []
    private var formats: [Int32] = []

    init(_ parameters: [Value]) {
        for parameter in parameters {
            let (type, bytes, format) = Self.encode(parameter)
            types.append(type)
            values.append(bytes)
            formats.append(format)
        }
    }

    private static func encode(_ value: Value) -> (Oid, [UInt8]?, Int32) {
        func text(_ s: String, _ type: PostgresType?) -> (Oid, [UInt8]?, Int32) {
            let bytes = Array(s.utf8)
            // libpq stops a text-format value at a NUL byte, which would store a cut value; as
            // binary `text` the server refuses it instead (SQLSTATE 22021).
            if bytes.contains(0) { return (PostgresType.text.rawValue, bytes, 1) }
            return (type?.rawValue ?? 0, bytes, 0)
        }
        switch value {
        case .null: return (0, nil, 0)
        case .integer(let v): return text(String(v), Int32(exactly: v) != nil ? .int4 : .int8)
        case .real(let v): return text(Value.format(real: v), .float8)
        case .bool(let b): return text(b ? "t" : "f", .bool)
        case .blob(let bytes): return (PostgresType.bytea.rawValue, bytes, 1)
        case .numeric(let s): return text(s, .numeric)
        case .date(let s): return text(s, .date)
        case .timestamp(let s): return text(s, .timestamp)
        case .timestampTZ(let s): return text(s, .timestamptz)
        case .interval(let s): return text(s, .interval)
        case .uuid(let s): return text(s, .uuid)
        case .text(let s), .time(let s), .json(let s), .other(_, let s): return text(s, nil)
        case .array: return text(value.text ?? "{}", nil)
        }
    }

    /// Calls `body` with the C arrays libpq expects; they live only during the call.
    func withArrays<R>(
        _ body: (UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        var lengths: [Int32] = values.map { Int32($0?.count ?? 0) }
        // Each value needs a stable pointer; concatenate them into one buffer.
        var storage: [UInt8] = []
        var offsets: [Int?] = []
        for value in values {
            if let value {
                offsets.append(storage.count)
                storage.append(contentsOf: value)
                storage.append(0)
            } else {
                offsets.append(nil)
            }
        }
        return storage.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset.flatMap { base?.advanced(by: $0) }
            }
            return types.withUnsafeBufferPointer { types in
                pointers.withUnsafeBufferPointer { pointers in
                    lengths.withUnsafeMutableBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(types.baseAddress, pointers.baseAddress, UnsafePointer(lengths.baseAddress), formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}

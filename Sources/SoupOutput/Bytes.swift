import SoupDriver

/// Appending text, numbers and encodings straight into a byte buffer, without building
/// `String`s: every format assembles its rows this way.
extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `text`.
    mutating func append(_ text: String) {
        append(contentsOf: text.utf8)
    }

    /// Appends `count` spaces; none when `count` is negative (a value wider than its column).
    mutating func append(spaces count: Int) {
        if count > 0 { append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }

    /// Appends a decimal integer.
    mutating func append(decimal value: Int64) {
        if value >= 0, value < 10 {
            append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20  // filled from the right
            while magnitude > 0 {
                start -= 1
                digits[start] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends a double exactly as ``Value/format(real:)`` spells it (PostgreSQL's float8out).
    mutating func append(real value: Double) {
        guard value.isFinite, value != 0 else {
            append(Value.format(real: value))
            return
        }
        if appendShortDecimal(value) { return }
        ShortestDecimal(value.magnitude).write(negative: value < 0, to: &self)
    }

    /// The fast path of ``append(real:)`` for the common doubles that are a decimal of at most
    /// 15 significant digits in float8out's fixed-notation range (`12.25`, `0.0001`, `100`).
    ///
    /// It finds the fewest decimal places `d` for which `m = round(v × 10^d)` gives back `v` as
    /// `m / 10^d` (both exact operands, so the division rounds as parsing the text would). A
    /// decimal of at most 15 digits is the only one of its length that reads back to `v`
    /// (DBL_DIG is 15), so this is the shortest round-tripping text that `description` gives.
    private mutating func appendShortDecimal(_ value: Double) -> Bool {
        let magnitude = value.magnitude
        guard magnitude >= 1e-4, magnitude < 1e15 else { return false }
        var scale = 1.0
        for places in 0...15 {
            let scaled = (magnitude * scale).rounded()
            guard scaled < 1e15 else { return false }
            if scaled / scale == magnitude {
                let digits = Int64(scaled)
                let unit = Int64(scale)
                if value < 0 { append(UInt8(ascii: "-")) }
                append(decimal: digits / unit)
                if places > 0 {
                    append(UInt8(ascii: "."))
                    let fraction = digits % unit
                    var width = 1
                    var limit: Int64 = 10
                    while limit <= fraction {
                        width += 1
                        limit *= 10
                    }
                    append(contentsOf: repeatElement(UInt8(ascii: "0"), count: places - width))
                    append(decimal: fraction)
                }
                return true
            }
            scale *= 10
        }
        return false
    }

    /// Appends lowercase hex digits, two per byte.
    mutating func append(hex bytes: some Collection<UInt8>) {
        reserveCapacity(count + bytes.count * 2)
        for byte in bytes {
            append(hexDigits[Int(byte >> 4)])
            append(hexDigits[Int(byte & 0x0f)])
        }
    }

    /// Appends standard base64 (RFC 4648, with `=` padding).
    mutating func append(base64 bytes: [UInt8]) {
        reserveCapacity(count + (bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
                | UInt32(bytes[index + 2])
            appendBase64(group, characters: 4)
            index += 3
        }
        switch bytes.count - index {
        case 1:
            appendBase64(UInt32(bytes[index]) << 16, characters: 2)
            append(contentsOf: "==".utf8)
        case 2:
            appendBase64(UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8, characters: 3)
            append(UInt8(ascii: "="))
        default:
            break
        }
    }

    private mutating func appendBase64(_ group: UInt32, characters: Int) {
        for position in 0..<characters {
            append(base64Alphabet[Int(group >> (18 - 6 * UInt32(position)) & 0x3f)])
        }
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
private let base64Alphabet: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

extension Value {
    /// ``Value/text``, with reals spelled by ``Swift/Array/append(real:)``: the same float8out
    /// text, several times faster than ``Value/format(real:)``.
    var printedText: String? {
        guard case .real(let number) = self else { return text }
        var bytes: [UInt8] = []
        bytes.append(real: number)
        return String(decoding: bytes, as: UTF8.self)
    }
}

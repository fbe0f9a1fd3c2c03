import SoupPlatform
import SoupDriver

/// Recognisers for the spellings a text value can have, on its UTF-8 bytes: what type
/// inference asks of every value, and what conversion checks before a value is sent.
enum ValueShape {
    private static let zero = UInt8(ascii: "0")
    private static let nine = UInt8(ascii: "9")

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }

    /// An integer spelled canonically (`0`, `-12`, no `+`, no leading zeros) that fits 64 bits.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = bytes.first == UInt8(ascii: "-")
        let start = negative ? 1 : 0
        guard start < bytes.count, bytes.count - start <= 19 else { return nil }
        if bytes[start] == zero, bytes.count - start > 1 || negative { return nil }  // 007, -0
        return parseLong(bytes, from: start, negative: negative)
    }

    @inline(__always)
    private static func parseLong(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for index in start..<bytes.count {
            let byte = bytes[index]
            guard isDigit(byte) else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let digit = Int64(byte - zero)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// An integer in any spelling a database reads as one: leading zeros and `+` allowed,
    /// surrounding spaces not.
    static func anyInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < bytes.count else { return nil }
        while index < bytes.count - 1, bytes[index] == zero { index += 1 }
        guard bytes.count - index <= 19 else { return nil }
        return parseLong(bytes, from: index, negative: negative)
    }

    /// Decimal syntax: `-1`, `+1.5`, `.5`, `1.`, `1e-3`.
    static func isDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        while index < bytes.count, isDigit(bytes[index]) {
            index += 1
            digits += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) {
                index += 1
                digits += 1
            }
        }
        guard digits > 0 else { return false }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var exponentDigits = 0
            while index < bytes.count, isDigit(bytes[index]) {
                index += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return false }
        }
        return index == bytes.count
    }

    /// Whether a decimal spelling starts as a number is printed: an optional `-`, then a digit,
    /// and no leading zero (`0.5` and `0` but not `007`, `+1` or `.5`). What inference asks
    /// before taking a value for a number, so identifiers such as zip codes stay text.
    static func hasPlainStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return false }
        if bytes[index] == zero, index + 1 < bytes.count {
            let next = bytes[index + 1]
            return next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e")
        }
        return true
    }

    /// Whether the spelling has an exponent (`1e5`).
    static func hasExponent(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { $0 | 0x20 == UInt8(ascii: "e") }
    }

    /// The special spellings PostgreSQL's float8 and numeric read: NaN, Infinity, -Infinity
    /// (any case; `inf` too).
    static func isSpecialNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3, bytes.count <= 9 else { return false }
        var word = ""
        for byte in bytes { word.unicodeScalars.append(Unicode.Scalar(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0))) }
        switch word {
        case "nan", "infinity", "-infinity", "+infinity", "inf", "-inf", "+inf": return true
        default: return false
        }
    }

    /// Exact powers of ten up to 10^22, the largest a double holds exactly.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The value of a decimal (or special) spelling as a double, correctly rounded.
    ///
    /// Plain decimals of at most 15 digits are computed as an integer divided by a power of
    /// ten, both exact, so the one division rounds correctly (Clinger's fast path); the rest
    /// go through `strtod`.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let fast = fastDouble(bytes) { return fast }
        guard isDecimal(bytes) || isSpecialNumber(bytes) else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text in
            for index in 0..<bytes.count { text[index] = CChar(bitPattern: bytes[index]) }
            text[bytes.count] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(text.baseAddress!, &endPointer)
            return endPointer == text.baseAddress! + bytes.count ? value : nil
        }
    }

    @inline(__always)
    private static func fastDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var afterPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !afterPoint else { return nil }
                afterPoint = true
            } else if isDigit(byte) {
                mantissa = mantissa * 10 + UInt64(byte - zero)
                digits += 1
                if afterPoint { fractionDigits += 1 }
                guard digits <= 15 else { return nil }
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    /// Whether the value is spelled exactly as PostgreSQL prints the double it reads as, so
    /// storing it as `double precision` gives back the same text.
    static func isFloat8Spelling(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Double) -> Bool {
        let printed = Value.format(real: value)
        var printedCopy = printed
        return printedCopy.withUTF8 { $0.elementsEqual(bytes) }
    }

    /// The number of significant decimal digits of a decimal spelling (leading zeros, and
    /// trailing zeros, not counted).
    static func significantDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var pendingZeros = 0
        for byte in bytes {
            if byte | 0x20 == UInt8(ascii: "e") { break }
            guard isDigit(byte) else { continue }
            if byte == zero {
                if count > 0 { pendingZeros += 1 }
            } else {
                count += pendingZeros + 1
                pendingZeros = 0
            }
        }
        return count
    }

    /// Whether a plain decimal is certainly spelled as PostgreSQL prints its double, without
    /// converting it: canonical (``hasPlainStart(_:)``, no exponent, no trailing zero after the
    /// point), at most 15 significant digits (so the shortest digits of the double are these),
    /// and within the range float8out writes without an exponent. Others take the slow path.
    static func isShortFloat8Spelling(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hasPlainStart(bytes), let last = bytes.last, last != zero || !bytes.contains(UInt8(ascii: ".")),
            last != UInt8(ascii: ".")
        else { return false }
        var integerDigits = 0
        var leadingFractionZeros = 0
        var afterPoint = false
        var sawNonZero = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                afterPoint = true
                continue
            }
            guard isDigit(byte) else {
                if byte == UInt8(ascii: "-") { continue }
                return false
            }
            if !afterPoint {
                integerDigits += 1
                if byte != zero { sawNonZero = true }
            } else if !sawNonZero {
                if byte == zero { leadingFractionZeros += 1 } else { sawNonZero = true }
            }
        }
        // -0, 0.0001 and the like are left to the exact check.
        guard sawNonZero, integerDigits <= 15, leadingFractionZeros < 4 else { return false }
        return significantDigits(bytes) <= 15
    }

    /// `t`, `true`, `f`, `false` in any case: what inference takes for a boolean.
    static func strictBoolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch bytes.count {
        case 1:
            switch bytes[0] | 0x20 {
            case UInt8(ascii: "t"): return true
            case UInt8(ascii: "f"): return false
            default: return nil
            }
        case 4, 5:
            let word = lowercased(bytes)
            if word == "true" { return true }
            if word == "false" { return false }
            return nil
        default:
            return nil
        }
    }

    /// Every spelling PostgreSQL reads as a boolean: also yes/no, on/off, y/n, 1/0.
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        if let strict = strictBoolean(bytes) { return strict }
        switch lowercased(bytes) {
        case "yes", "y", "on", "1": return true
        case "no", "n", "off", "0": return false
        default: return nil
        }
    }

    private static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count <= 8 else { return "" }
        var word = ""
        for byte in bytes { word.unicodeScalars.append(Unicode.Scalar(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)) }
        return word
    }

    /// `8-4-4-4-12` hexadecimal digits.
    static func isUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 36 else { return false }
        for index in 0..<36 {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard bytes[index] == UInt8(ascii: "-") else { return false }
            } else if HexDigit.value(bytes[index]) == nil {
                return false
            }
        }
        return true
    }

    /// `\x` followed by an even number of hex digits: a blob as soup and psql print it.
    static func isHexBlob(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            return false
        }
        for index in 2..<bytes.count where HexDigit.value(bytes[index]) == nil { return false }
        return true
    }

    /// Whether the text is one JSON object or array.
    static func isJSONDocument(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") else { return false }
        var validator = JSONValidator(bytes: bytes, index: index)
        return validator.validate()
    }

    /// Whether the bytes are valid UTF-8 (ASCII eight bytes at a time).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        while index + 8 <= raw.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < bytes.count, bytes[index] < 0x80 { index += 1 }
        guard index < bytes.count else { return true }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self) != nil
    }
}

/// The calendar shapes: dates and timestamps as PostgreSQL and ISO 8601 spell them.
extension ValueShape {
    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard range.upperBound <= bytes.count else { return nil }
        var value = 0
        for index in range {
            guard isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        }
        return value
    }

    /// `YYYY-MM-DD` with a month and day in range.
    static func isDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == 10 && datePrefix(bytes)
    }

    private static func datePrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            digits(bytes, 0..<4) != nil, let month = digits(bytes, 5..<7), let day = digits(bytes, 8..<10)
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// The length of `HH:MM[:SS[.ffffff]]` at `start`, or nil.
    private static func timeLength(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard let hour = digits(bytes, start..<start + 2), start + 5 <= bytes.count, bytes[start + 2] == UInt8(ascii: ":"),
            let minute = digits(bytes, start + 3..<start + 5), hour <= 24, minute <= 59
        else { return nil }
        var index = start + 5
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let second = digits(bytes, index + 1..<index + 3), second <= 60 else { return nil }
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                guard index > fractionStart else { return nil }
            }
        }
        return index - start
    }

    /// A date and a time of day (`2024-01-02 03:04:05.123456`, or with `T`), no zone.
    static func isTimestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard datePrefix(bytes), bytes.count > 11, bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
            let length = timeLength(bytes, at: 11)
        else { return false }
        return 11 + length == bytes.count
    }

    /// A timestamp followed by a zone: `Z`, `+05`, `-05:30`, `+0530`.
    static func isTimestampWithZone(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard datePrefix(bytes), bytes.count > 11, bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
            let length = timeLength(bytes, at: 11)
        else { return false }
        var index = 11 + length
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), digits(bytes, index + 1..<index + 3) != nil
        else { return false }
        index += 3
        if index == bytes.count { return true }
        if bytes[index] == UInt8(ascii: ":") { index += 1 }
        guard digits(bytes, index..<index + 2) != nil else { return false }
        return index + 2 == bytes.count
    }
}

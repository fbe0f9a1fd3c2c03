import Foundation
import SoupDriver

/// Whether a value parsed by `JSONSerialization` is what soup's `json` format promises for a
/// ``Value`` (soup-language(7), OUTPUT): numbers as numbers, NaN and infinities and exact decimals
/// as strings, timestamps in ISO 8601, JSON embedded, arrays as arrays, blobs in base64.
enum JSONMatch {
    static func matches(_ json: Any, _ value: Value) -> Bool {
        switch value {
        case .null:
            return json is NSNull
        case .integer(let number):
            guard let parsed = json as? NSNumber, !isBool(parsed) else { return false }
            return parsed.int64Value == number && parsed.stringValue == String(number)
        case .real(let number) where !number.isFinite:
            return json as? String == Value.format(real: number)
        case .real(let number):
            guard let parsed = json as? NSNumber, !isBool(parsed) else { return false }
            // Foundation on Linux reads a number of 17 digits into an NSDecimalNumber, whose
            // `doubleValue` can be one unit in the last place off; its decimal text is exact.
            return parsed.doubleValue == number || Double(parsed.stringValue) == number
        case .bool(let flag):
            guard let parsed = json as? NSNumber, isBool(parsed) else { return false }
            return parsed.boolValue == flag
        case .timestamp(let text), .timestampTZ(let text):
            return json as? String == rfc3339(text)
        case .text(let text), .numeric(let text), .date(let text), .time(let text), .interval(let text),
            .uuid(let text), .other(_, let text):
            return json as? String == text
        case .json(let text):
            guard let document = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed),
                let expected = document as? NSObject, let actual = json as? NSObject
            else { return false }
            return actual.isEqual(expected)
        case .blob(let bytes):
            return (json as? String).flatMap { Data(base64Encoded: $0) } == Data(bytes)
        case .array(let elements):
            guard let parsed = json as? [Any], parsed.count == elements.count else { return false }
            return zip(parsed, elements).allSatisfy { matches($0, $1) }
        }
    }

    /// `2024-01-02 03:04:05+00` as `2024-01-02T03:04:05+00:00`; `infinity`, BC years and
    /// offsets with minutes or seconds stay.
    static func rfc3339(_ text: String) -> String {
        var text = text
        let parts = text.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[0].count >= 10, parts[1].first?.isNumber == true {
            text = parts[0] + "T" + parts[1]
        }
        let suffix = text.hasSuffix(" BC") ? " BC" : ""
        let body = text.dropLast(suffix.count)
        if let sign = body.lastIndex(where: { $0 == "+" || $0 == "-" }), body[sign...].count == 3,
            body[body.index(after: sign)...].allSatisfy(\.isNumber), body.contains("T")
        {
            return body + ":00" + suffix
        }
        return text
    }

    /// Foundation parses `true` and `false` into NSNumbers too (of the class `__NSCFBoolean`,
    /// which `as? Bool` does not tell from 1 and 0).
    private static func isBool(_ number: NSNumber) -> Bool {
        String(describing: type(of: number)).contains("Boolean")
    }
}

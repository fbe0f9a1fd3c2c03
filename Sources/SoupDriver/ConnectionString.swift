/// Helpers for connection strings that may hold a password.
public enum ConnectionString {
    /// The mask that replaces a password.
    public static let mask = "***"

    /// The string with every password masked: the `user:password@` part of a URL, a
    /// `password=` URL parameter, and a `password=` keyword of a libpq keyword string.
    ///
    /// ```swift
    /// ConnectionString.redacted("postgresql://app:s3cret@db/app")  // postgresql://app:***@db/app
    /// ConnectionString.redacted("host=db password='a b'")         // host=db password=***
    /// ```
    public static func redacted(_ text: String) -> String {
        // Any `scheme://`, so a password in a mistyped URL (`postgress://`, `pg://`) is masked too.
        if let scheme = text.firstRange(of: "://"), !text[..<scheme.lowerBound].isEmpty,
            text[..<scheme.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        {
            return redactedURL(text)
        }
        // A keyword string, or something mistyped that may still end in `?…&password=…`.
        return redactedURL(redactedKeywords(text))
    }

    private static func redactedURL(_ url: String) -> String {
        var result = url
        // user:password@ in the authority part.
        if let schemeEnd = result.firstRange(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let authorityEnd = result[authorityStart...].firstIndex { $0 == "/" || $0 == "?" } ?? result.endIndex
            let authority = result[authorityStart..<authorityEnd]
            if let at = authority.lastIndex(of: "@"),
                let colon = authority[..<at].firstIndex(of: ":")
            {
                result.replaceSubrange(result.index(after: colon)..<at, with: mask)
            }
        }
        // password=... among the query parameters.
        guard let question = result.firstIndex(of: "?") else { return result }
        let query = result[result.index(after: question)...]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            pair.lowercased().hasPrefix("password=") ? "password=" + mask : String(pair)
        }
        return result[...question] + parameters.joined(separator: "&")
    }

    private static func redactedKeywords(_ text: String) -> String {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            // Copy white space.
            if text[index].isWhitespace {
                output.append(text[index])
                index = text.index(after: index)
                continue
            }
            // Read `key`, optional spaces, `=`, optional spaces, then a value.
            let keyStart = index
            while index < text.endIndex, text[index] != "=", !text[index].isWhitespace {
                index = text.index(after: index)
            }
            let key = text[keyStart..<index]
            var separator = ""
            while index < text.endIndex, text[index].isWhitespace || text[index] == "=" {
                separator.append(text[index])
                index = text.index(after: index)
                if separator.contains("="), index < text.endIndex, !text[index].isWhitespace { break }
            }
            let valueStart = index
            if index < text.endIndex, text[index] == "'" {
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "'" {
                    if text[index] == "\\" { index = text.index(after: index) }
                    if index < text.endIndex { index = text.index(after: index) }
                }
                if index < text.endIndex { index = text.index(after: index) }
            } else {
                while index < text.endIndex, !text[index].isWhitespace {
                    index = text.index(after: index)
                }
            }
            let value = text[valueStart..<index]
            output += key + separator
            output += key.lowercased() == "password" && separator.contains("=") ? mask : String(value)
        }
        return output
    }
}

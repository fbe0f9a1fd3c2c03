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

    /// `text` in double quotes for a message, passwords masked, or a note in its place when
    /// it may hold a password that ``redacted(_:)`` cannot find (see ``displayable(_:)``).
    ///
    /// ```swift
    /// ConnectionString.quoted("postgresql://app:s3cret@db/app")  // "postgresql://app:***@db/app"
    /// ConnectionString.quoted("ann:s3cret@db")                   // a value not shown here (…)
    /// ```
    public static func quoted(_ text: String) -> String {
        displayable(text).map { "\"" + $0 + "\"" } ?? "a value not shown here (it may hold a password)"
    }

    /// `text` with passwords masked, or nil when it may hold one that ``redacted(_:)`` cannot
    /// find: an `@`, `=` or `:` that is not a URL's `://` in text with no password masked (such
    /// as `ann:s3cret@db`, a URL without its scheme), or more than 200 characters.
    public static func displayable(_ text: String) -> String? {
        let masked = redacted(text)
        let colons = text.count { $0 == ":" }
        let plain = !text.contains("@") && !text.contains("=") && (colons == 0 || (colons == 1 && text.contains("://")))
        return (masked != text || plain) && masked.count <= 200 ? masked : nil
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

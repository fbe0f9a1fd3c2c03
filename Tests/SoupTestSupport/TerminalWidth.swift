import SoupPlatform

/// How many columns a line takes on a terminal, measured with the C library's `wcwidth` in a
/// UTF-8 locale (independently of soup's own measure), ANSI colour escapes left out.
public enum TerminalWidth {
    /// The columns `line` takes; a carriage return none, any other character that `wcwidth`
    /// calls unprintable one.
    public static func of(_ line: some StringProtocol) -> Int {
        // The locale is this thread's own, so tests running beside this one are not affected.
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return line.unicodeScalars.count }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        var width = 0
        var escape = false
        for scalar in line.unicodeScalars {
            if escape {
                if scalar.properties.isAlphabetic { escape = false }
                continue
            }
            if scalar == "\u{1B}" {
                escape = true
                continue
            }
            if scalar == "\r" { continue }
            let columns = Int(characterWidth(Int32(bitPattern: scalar.value)))
            width += columns < 0 ? 1 : columns
        }
        return width
    }

    /// The widest line of `text`.
    public static func widest(_ text: String) -> Int {
        // By scalar: "\r\n" is one Character, which a split on "\n" would not cut.
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { of(String(String.UnicodeScalarView($0))) }.max() ?? 0
    }

    /// glibc's `wcwidth`, which Swift's Glibc module leaves out (it needs `_XOPEN_SOURCE`).
    private static let characterWidth: @convention(c) (Int32) -> Int32 = {
        guard let symbol = dlsym(nil, "wcwidth") else { fatalError("this C library lacks wcwidth") }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
}

import ArgumentParser

/// An option value that is one of a fixed set of words: an enum whose raw values are what the
/// user types, such as `--format csv`.
///
/// ArgumentParser's own `allValueStrings` and `allValueDescriptions` for such enums are generic
/// code that runs unspecialized each time ArgumentParser builds a command's arguments, several
/// times per run: about 0.5 M instructions of start-up per enum option. These concrete versions
/// give the same help and completions.
protocol ChoiceArgument: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {}

// Public because they are the witnesses for public enums such as OutputFormat.
extension ChoiceArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }

    /// None: a value's description is its raw value, which help lists already.
    public static var allValueDescriptions: [String: String] { [:] }
}

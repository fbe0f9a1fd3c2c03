/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast generator whose whole state is one
/// 64-bit word.
///
/// The demo database is generated from a fixed seed with this generator and with bounded
/// integers computed here rather than by the standard library, so every build on every
/// platform produces the same rows.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random integer in `0..<bound`, by Lemire's multiply-shift (the bias, under 2⁻⁴⁰ for
    /// the bounds used here, does not matter for demo data).
    mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A random integer in `range`.
    mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + next(below: range.count)
    }

    /// `true` with a probability of `percent` in 100.
    mutating func chance(percent: Int) -> Bool {
        next(below: 100) < percent
    }

    /// A random element of a non-empty array.
    mutating func element<Element>(of array: [Element]) -> Element {
        array[next(below: array.count)]
    }

    /// Shuffles `array` in place (Fisher–Yates).
    mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for index in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(index, next(below: index + 1))
        }
    }
}

/// Picks indexes with probability proportional to their weights.
struct WeightedIndexPicker {
    private let cumulativeWeights: [Int]

    /// A picker over `weights.indices`; the weights are non-negative and not all zero.
    init(weights: [Int]) {
        var total = 0
        cumulativeWeights = weights.map { weight in
            total += weight
            return total
        }
        precondition(total > 0, "all weights are zero")
    }

    /// An index `i` drawn with probability `weights[i] / sum(weights)`.
    func pick(using random: inout SplitMix64) -> Int {
        let target = random.next(below: cumulativeWeights[cumulativeWeights.count - 1])
        // The first index whose cumulative weight exceeds the target.
        var low = 0
        var high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Dates of the proleptic Gregorian calendar as day numbers (days since 1970-01-01) and the
/// text SQLite's date functions read and write.
enum DemoCalendar {
    static let secondsPerDay = 86_400

    /// The day number of a calendar date (Howard Hinnant's `days_from_civil`).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day number (Howard Hinnant's `civil_from_days`).
    static func date(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra =
            (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD` for a day number.
    static func dateText(dayNumber: Int) -> String {
        let date = date(dayNumber: dayNumber)
        return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2)
    }

    /// `YYYY-MM-DD HH:MM:SS` for a non-negative number of seconds since 1970-01-01 00:00:00.
    static func timestampText(seconds: Int) -> String {
        let day = seconds / secondsPerDay
        let time = seconds % secondsPerDay
        return dateText(dayNumber: day) + " " + padded(time / 3600, 2) + ":"
            + padded(time / 60 % 60, 2) + ":" + padded(time % 60, 2)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        guard digits.count < width else { return digits }
        return String(repeating: "0", count: width - digits.count) + digits
    }
}

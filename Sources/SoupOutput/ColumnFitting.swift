/// How `wrapped` shares the terminal's width among the columns of a table.
///
/// A table of border 1 takes its column widths plus three columns per column, less one
/// (` a | b `). When the natural widths (the widest line of each column, header included) fit,
/// they are kept. Otherwise each column gets at least its floor, and the rest of the width is
/// shared out evenly, no column getting more than its natural width (water-filling), so narrow
/// columns keep their width and the wide ones wrap. A column of numbers (and the widest number
/// in any column) is a floor: numbers never wrap. The floors are first the headers, so that
/// they stay on one line; when even those do not fit, two columns per column of text. When the
/// numbers alone are wider than the terminal the table cannot fit, and the headers stay whole.
struct ColumnFitting {
    /// The width of each column.
    let widths: [Int]
    /// Whether the table fits with every header on one line; `\x auto` prints `expanded`
    /// otherwise.
    let isComfortable: Bool

    /// The columns' widths in `total` terminal columns.
    ///
    /// - Parameters:
    ///   - natural: the widest line of each column, header included.
    ///   - headers: the width of each header.
    ///   - numbers: the widest number of each column (0 when it has none).
    init(natural: [Int], headers: [Int], numbers: [Int], total: Int) {
        let room = total - Self.separators(natural.count)
        guard natural.reduce(0, +) > room else {
            widths = natural
            isComfortable = true
            return
        }
        let comfortable = natural.indices.map { max(numbers[$0], min(natural[$0], headers[$0])) }
        isComfortable = comfortable.reduce(0, +) <= room
        let narrow = natural.indices.map { max(numbers[$0], min(natural[$0], 2)) }
        let floors = isComfortable || narrow.reduce(0, +) > room ? comfortable : narrow
        widths = Self.share(room, natural: natural, floors: floors)
    }

    /// The columns a table of `count` columns spends on spaces and `|`.
    static func separators(_ count: Int) -> Int {
        max(0, 3 * count - 1)
    }

    /// `min(natural, max(floor, level))` for the highest level whose total fits in `room`, and
    /// what remains given one column each to the columns at that level, left to right.
    private static func share(_ room: Int, natural: [Int], floors: [Int]) -> [Int] {
        func widths(at level: Int) -> [Int] {
            natural.indices.map { min(natural[$0], max(floors[$0], level)) }
        }
        guard widths(at: 0).reduce(0, +) < room else { return widths(at: 0) }
        var low = 0
        var high = natural.max() ?? 0
        while low < high {
            let middle = (low + high + 1) / 2
            if widths(at: middle).reduce(0, +) <= room { low = middle } else { high = middle - 1 }
        }
        var result = widths(at: low)
        var left = room - result.reduce(0, +)
        for index in result.indices where left > 0 && result[index] == low && natural[index] > low {
            result[index] += 1
            left -= 1
        }
        return result
    }
}

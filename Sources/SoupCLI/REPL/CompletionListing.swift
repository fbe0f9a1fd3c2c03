import SoupCore
import SoupOutput

/// The list a second TAB shows: the candidates in columns, down then across as readline lists
/// them, each marked with what it is (`column`, `relation → album`, `method`, `table`, …).
enum CompletionListing {
    /// The lines of the list, each ending in `\r\n`; at most `height - 2` rows, then a line
    /// saying how many more there are.
    static func render(_ candidates: [CompletionCandidate], width: Int, height: Int, colors: Bool) -> String {
        guard !candidates.isEmpty else { return "" }
        let cells = candidates.map { candidate in
            (text: candidate.text, mark: candidate.kind.rawValue + (candidate.detail.map { " " + $0 } ?? ""))
        }
        let cellWidth = cells.map { DisplayWidth.of($0.text) + 1 + DisplayWidth.of($0.mark) }.max() ?? 1
        let columns = max(1, (max(width, 10) + 2) / (cellWidth + 2))
        let rows = (cells.count + columns - 1) / columns
        let shownRows = min(rows, max(height - 2, 3))
        var lines: [String] = []
        for row in 0..<shownRows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < cells.count else { break }
                let (text, mark) = cells[index]
                let padding = cellWidth - DisplayWidth.of(text) - 1 - DisplayWidth.of(mark)
                let shownMark = colors ? "\u{1B}[90m" + mark + "\u{1B}[0m" : mark
                line += text + " " + shownMark
                if column + 1 < columns, (column + 1) * rows + row < cells.count {
                    line += String(repeating: " ", count: padding + 2)
                }
            }
            lines.append(line)
        }
        if shownRows < rows {
            let hidden = cells.count - (0..<shownRows).reduce(0) { count, row in
                count + (0..<columns).filter { $0 * rows + row < cells.count }.count
            }
            lines.append("… and \(hidden) more; type more of the name")
        }
        return lines.map { $0 + "\r\n" }.joined()
    }
}

/// Wrapping a cell's lines to a column width, for `wrapped` and for `expanded` on a terminal.
extension DisplayCell {
    /// The cell with each line wider than `width` broken into lines at most `width` columns
    /// wide, after the last space that fits where there is one, else between characters; a
    /// space at the break is dropped (the wrap shows it). A character is never split, so one
    /// wider than `width` (an emoji in a 1-column cell) stands alone on its line. Numbers are
    /// returned unwrapped; a JSON document is first laid out again for `width`.
    func wrapped(to width: Int) -> DisplayCell {
        guard !isNumber, self.width > width else { return self }
        var cell = self
        if let document {
            cell = DisplayCell(formatting: document.text(width: width))
            guard cell.width > width else { return cell }
        }
        var lines: [Line] = []
        for index in 0..<cell.lineCount {
            lines += Self.wrap(cell.line(index)!, to: max(1, width))
        }
        cell.first = lines[0]
        cell.rest = Array(lines.dropFirst())
        return cell
    }

    private static func wrap(_ line: Line, to width: Int) -> [Line] {
        guard line.width > width else { return [line] }
        var lines: [Line] = []
        var current = ""
        var currentWidth = 0
        /// Where the text after the last space of `current` starts, and the width before it.
        var lastBreak: (index: String.Index, width: Int)?
        for character in line.text {
            let characterWidth = character.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
            if currentWidth + characterWidth > width, !current.isEmpty {
                if character == " " {
                    lines.append(Line(text: current, width: currentWidth, wraps: true))
                    (current, currentWidth, lastBreak) = ("", 0, nil)
                    continue
                }
                if let lastBreak, lastBreak.index < current.endIndex {
                    lines.append(Line(text: String(current[..<lastBreak.index]), width: lastBreak.width, wraps: true))
                    current = String(current[lastBreak.index...])
                    currentWidth -= lastBreak.width
                } else {
                    lines.append(Line(text: current, width: currentWidth, wraps: true))
                    (current, currentWidth) = ("", 0)
                }
                lastBreak = nil
            }
            current.append(character)
            currentWidth += characterWidth
            if character == " " { lastBreak = (current.endIndex, currentWidth) }
        }
        lines.append(Line(text: current, width: currentWidth, wraps: line.wraps))
        return lines
    }
}

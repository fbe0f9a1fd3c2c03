extension Parser {
    /// The statement and the `\g` or `\gx` that ends `line` (`SELECT 1 \g out.csv`), when the
    /// text before it is a complete statement (SQL given its `;` if it lacks one), as psql
    /// reads a query ended by `\g`.
    public static func trailingGo(in line: String) -> (statement: String, command: MetaCommand)? {
        var searchEnd = line.endIndex
        while let range = line[..<searchEnd].ranges(of: "\\g").last {
            searchEnd = range.lowerBound
            guard range.lowerBound > line.startIndex else { return nil }
            let before = line[line.index(before: range.lowerBound)]
            guard before == " " || before == ";" || before == "\t" else { continue }
            let rest = line[range.upperBound...]
            let isX = rest.hasPrefix("x")
            let afterName = isX ? rest.dropFirst() : rest
            guard afterName.isEmpty || afterName.first == " " || afterName.first == "\t" else { continue }
            var statement = String(line[..<range.lowerBound]).trimmingSpacesAndNewlines()
            if !Parser.isComplete(statement, sqlTermination: .semicolon) { statement += ";" }
            guard Parser.isComplete(statement, sqlTermination: .semicolon),
                (try? Parser.parse(statement, sqlTermination: .semicolon))?.isEmpty == false
            else { continue }
            return (statement, MetaCommand(style: .backslash, name: isX ? "gx" : "g", argument: afterName.trimmingSpacesAndNewlines()))
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate func trimmingSpacesAndNewlines() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

import SoupDriver
import SoupReflection

/// psql's `\\copy` line: a table (or a query in parentheses), FROM or TO, a file, and options
/// in either spelling, read into the import or export it stands for.
public struct PsqlCopy: Sendable, Equatable {
    public var table = ""
    public var query: String?
    public var isImport = true
    public var file = ""
    public var csv = false
    public var header = false
    public var delimiter: UInt8?
    public var nullText: String?

    public init(parsing text: String) throws {
        var rest = Substring(text.trimmingWhitespace())
        func fail(_ message: String) -> ImportError {
            ImportError(message: "\\copy: " + message + " (\\copy TABLE FROM 'FILE' [CSV] [HEADER], \\copy (QUERY) TO 'FILE' [CSV] [HEADER])")
        }
        if rest.hasPrefix("(") {
            var depth = 0
            var end: Substring.Index?
            var inString = false
            for index in rest.indices {
                let character = rest[index]
                if character == "'" { inString.toggle() }
                guard !inString else { continue }
                if character == "(" { depth += 1 }
                if character == ")" {
                    depth -= 1
                    if depth == 0 {
                        end = index
                        break
                    }
                }
            }
            guard let end else { throw fail("the query's parenthesis is not closed") }
            query = String(rest[rest.index(after: rest.startIndex)..<end]).trimmingWhitespace()
            rest = rest[rest.index(after: end)...]
        }
        var words = try ShellWords.split(String(rest))
        if query == nil {
            guard !words.isEmpty else { throw fail("name a table") }
            table = words.removeFirst()
            if words.first?.hasPrefix("(") == true { throw fail("column lists are not supported; a header line names the columns") }
        }
        guard let direction = words.first?.lowercased(), direction == "from" || direction == "to" else {
            throw fail("expected FROM or TO")
        }
        words.removeFirst()
        isImport = direction == "from"
        if isImport, query != nil { throw fail("a query copies TO a file") }
        guard !words.isEmpty else { throw fail("name the file") }
        file = words.removeFirst()
        let lowerFile = file.lowercased()
        if lowerFile == "stdin" || lowerFile == "pstdin" { throw fail("read from a file: the REPL's standard input is the terminal") }
        if lowerFile == "stdout" || lowerFile == "pstdout" { file = "stdout" }
        // Options: the words left, without WITH, parentheses and commas.
        let options = words.joined(separator: " ").replacing("(", with: " ").replacing(")", with: " ").replacing(",", with: " ")
        var tokens = try ShellWords.split(options)
        while !tokens.isEmpty {
            let word = tokens.removeFirst().lowercased()
            switch word {
            case "with", "true", "on": continue
            case "csv": csv = true
            case "text": csv = false
            case "format":
                guard let format = tokens.first?.lowercased() else { throw fail("FORMAT needs csv or text") }
                tokens.removeFirst()
                guard format == "csv" || format == "text" else { throw fail("FORMAT \(format) is not supported (csv or text)") }
                csv = format == "csv"
            case "header":
                header = true
                if let next = tokens.first?.lowercased(), ["false", "off", "0"].contains(next) {
                    header = false
                    tokens.removeFirst()
                }
            case "delimiter":
                guard let value = tokens.first, value.utf8.count == 1 else { throw fail("DELIMITER takes one character") }
                delimiter = value.utf8.first
                tokens.removeFirst()
            case "null":
                guard let value = tokens.first else { throw fail("NULL takes a text") }
                nullText = value
                tokens.removeFirst()
            case "binary": throw fail("the binary format is not supported")
            default: throw fail("unknown option \(word)")
            }
        }
    }
}


extension PsqlCopy {
    /// The import a `\\copy … FROM` asks for.
    public var importOptions: ImportOptions {
        var options = ImportOptions(table: TableName(parsing: table))
        options.format = csv ? .csv : .tsv
        options.header = header
        options.delimiter = delimiter
        options.nullText = nullText
        return options
    }

    /// The query a `\\copy … TO` runs, ending in `;`.
    public var exportQuery: String {
        let query = self.query ?? "SELECT * FROM " + table
        return query.hasSuffix(";") ? query : query + ";"
    }
}

/// Splitting a meta command's argument (`\\import 'my file.csv' t --create`) into words.
public enum ShellWords {
    /// The words of `text`; single or double quotes keep spaces in one word.
    public static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw ImportError(message: "a quote is not closed: \(text)") }
        if inWord { words.append(current) }
        return words
    }
}

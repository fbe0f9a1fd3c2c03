import ArgumentParser
import SoupCore
import SoupDriver
import SoupLanguage
import SoupOutput
import SoupReflection
import SoupTransfer

#if canImport(Glibc)
    import Glibc
#endif

/// The REPL's data in and out: `\import`, psql's `\copy`, `\g`, `\gx` and `\clip`.
extension REPL {
    /// `\import FILE TABLE [options]`: `soup import` inside the session's open transaction (one
    /// is opened when none is), so the rows are pending until `commit()` and `rollback()` undoes
    /// them; `db.pending()` lists the import.
    mutating func importFile(_ argument: String) throws {
        let words = try Self.words(argument)
        guard words.count >= 2 else { throw CommandFailure(message: "usage: \\import FILE TABLE [options] (the options of soup import)", exitCode: 1) }
        let command: ImportCommand
        do {
            command = try ImportCommand.parse(["-", words[1], words[0]] + words.dropFirst(2))
        } catch {
            throw CommandFailure(message: ImportCommand.message(for: error), exitCode: 1)
        }
        try runImport(file: words[0], options: command.importOptions, encoding: command.encoding)
    }

    /// Runs one import in the session's transaction and reports it.
    mutating func runImport(file: String, options: ImportOptions, encoding: ImportInput.Encoding) throws {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CommandFailure(message: "\(file): \(String(cString: strerror(errno)))", exitCode: 1) }
        let input = ImportInput(descriptor: descriptor, name: file, encoding: encoding, ownsDescriptor: true)
        // Changes the session holds go first, so the import sees them (a parent row, say).
        try runner.soup.flush()
        let description = "import \(file) into \(options.table)"
        let started = ContinuousClock.now
        let target: any Connection
        var binding = "-"
        if options.dryRun {
            target = connection
        } else {
            (target, binding) = try connection.router.connectionForBulkWrite(description)
        }
        let opened = !options.dryRun && target.transactionStatus == .idle
        if opened { try target.begin() }
        let importer = Importer(connection: target, input: input, options: options)
        let bar = ProgressBar(environment: environment, totalBytes: input.size)
        importer.onProgress = { bar.show($0) }
        let report: ImportReport
        do {
            report = try interrupts.whileRunning(target.makeCanceller()) { try importer.run() }
            bar.clear()
        } catch {
            bar.clear()
            if opened, target.transactionStatus != .idle { _ = try? target.rollback() }
            if binding != "-" {
                connection.router.recordBulkWrite(
                    description, binding: binding, duration: ContinuousClock.now - started, outcome: "error: \(error)")
            }
            interrupts.reset()
            if let error = error as? ImportError {
                StandardError.line(error.description)
                StandardError.line("soup: nothing was imported")
                return
            }
            throw error
        }
        if report.createStatement != nil { runner.soup.refreshSchema() }
        var note = ""
        if !options.dryRun {
            runner.soup.recordBulkWrite("import: \(ProgressBar.grouped(report.rowsImported)) rows into \(options.table)")
            connection.router.recordBulkWrite(
                description + ": \(report.rowsImported) rows", binding: binding, duration: ContinuousClock.now - started,
                outcome: "ok (in a transaction)")
            if autocommit {
                try runner.soup.commit()
            } else {
                note = "; pending until commit()"
            }
        }
        ImportRun.print(report, options: options, verbose: false, pendingNote: note)
    }

    /// psql's `\copy TABLE FROM 'FILE' [CSV] [HEADER] [DELIMITER 'x'] [NULL 'x']` (an import)
    /// and `\copy (QUERY) TO 'FILE' …` or `\copy TABLE TO 'FILE' …` (the rows to a file, CSV, or
    /// TSV in COPY's text format).
    mutating func copyCommand(_ argument: String) throws {
        let copy = try PsqlCopy(parsing: argument)
        if copy.isImport {
            var options = ImportOptions(table: TableName(parsing: copy.table))
            options.format = copy.csv ? .csv : .tsv
            options.header = copy.header
            options.delimiter = copy.delimiter
            options.nullText = copy.nullText
            try runImport(file: copy.file, options: options, encoding: .utf8)
            return
        }
        let query = copy.query ?? "SELECT * FROM " + copy.table
        try go(statement: query.hasSuffix(";") ? query : query + ";", target: copy.file == "stdout" ? "" : copy.file,
            format: copy.csv ? .csv : .tsv, skipHeader: !copy.header)
    }

    /// `\g [FILE|'|'COMMAND]`, `\gx`: the statement before it on the line, or else the last
    /// input (read again, so only an input that only reads), to a file, a pipe or the terminal,
    /// in the current format (`\gx`: expanded, once).
    mutating func go(statement: String?, target: String, format: OutputFormat? = nil, skipHeader: Bool = false) throws {
        let text = try statement ?? rerunnableLastInput()
        let printer = runner.printer
        defer { runner.printer = printer }
        if let format {
            var options = printer.options
            options.format = format
            options.useColor = false
            runner.printer = ResultPrinter(options: options)
        }
        let destination = target.trimmingWhitespace()
        if destination.isEmpty {
            run(text, source: "input")
            return
        }
        var process: ShellProcess?
        let fd: Int32
        if destination.hasPrefix("|") {
            guard let started = Terminal.startShell(String(destination.dropFirst()), pipingInput: true), let input = started.input else {
                throw CommandFailure(message: "cannot run \(destination.dropFirst())", exitCode: 1)
            }
            process = started
            fd = input
        } else {
            fd = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw CommandFailure(message: "\(destination): \(String(cString: strerror(errno)))", exitCode: 1) }
        }
        var options = runner.printer.options
        options.useColor = false
        runner.printer = ResultPrinter(options: options)
        var skipping = skipHeader
        let sink = OutputSink.passing { bytes in
            var bytes = bytes
            if skipping {
                guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                skipping = false
                bytes = UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...])
            }
            return Terminal.write(bytes, to: fd) ? nil : .brokenPipe
        }
        runWithSink(text, sink: sink)
        if let process {
            process.wait()
        } else {
            close(fd)
        }
    }

    /// `\clip`: the last input's result, in the current format, to the terminal's clipboard
    /// through OSC 52 (which terminals honour over ssh; inside tmux it is passed through).
    mutating func clip() throws {
        let text = try rerunnableLastInput()
        var collected: [UInt8] = []
        let printer = runner.printer
        defer { runner.printer = printer }
        var options = printer.options
        options.useColor = false
        runner.printer = ResultPrinter(options: options)
        runWithSink(text, sink: OutputSink.passing { bytes in
            collected.append(contentsOf: bytes)
            return nil
        })
        Terminal.write(Self.osc52(collected, tmux: environment["TMUX"] != nil), to: 1)
        StandardError.line("copied \(collected.count) bytes to the clipboard")
    }

    /// The escape sequence that puts `bytes` on the clipboard: `ESC ] 52 ; c ; BASE64 BEL`,
    /// wrapped for tmux in its passthrough (`ESC P tmux; … ESC \`, each ESC doubled).
    static func osc52(_ bytes: [UInt8], tmux: Bool) -> String {
        let sequence = "\u{1B}]52;c;" + Base64Text.encode(bytes) + "\u{07}"
        guard tmux else { return sequence }
        return "\u{1B}Ptmux;" + sequence.replacing("\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
    }

    /// The last input, to be run again: refused when it may write.
    private func rerunnableLastInput() throws -> String {
        guard let last = lastInput else { throw CommandFailure(message: "there is no earlier input to show again", exitCode: 1) }
        let statements = (try? Parser.parse(last, sqlTermination: .semicolon)) ?? []
        guard !statements.isEmpty, statements.allSatisfy({ StatementClassifier.isRead($0) }) else {
            throw CommandFailure(
                message: "the last input may write, so it is not run again; put the statement on the same line: SELECT ... \\g FILE",
                exitCode: 1)
        }
        return last
    }

    /// Runs `text` as an input with its output going to `sink` instead of the terminal.
    private mutating func runWithSink(_ text: String, sink: OutputSink) {
        let saved = runner.sink
        runner.sink = sink
        runner.soup.printLine = { sink.write($0 + "\n") }
        _ = runner.runInteractive(Script(name: "input", text: text), autocommit: autocommit)
        try? sink.flush()
        runner.sink = saved
        lastInput = text
    }

    /// The statement and the `\g`/`\gx` that end `line` (`SELECT 1 \g out.csv`), when it has one
    /// after a complete statement.
    static func trailingGo(in line: String) -> (statement: String, command: MetaCommand)? {
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
            var statement = String(line[..<range.lowerBound]).trimmingWhitespace()
            if !Parser.isComplete(statement, sqlTermination: .semicolon) { statement += ";" }
            guard Parser.isComplete(statement, sqlTermination: .semicolon),
                (try? Parser.parse(statement, sqlTermination: .semicolon))?.isEmpty == false
            else { continue }
            return (statement, MetaCommand(style: .backslash, name: isX ? "gx" : "g", argument: afterName.trimmingWhitespace()))
        }
        return nil
    }

    /// Splits a meta command's argument into words; single or double quotes keep spaces.
    static func words(_ text: String) throws -> [String] {
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
        guard quote == nil else { throw CommandFailure(message: "a quote is not closed: \(text)", exitCode: 1) }
        if inWord { words.append(current) }
        return words
    }
}

/// psql's `\copy` line: a table (or a query in parentheses), FROM or TO, a file, and options in
/// either spelling (`CSV HEADER`, `WITH (FORMAT csv, HEADER true, DELIMITER ';', NULL 'x')`).
struct PsqlCopy {
    var table = ""
    var query: String?
    var isImport = true
    var file = ""
    var csv = false
    var header = false
    var delimiter: UInt8?
    var nullText: String?

    init(parsing text: String) throws {
        var rest = Substring(text.trimmingWhitespace())
        func fail(_ message: String) -> CommandFailure {
            CommandFailure(message: "\\copy: " + message + " (\\copy TABLE FROM 'FILE' [CSV] [HEADER], \\copy (QUERY) TO 'FILE' [CSV] [HEADER])", exitCode: 1)
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
        var words = try REPL.words(String(rest))
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
        var tokens = try REPL.words(options)
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

/// Base64 text, for the OSC 52 clipboard sequence.
enum Base64Text {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let chunk = (UInt32(bytes[index]) << 16) | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            out.append(remaining > 1 ? alphabet[Int(chunk >> 6 & 63)] : UInt8(ascii: "="))
            out.append(remaining > 2 ? alphabet[Int(chunk & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

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
        let words = try ShellWords.split(argument)
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
        let description = "import \(file) into \(options.table)"
        let started = ContinuousClock.now
        let target: any Connection
        var binding = "-"
        if options.dryRun {
            target = connection
        } else {
            (target, binding) = try connection.router.connectionForBulkWrite(description)
        }
        let importer = Importer(connection: target, input: input, options: options)
        let bar = ProgressBar(environment: environment, totalBytes: input.size)
        importer.onProgress = { bar.show($0) }
        let report: ImportReport
        do {
            report = try interrupts.whileRunning(target.makeCanceller()) {
                try SessionImport.run(importer, soup: runner.soup, autocommit: autocommit)
            }
            bar.clear()
        } catch {
            bar.clear()
            interrupts.reset()
            if binding != "-" {
                connection.router.recordBulkWrite(
                    description, binding: binding, duration: ContinuousClock.now - started, outcome: "error: \(error)")
            }
            guard let error = error as? ImportError else { throw error }
            StandardError.line(error.description)
            StandardError.line("soup: nothing was imported")
            return
        }
        if binding != "-" {
            connection.router.recordBulkWrite(
                description + ": \(report.rowsImported) rows", binding: binding, duration: ContinuousClock.now - started,
                outcome: autocommit ? "ok" : "ok (in a transaction)")
        }
        let note = options.dryRun || autocommit ? "" : "; pending until commit()"
        ImportRun.print(report, options: options, verbose: false, pendingNote: note)
    }

    /// psql's `\copy TABLE FROM 'FILE' [CSV] [HEADER] [DELIMITER 'x'] [NULL 'x']` (an import)
    /// and `\copy (QUERY) TO 'FILE' …` or `\copy TABLE TO 'FILE' …` (the rows to a file, CSV, or
    /// TSV in COPY's text format).
    mutating func copyCommand(_ argument: String) throws {
        let copy = try PsqlCopy(parsing: argument)
        if copy.isImport {
            try runImport(file: copy.file, options: copy.importOptions, encoding: .utf8)
        } else {
            let target = copy.file == "stdout" ? "" : copy.file
            try go(statement: copy.exportQuery, target: target, format: copy.csv ? .csv : .tsv, skipHeader: !copy.header)
        }
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
        let sequence = "\u{1B}]52;c;" + Base64.encode(bytes) + "\u{07}"
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
}

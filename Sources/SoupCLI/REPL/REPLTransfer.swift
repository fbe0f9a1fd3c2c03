import ArgumentParser
import SoupCore
import SoupOutput
import SoupPlatform
import SoupTransfer

/// The REPL's data in and out: `\import`, psql's `\copy`, `\g`, `\gx` and `\clip`. What runs,
/// and in which transaction, is decided below (``ImportJob``, ``PsqlCopy``, ``InputRun``);
/// this reads the line and prints.
extension REPL {
    /// `\import FILE TABLE [options]`: `soup import` as one input of the session.
    mutating func importFile(_ argument: String) throws {
        let words = try ShellWords.split(argument)
        guard words.count >= 2 else { throw failure("usage: \\import FILE TABLE [options] (the options of soup import)") }
        let command: ImportCommand
        do {
            command = try ImportCommand.parse(["-", words[1], words[0]] + words.dropFirst(2))
        } catch {
            throw failure(ImportCommand.message(for: error))
        }
        try runImport(file: words[0], options: command.importOptions, encoding: command.encoding)
    }

    /// Runs one import in the session's transaction and shows its report.
    mutating func runImport(file: String, options: ImportOptions, encoding: ImportInput.Encoding) throws {
        var job = ImportJob(input: try ImportInput.open(file, encoding: encoding), options: options)
        let bar = ProgressBar(environment: environment)
        job.onProgress = { bar.show($0) }
        interrupts.reset()
        printer.sink = output.makeSink()
        let (outcome, report) = job.run(as: inputRun, router: bindings.router)
        bar.clear()
        output.deliver(printer.sink)
        guard let report else {
            if outcome != .succeeded { StandardError.line("soup: nothing was imported") }
            return
        }
        let note = options.dryRun || autocommit ? "" : "; pending until commit()"
        ImportCommand.print(report, options: options, verbose: false, pendingNote: note)
    }

    /// psql's `\copy`: `TABLE FROM 'FILE' …` imports, `(QUERY) TO 'FILE' …` and `TABLE TO
    /// 'FILE' …` write the rows to a file as CSV, or as COPY's text format (soup's tsv).
    mutating func copyCommand(_ argument: String) throws {
        let copy = try PsqlCopy(parsing: argument)
        if copy.isImport {
            try runImport(file: copy.file, options: copy.importOptions, encoding: .utf8)
        } else {
            try go(
                statement: copy.exportQuery, target: copy.file == "stdout" ? "" : copy.file, format: copy.csv ? .csv : .tsv,
                skipHeader: !copy.header)
        }
    }

    /// `\g [FILE|'|'COMMAND]`, `\gx`: the statement before it on the line, or else the last
    /// input (run again, so only one that only reads), to a file, a pipe or the screen, in the
    /// current format (`\gx`: expanded, once).
    mutating func go(statement: String?, target: String, format: OutputFormat? = nil, skipHeader: Bool = false) throws {
        let text = try statement ?? rerunnableLastInput()
        let saved = printer.printer
        defer { printer.printer = saved }
        let destination = target.trimmingWhitespace()
        var options = saved.options
        if let format { options.format = format }
        if destination.isEmpty {
            printer.printer = ResultPrinter(options: options)
            run(text, source: "input")
            return
        }
        options.useColor = false
        options.useStyles = false
        printer.printer = ResultPrinter(options: options)
        var process: ShellProcess?
        let fd: Int32
        if destination.hasPrefix("|") {
            guard let started = Terminal.startShell(String(destination.dropFirst()), pipingInput: true), let input = started.input else {
                throw failure("cannot run \(destination.dropFirst())")
            }
            process = started
            fd = input
        } else {
            do {
                fd = try FileDescriptor.open(destination, O_WRONLY | O_CREAT | O_TRUNC).rawValue
            } catch {
                throw failure("\(destination): \(error)")
            }
        }
        var skipping = skipHeader
        run(text, source: "input", into: OutputSink.passing { bytes in
            var bytes = bytes
            if skipping {
                guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                skipping = false
                bytes = UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...])
            }
            return Terminal.write(bytes, to: fd) ? nil : .brokenPipe
        })
        if let process {
            process.wait()
        } else {
            FileDescriptor(rawValue: fd).close()
        }
    }

    /// `\clip`: the last input's result, in the current format, to the terminal's clipboard
    /// through OSC 52 (which terminals honour over ssh; inside tmux it is passed through).
    mutating func clip() throws {
        let text = try rerunnableLastInput()
        let saved = printer.printer
        defer { printer.printer = saved }
        var options = saved.options
        options.useColor = false
        options.useStyles = false
        printer.printer = ResultPrinter(options: options)
        let collected = OutputSink.collecting()
        run(text, source: "input", into: collected)
        let bytes = Array(collected.collectedText.utf8)
        Terminal.write(Self.osc52(bytes, tmux: environment["TMUX"] != nil), to: 1)
        StandardError.line("copied \(bytes.count) bytes to the clipboard")
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
        guard let last = lastInput else { throw failure("there is no earlier input to show again") }
        guard InputRun.isRerunnable(last) else {
            throw failure("the last input may write, so it is not run again; put the statement on the same line: SELECT ... \\g FILE")
        }
        return last
    }
}

#if GNUReadline
    @preconcurrency import CReadline
#elseif LibEdit
    @preconcurrency import CEditLine
#endif
import SoupCore
import SoupDriver
import SoupPlatform

/// What reading one line from the terminal gave.
enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: the line was thrown away.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
}

/// Reads lines from the terminal with line editing, history and completion.
protocol LineReader {
    /// Shows `prompt` and reads one line of an input whose earlier lines are `preceding` (empty
    /// for its first line); nil reads a plain answer, without colours or suggestions.
    func readLine(prompt: String, continuing preceding: String?) -> LineInput
    /// Adds a complete input (perhaps several lines) to the history as one entry.
    func remember(_ entry: String)
    /// Colours and suggestions of the line being typed (`\color`, `\suggest`).
    var settings: TypingSettings { get nonmutating set }
    /// Whether the reader draws the line itself, so that colours and suggestions can show.
    var drawsLine: Bool { get }
}

extension LineReader {
    /// Reads a plain answer (`y` or `n`).
    func readLine(prompt: String) -> LineInput {
        readLine(prompt: prompt, continuing: nil)
    }
}

/// What completing at the cursor offers.
enum CompletionResult: Equatable {
    /// Candidates and what replaces the typed word.
    case completion(Completion)
    /// File names, for `\i` and `\o`.
    case fileNames
}

/// What the line editor asks while a line is typed. Both get the whole input so far (earlier
/// lines, a newline, the line being edited) and the cursor's UTF-8 offset in it.
struct TypingAssist {
    var complete: (_ text: String, _ cursor: Int) -> CompletionResult
    var highlight: (_ text: String, _ cursor: Int) -> [HighlightSpan]
}

/// How the line being typed looks: coloured or not, with suggestions from history or not.
struct TypingSettings: Equatable {
    var colors: Bool
    var suggestions: Bool
}

/// The REPL's line editor: GNU readline (libedit with the LibEdit trait).
///
/// Every call into the C library is in this file and in ReadlineDisplay.swift. Readline runs in
/// its callback mode, so the main thread waits on the terminal and two pipes: SIGINT and
/// SIGWINCH stay blocked and are received by ``InterruptMonitor``'s watcher thread, which writes
/// to the interrupt pipe while a prompt is up, and to the resize pipe whenever the terminal
/// changes size; the main thread then clears the line (Ctrl-C at the prompt) or tells readline
/// the new size, without any signal handler. With GNU readline on a terminal that takes cursor
/// movements, soup draws the line itself (colours, suggestions; see ``TypingDisplay``); libedit
/// has no such hook.
final class ReadlineReader: LineReader {
    private let interrupts: InterruptMonitor
    private let history: HistoryFile?
    private let interruptPipe: (read: Int32, write: Int32)
    private let resizePipe: (read: Int32, write: Int32)
    /// Whether soup draws the line itself (GNU readline, a capable terminal).
    let drawsLine: Bool

    /// Sets up readline; `assist` answers TAB and colours the line; `drawsLine` asks soup to
    /// draw the line itself (it does only with GNU readline).
    init(
        interrupts: InterruptMonitor, history: HistoryFile?, assist: TypingAssist, settings: TypingSettings,
        drawsLine: Bool
    ) {
        self.interrupts = interrupts
        self.history = history
        interruptPipe = Self.makePipe()
        resizePipe = Self.makePipe()
        let resizeWrite = resizePipe.write
        interrupts.onResize {
            var byte: UInt8 = 1
            _ = write(resizeWrite, &byte, 1)
        }
        ReadlineBridge.assist = assist
        rl_readline_name = UnsafePointer(strdup("soup"))
        rl_catch_signals = 0
        // The candidates come ranked and without duplicates; readline must not re-sort them
        // or work out their common start again (which would shorten `Tr` to `T`).
        rl_sort_completion_matches = 0
        rl_ignore_completion_duplicates = 0
        #if GNUReadline
            rl_catch_sigwinch = 0
            rl_completer_word_break_characters = UnsafePointer(strdup(Self.wordBreaks))
            // A quote that ends readline's word would be added after a single match, as bash
            // closes a quoted word; soup's candidates say where quotes go (`'name': `).
            rl_basic_quote_characters = UnsafePointer(strdup(""))
            self.drawsLine = drawsLine
        #else
            // libedit splits words by the basic set when completing.
            rl_basic_word_break_characters = UnsafePointer(strdup(Self.wordBreaks))
            rl_completer_word_break_characters = strdup(Self.wordBreaks)
            // libedit stops editing (and reading, in callback mode) when its output is not a
            // terminal: with standard output redirected, it edits on the terminal itself.
            if isatty(1) == 0, let terminal = fopen("/dev/tty", "w") { rl_outstream = terminal }
            self.drawsLine = false
        #endif
        rl_attempted_completion_function = ReadlineBridge.attemptCompletion
        let entries = history?.load() ?? []
        for entry in entries {
            add_history(entry)
        }
        #if GNUReadline
            TypingDisplay.history = HistorySuggestions(entries)
            TypingDisplay.settings = settings
            TypingDisplay.highlight = assist.highlight
            if self.drawsLine { TypingDisplay.install() }
        #endif
    }

    /// A pipe whose ends close on exec and whose reading end never blocks (nor, when it fills,
    /// does the writing end: a resize that finds it full is already announced).
    private static func makePipe() -> (read: Int32, write: Int32) {
        guard let (read, write) = try? FileDescriptor.makePipe() else { return (-1, -1) }
        for fd in [read.rawValue, write.rawValue] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return (read.rawValue, write.rawValue)
    }

    /// Whether the terminal was resized since the last call; empties the resize pipe.
    private func takeResize() -> Bool {
        var byte: UInt8 = 0
        var resized = false
        while read(resizePipe.read, &byte, 1) > 0 { resized = true }
        return resized
    }

    /// Characters that end the word readline hands to completion. soup works out the word
    /// itself (a name, a meta command with its `\`, a quoted SQL name with its `"`); readline's
    /// word must contain it, so none of a name's characters, `\` or `"` is here.
    private static let wordBreaks = " \t\n'`@$><=;|&{}(),[]+-*/%~!:.#?^"

    /// Colours and suggestions, switched by `\color` and `\suggest`.
    var settings: TypingSettings {
        get {
            #if GNUReadline
                TypingDisplay.settings
            #else
                TypingSettings(colors: false, suggestions: false)
            #endif
        }
        set {
            #if GNUReadline
                TypingDisplay.settings = newValue
            #endif
        }
    }

    func readLine(prompt: String, continuing preceding: String?) -> LineInput {
        ReadlineBridge.result = nil
        ReadlineBridge.preceding = preceding
        #if GNUReadline
            TypingDisplay.preceding = preceding
        #endif
        defer { interrupts.reset() }
        // Ctrl-C goes to the pipe from before the prompt shows, so none is lost.
        return interrupts.whileRunning(PromptInterrupt(pipe: interruptPipe.write)) {
            // A resize while a statement ran: readline learns the size before drawing the prompt.
            if takeResize() { Self.readTerminalSize(redrawing: false) }
            rl_callback_handler_install(prompt, ReadlineBridge.lineRead)
            while true {
                var polls = [
                    pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: interruptPipe.read, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: resizePipe.read, events: Int16(POLLIN), revents: 0),
                ]
                if retryingInterrupted({ poll(&polls, 3, -1) }) < 0 {
                    rl_callback_handler_remove()
                    return .endOfInput
                }
                if polls[1].revents != 0 {
                    var byte: UInt8 = 0
                    while read(interruptPipe.read, &byte, 1) > 0 {}
                    clearLine()
                    return .interrupted
                }
                if polls[2].revents != 0, takeResize() {
                    Self.readTerminalSize(redrawing: true)
                }
                if polls[0].revents != 0 {
                    rl_callback_read_char()
                    if let result = ReadlineBridge.result { return result }
                }
            }
        }
    }

    /// Tells readline the terminal's new size; `redrawing` redraws the line being edited.
    private static func readTerminalSize(redrawing: Bool) {
        #if GNUReadline
            if redrawing { rl_resize_terminal() } else { rl_reset_screen_size() }
        #else
            rl_resize_terminal()  // libedit's re-reads the size and redraws nothing
        #endif
    }

    /// Ctrl-C at the prompt: drops the line and its undo state, and leaves the cursor on a
    /// fresh line.
    private func clearLine() {
        rl_free_line_state()
        #if GNUReadline
            rl_callback_sigcleanup()
            // Without the suggestion, and after the whole line (it may take several rows).
            if drawsLine { TypingDisplay.drawFinal(line: nil) }
        #endif
        rl_replace_line("", 0)
        rl_callback_handler_remove()
        Terminal.write("^C\n", to: 1)
    }

    func remember(_ entry: String) {
        add_history(entry)
        history?.append(entry)
        #if GNUReadline
            TypingDisplay.history.add(entry)
        #endif
    }
}

/// Writes to the interrupt pipe when Ctrl-C comes while a prompt is up.
private struct PromptInterrupt: Canceller {
    let pipe: Int32

    func cancel() {
        var byte: UInt8 = 3
        _ = write(pipe, &byte, 1)
    }
}

/// Global state for readline's callbacks, which are C function pointers without a context.
/// Only the main thread touches it.
enum ReadlineBridge {
    nonisolated(unsafe) static var result: LineInput?
    nonisolated(unsafe) static var assist: TypingAssist?
    /// The earlier lines of the input being read; nil for a plain answer.
    nonisolated(unsafe) static var preceding: String?
    /// The candidates of the last completion by their text, to mark them in the list.
    nonisolated(unsafe) static var candidates: [String: CompletionCandidate] = [:]

    /// Called by readline with the finished line (`nil` at end of input).
    static let lineRead: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
        if let line {
            let text = String(cString: line)
            #if GNUReadline
                if TypingDisplay.isInstalled { TypingDisplay.drawFinal(line: Array(text.utf8)) }
            #endif
            result = .line(text)
            free(line)
        } else {
            result = .endOfInput
        }
        rl_callback_handler_remove()
    }

    /// TAB: the candidates soup works out for the whole input at the cursor. Readline's own
    /// word starts at `start`; soup's word is the end of it, and the text between stays.
    static let attemptCompletion:
        @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = {
            _, start, _ in
            rl_attempted_completion_over = 1
            guard let assist, let buffer = rl_line_buffer else { return nil }
            let line = Array(UnsafeRawBufferPointer(start: buffer, count: Int(rl_end)))
            let point = min(Int(rl_point), line.count)
            let head = (preceding ?? "").isEmpty ? [] : Array((preceding ?? "").utf8) + [UInt8(ascii: "\n")]
            let text = String(decoding: head + line, as: UTF8.self)
            switch assist.complete(text, head.count + point) {
            case .fileNames:
                rl_attempted_completion_over = 0
                return nil
            case .completion(let completion):
                let wordStart = completion.word.lowerBound - head.count
                let start = Int(start)
                guard !completion.candidates.isEmpty, start <= wordStart, wordStart <= point else { return nil }
                candidates = Dictionary(completion.candidates.map { ($0.text, $0) }) { first, _ in first }
                rl_completion_append_character = completion.appendsSpace ? 32 : 0
                let kept = String(decoding: line[start..<wordStart], as: UTF8.self)
                var words = [kept + completion.replacement]
                if completion.candidates.count > 1 { words += completion.candidates.map(\.text) }
                return cStrings(words)
            }
        }

    /// A NULL-terminated array of `malloc`ed strings, which readline frees.
    private static func cStrings(_ words: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = malloc((words.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)!
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: words.count + 1)
        for (index, word) in words.enumerated() { array[index] = strdup(word) }
        array[words.count] = nil
        return array
    }
}

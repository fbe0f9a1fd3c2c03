#if GNUReadline
    @preconcurrency import CReadline
#elseif LibEdit
    @preconcurrency import CEditLine
#endif
import SoupDriver

#if canImport(Glibc)
    import Glibc
#endif

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
    /// Shows `prompt` and reads one line.
    func readLine(prompt: String) -> LineInput
    /// Adds a complete input (perhaps several lines) to the history as one entry.
    func remember(_ entry: String)
}

/// What completing the word before the cursor offers.
enum CompletionResult: Equatable {
    /// These words; `appendSpace` adds a space after a single match.
    case words([String], appendSpace: Bool)
    /// File names, for `\i` and `\o`.
    case fileNames
}

/// The line being completed: the text on the current line before the word, and the word.
struct CompletionRequest: Equatable {
    var before: String
    var word: String
}

/// The REPL's line editor: GNU readline (libedit with the LibEdit trait).
///
/// Every call into the C library is in this file. Readline runs in its callback mode, so the
/// main thread waits on the terminal and two pipes: SIGINT and SIGWINCH stay blocked and are
/// received by ``InterruptMonitor``'s watcher thread, which writes to the interrupt pipe while
/// a prompt is up, and to the resize pipe whenever the terminal changes size; the main thread
/// then clears the line (Ctrl-C at the prompt) or tells readline the new size, without any
/// signal handler.
final class ReadlineReader: LineReader {
    private let interrupts: InterruptMonitor
    private let history: HistoryFile?
    private let interruptPipe: (read: Int32, write: Int32)
    private let resizePipe: (read: Int32, write: Int32)

    /// Sets up readline; `complete` answers TAB.
    init(
        interrupts: InterruptMonitor, history: HistoryFile?,
        complete: @escaping (CompletionRequest) -> CompletionResult
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
        ReadlineBridge.complete = complete
        rl_readline_name = UnsafePointer(strdup("soup"))
        rl_catch_signals = 0
        #if GNUReadline
            rl_catch_sigwinch = 0
            rl_completer_word_break_characters = UnsafePointer(strdup(Self.wordBreaks))
        #else
            // libedit splits words by the basic set when completing.
            rl_basic_word_break_characters = UnsafePointer(strdup(Self.wordBreaks))
            rl_completer_word_break_characters = strdup(Self.wordBreaks)
            // libedit stops editing (and reading, in callback mode) when its output is not a
            // terminal: with standard output redirected, it edits on the terminal itself.
            if isatty(1) == 0, let terminal = fopen("/dev/tty", "w") { rl_outstream = terminal }
        #endif
        rl_attempted_completion_function = ReadlineBridge.attemptCompletion
        for entry in history?.load() ?? [] {
            add_history(entry)
        }
    }

    /// A pipe whose ends close on exec and whose reading end never blocks (nor, when it fills,
    /// does the writing end: a resize that finds it full is already announced).
    private static func makePipe() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return (fds[0], fds[1])
    }

    /// Whether the terminal was resized since the last call; empties the resize pipe.
    private func takeResize() -> Bool {
        var byte: UInt8 = 0
        var resized = false
        while read(resizePipe.read, &byte, 1) > 0 { resized = true }
        return resized
    }

    /// Characters that end the word being completed: `.` splits `users.na` so that `na` is
    /// completed; `\` does not split, so meta commands complete whole.
    private static let wordBreaks = " \t\n\"'`@$><=;|&{}(),[]+-*/%~!:."

    func readLine(prompt: String) -> LineInput {
        ReadlineBridge.result = nil
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
                if poll(&polls, 3, -1) < 0 {
                    if errno == EINTR { continue }
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
        #endif
        rl_replace_line("", 0)
        rl_callback_handler_remove()
        Terminal.write("^C\n", to: 1)
    }

    func remember(_ entry: String) {
        add_history(entry)
        history?.append(entry)
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
private enum ReadlineBridge {
    nonisolated(unsafe) static var result: LineInput?
    nonisolated(unsafe) static var complete: ((CompletionRequest) -> CompletionResult)?
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var nextCandidate = 0

    /// Called by readline with the finished line (`nil` at end of input).
    static let lineRead: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
        if let line {
            result = .line(String(cString: line))
            free(line)
        } else {
            result = .endOfInput
        }
        rl_callback_handler_remove()
    }

    static let attemptCompletion:
        @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = {
            text, start, _ in
            rl_attempted_completion_over = 1
            guard let text, let complete, let buffer = rl_line_buffer else { return nil }
            let lineBytes = UnsafeRawBufferPointer(start: buffer, count: Int(start))
            let request = CompletionRequest(
                before: String(decoding: lineBytes, as: UTF8.self), word: String(cString: text))
            switch complete(request) {
            case .fileNames:
                rl_attempted_completion_over = 0
                return nil
            case .words(let words, let appendSpace):
                candidates = words
                nextCandidate = 0
                rl_completion_append_character = appendSpace ? 32 : 0
                return rl_completion_matches(text, nextMatch)
            }
        }

    /// Hands readline the candidates one by one, as `strdup`ed strings that it frees.
    static let nextMatch: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = {
        _, state in
        if state == 0 { nextCandidate = 0 }
        guard nextCandidate < candidates.count else { return nil }
        defer { nextCandidate += 1 }
        return strdup(candidates[nextCandidate])
    }
}

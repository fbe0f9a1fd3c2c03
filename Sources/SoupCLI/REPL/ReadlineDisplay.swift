#if GNUReadline
    @preconcurrency import CReadline
    import SoupCore
    import SoupOutput
    import SoupPlatform

    /// soup's drawing of the line being edited, through readline's redisplay hook: the prompt
    /// and the line, coloured (``InputAssistant/highlight(_:cursor:)``), with the suggestion
    /// from history after the cursor, laid out by ``LineRenderer``.
    ///
    /// Readline still does all the editing; it calls ``redisplay`` whenever the line, the cursor
    /// or the prompt changes (Ctrl-R shows its search prompt through `rl_display_prompt`, vi
    /// mode its mode string when `show-mode-in-prompt` is on). The whole line is drawn again from
    /// its first row each time, and readline's record of the cursor row and column is kept
    /// current (see CReadline's shim), so its own moves (listing completions, Ctrl-L) agree.
    /// When readline starts a fresh line it sets that record to 0, and soup draws from there.
    enum TypingDisplay {
        nonisolated(unsafe) static var settings = TypingSettings(colors: false, suggestions: false)
        nonisolated(unsafe) static var history = HistorySuggestions()
        nonisolated(unsafe) static var highlight: ((String, Int) -> [HighlightSpan])?
        /// The earlier lines of the input; nil for a plain answer, drawn without assistance.
        nonisolated(unsafe) static var preceding: String?
        /// The suggestion on the screen now, which → accepts.
        nonisolated(unsafe) static var shownSuggestion: String?
        nonisolated(unsafe) static var isInstalled = false

        static func install() {
            isInstalled = true
            rl_initialize()
            rl_redisplay_function = redisplay
            rl_completion_display_matches_hook = displayMatches
            bindSuggestionKeys()
        }

        static let redisplay: @convention(c) () -> Void = { draw(final: false, line: nil) }

        /// Draws the line as it is accepted (`line`, then a new line) or left (Ctrl-C, a list of
        /// completions): without the suggestion, the cursor after its end.
        static func drawFinal(line: [UInt8]?) {
            draw(final: true, line: line)
            // As readline ends a line: the terminal, back in its normal mode, adds the CR.
            if line != nil { write(Array("\n".utf8)[...]) }
        }

        // MARK: Drawing

        private static func draw(final: Bool, line override: [UInt8]?) {
            let line = override ?? currentLine()
            let point = final ? line.count : min(Int(rl_point), line.count)
            let assisted = preceding != nil
            let head = (preceding ?? "").isEmpty ? "" : (preceding ?? "") + "\n"
            var spans: [HighlightSpan] = []
            if settings.colors, assisted, let highlight {
                let offset = head.utf8.count
                spans = highlight(head + String(decoding: line, as: UTF8.self), offset + point).compactMap { span in
                    guard span.range.upperBound > offset else { return nil }
                    return HighlightSpan(max(span.range.lowerBound - offset, 0)..<(span.range.upperBound - offset), span.style)
                }
            }
            var suggestion: String?
            let searching = rl_readline_state & UInt(RL_STATE_ISEARCH | RL_STATE_NSEARCH) != 0
            if settings.suggestions, assisted, !final, !searching, point == line.count, !line.isEmpty {
                suggestion = history.suggestion(completing: head + String(decoding: line, as: UTF8.self))
            }
            shownSuggestion = suggestion
            let palette = settings.colors && assisted ? Palette() : nil
            let pieces = spans.compactMap { span in palette?.sgr(span.style).map { LineRenderer.Piece(span.range, $0) } }
            let frame = LineRenderer.render(
                LineRenderer.Input(
                    prompt: prompt(), line: line, cursor: point, pieces: pieces, suggestion: suggestion,
                    suggestionStyle: palette?.suggestion ?? Palette.faint, width: width()))
            var out = Array("\u{1B}[?25l".utf8)
            if _rl_last_v_pos > 0 { out += Array("\u{1B}[\(_rl_last_v_pos)A".utf8) }
            if _rl_last_v_pos > 0 || _rl_last_c_pos > 0 { out.append(UInt8(ascii: "\r")) }
            out += frame.bytes
            if !final {
                let up = frame.endRow - frame.cursorRow
                if up > 0 { out += Array("\u{1B}[\(up)A".utf8) }
                out.append(UInt8(ascii: "\r"))
                if frame.cursorColumn > 0 { out += Array("\u{1B}[\(frame.cursorColumn)C".utf8) }
            }
            out += Array("\u{1B}[?25h".utf8)
            write(out[...])
            _rl_last_v_pos = Int32(final ? frame.endRow : frame.cursorRow)
            _rl_last_c_pos = Int32(final ? frame.endColumn : frame.cursorColumn)
            _rl_vis_botlin = Int32(frame.endRow)
        }

        private static func currentLine() -> [UInt8] {
            guard let buffer = rl_line_buffer, rl_end > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: buffer, count: Int(rl_end)))
        }

        /// The prompt readline shows now (a search prompt during Ctrl-R), with vi's or emacs's
        /// mode string in front when `show-mode-in-prompt` is on.
        private static func prompt() -> String {
            guard let shown = rl_display_prompt else { return "" }
            var prompt = String(cString: shown)
            if shown == rl_prompt, let show = rl_variable_value("show-mode-in-prompt"), String(cString: show) == "on" {
                let variable =
                    rl_editing_mode == 1
                    ? "emacs-mode-string" : rl_get_keymap() == rl_get_keymap_by_name("vi-insert") ? "vi-ins-mode-string" : "vi-cmd-mode-string"
                if let mode = rl_variable_value(variable) { prompt = String(cString: mode) + prompt }
            }
            return prompt
        }

        private static var outputDescriptor: Int32 {
            rl_outstream.map { fileno($0) } ?? 1
        }

        /// The terminal's width now, so that a resize shows at the next keystroke.
        private static func width() -> Int {
            var size = winsize()
            if ioctl(outputDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
            var rows: Int32 = 0
            var columns: Int32 = 0
            rl_get_screen_size(&rows, &columns)
            return columns > 0 ? Int(columns) : 80
        }

        private static func height() -> Int {
            var size = winsize()
            if ioctl(outputDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
            return 24
        }

        private static func write(_ bytes: ArraySlice<UInt8>) {
            if let stream = rl_outstream { fflush(stream) }
            bytes.withUnsafeBytes { _ = Terminal.write($0, to: outputDescriptor) }
        }

        // MARK: Completion list

        /// The second TAB's list, each candidate marked; readline has moved to the last row.
        static let displayMatches: @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, Int32, Int32) -> Void = {
            matches, count, _ in
            guard let matches, count > 0 else { return }
            let shown = (1...Int(count)).compactMap { index in
                matches[index].map { text in
                    let word = String(cString: text)
                    return ReadlineBridge.candidates[word] ?? CompletionCandidate(word, kind: .value)
                }
            }
            let listing = CompletionListing.render(shown, width: width(), height: height(), colors: settings.colors)
            drawFinal(line: nil)
            write(Array(("\r\n" + listing).utf8)[...])
            rl_forced_update_display()
        }

        // MARK: Keys

        /// → (and Ctrl-F), End and Alt-→ (and Alt-F) accept the suggestion, or a word of it,
        /// at the end of the line, and move as before elsewhere. Every key bound to
        /// forward-char, end-of-line or forward-word in the emacs and vi insert keymaps
        /// (`~/.inputrc` included) is rebound; Alt-→ (`ESC[1;3C`) is bound when free.
        private static func bindSuggestionKeys() {
            let replacements: [(String, ReadlineCommand)] = [
                ("forward-char", acceptOrForwardChar), ("end-of-line", acceptOrEndOfLine),
                ("forward-word", acceptWordOrForwardWord),
            ]
            for name in ["emacs-standard", "vi-insert"] {
                guard let keymap = rl_get_keymap_by_name(name) else { continue }
                for (function, replacement) in replacements {
                    guard let original = rl_named_function(function) else { continue }
                    var visited: Set<UnsafeMutableRawPointer> = []
                    rebind(
                        in: keymap, unsafeBitCast(original, to: UnsafeRawPointer.self),
                        to: unsafeBitCast(replacement, to: UnsafeRawPointer.self), visited: &visited)
                }
                let acceptWord: ReadlineCommand = acceptWordOrForwardWord
                rl_bind_keyseq_if_unbound_in_map("\\e[1;3C", acceptWord, keymap)
            }
        }

        private static func rebind(
            in keymap: Keymap, _ original: UnsafeRawPointer, to replacement: UnsafeRawPointer,
            visited: inout Set<UnsafeMutableRawPointer>
        ) {
            guard visited.insert(UnsafeMutableRawPointer(keymap)).inserted else { return }
            for key in 0..<Int(KEYMAP_SIZE) {
                let entry = keymap[key]
                guard let function = entry.function else { continue }
                if entry.type == CChar(ISKMAP) {
                    rebind(in: unsafeBitCast(function, to: Keymap.self), original, to: replacement, visited: &visited)
                } else if entry.type == CChar(ISFUNC), unsafeBitCast(function, to: UnsafeRawPointer.self) == original {
                    keymap[key].function = unsafeBitCast(replacement, to: ReadlineCommand.self)
                }
            }
        }

        /// Inserts the suggestion (or its next word) when the cursor is at the end of the line.
        static func acceptSuggestion(wordOnly: Bool) -> Bool {
            guard let suggestion = shownSuggestion, rl_point == rl_end else { return false }
            let accepted = wordOnly ? HistorySuggestions.firstWord(of: suggestion) : suggestion
            guard !accepted.isEmpty else { return false }
            rl_insert_text(accepted)
            return true
        }
    }

    /// A readline command: a C function of the repeat count and the key.
    private typealias ReadlineCommand = @convention(c) (Int32, Int32) -> Int32

    /// → and Ctrl-F: the suggestion at the end of the line, else forward-char.
    private func acceptOrForwardChar(_ count: Int32, _ key: Int32) -> Int32 {
        TypingDisplay.acceptSuggestion(wordOnly: false) ? 0 : rl_forward_char(count, key)
    }

    /// End: the suggestion at the end of the line, else end-of-line.
    private func acceptOrEndOfLine(_ count: Int32, _ key: Int32) -> Int32 {
        TypingDisplay.acceptSuggestion(wordOnly: false) ? 0 : rl_end_of_line(count, key)
    }

    /// Alt-→ and Alt-F: a word of the suggestion at the end of the line, else forward-word.
    private func acceptWordOrForwardWord(_ count: Int32, _ key: Int32) -> Int32 {
        TypingDisplay.acceptSuggestion(wordOnly: true) ? 0 : rl_forward_word(count, key)
    }
#endif

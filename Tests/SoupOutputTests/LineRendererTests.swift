import SoupOutput
import Testing

/// The layout of the line being typed: rows, wide characters, the cursor, colours, suggestions.
@Suite struct LineRendererTests {
    @Test("the line is laid out across rows: wide characters never split, the cursor where it belongs")
    func layout() {
        var input = LineRenderer.Input(prompt: "soup:t> ", line: Array("名前名前名前".utf8), cursor: 6, width: 12)
        var frame = LineRenderer.render(input)
        // "soup:t> " takes 8 columns, 名前 4 more; 名 does not fit at column 12 and wraps.
        #expect(frame.endRow == 1)
        #expect((frame.cursorRow, frame.cursorColumn) == (1, 0))
        input.cursor = 18
        frame = LineRenderer.render(input)
        #expect((frame.cursorRow, frame.cursorColumn) == (1, 8))
        // A line that ends exactly at the right edge: the cursor after it starts the next row.
        input.line = Array("名前名前名前名前".utf8)
        input.cursor = input.line.count
        frame = LineRenderer.render(input)
        #expect((frame.cursorRow, frame.cursorColumn, frame.endRow) == (2, 0, 2))
        // 前 would start in the last column: it goes to the next row whole, the column is cleared.
        input.line = Array("a名前".utf8)
        input.cursor = input.line.count
        frame = LineRenderer.render(input)
        #expect(String(decoding: frame.bytes, as: UTF8.self) == "soup:t> a名\u{1B}[K\r\n前\u{1B}[J")
        #expect((frame.cursorRow, frame.cursorColumn) == (1, 2))
    }

    @Test("a newline starts a row with the continuation prompt; pieces and the suggestion are coloured")
    func styles() {
        var input = LineRenderer.Input(prompt: "soup:t> ", line: Array("a\nbc".utf8), cursor: 3, pieces: [.init(2..<4, "32")], width: 12)
        var frame = LineRenderer.render(input)
        #expect(String(decoding: frame.bytes, as: UTF8.self) == "soup:t> a\u{1B}[K\r\n...> \u{1B}[32mbc\u{1B}[0m\u{1B}[J")
        #expect((frame.cursorRow, frame.cursorColumn) == (1, 6))
        input.cursor = 4
        input.suggestion = "d\ne"
        input.suggestionStyle = "90"
        frame = LineRenderer.render(input)
        #expect(
            String(decoding: frame.bytes, as: UTF8.self)
                == "soup:t> a\u{1B}[K\r\n...> \u{1B}[32mbc\u{1B}[0m\u{1B}[90md\u{1B}[0m\u{1B}[K\r\n\u{1B}[90m...> e\u{1B}[0m\u{1B}[J")
        #expect((frame.cursorRow, frame.cursorColumn, frame.endRow) == (1, 7, 2))
        // Control characters show as ^X, a tab up to the next stop of 8; the prompt's \u{1}…\u{2} take no room.
        input = LineRenderer.Input(prompt: "\u{1}\u{1B}[1m\u{2}>\u{1}\u{1B}[0m\u{2} ", line: Array("\u{7}\tx".utf8), cursor: 3, width: 40)
        frame = LineRenderer.render(input)
        #expect(String(decoding: frame.bytes, as: UTF8.self) == "\u{1B}[1m>\u{1B}[0m ^G    x\u{1B}[J")
        #expect(frame.cursorColumn == 9)
    }
}

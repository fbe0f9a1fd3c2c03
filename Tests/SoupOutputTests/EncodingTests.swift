@testable import SoupOutput
import Foundation
import SoupDriver
import SoupTestSupport
import Testing

/// The byte encoders the fast formats are built on.
@Suite struct EncodingTests {
    /// The fast formats' byte encoder of reals against `Value.format(real:)`, which
    /// `ValueRoundTripTests` checks against the server's float8out; and every finite value's
    /// bytes read back to the same double. Seeded, so a failure replays.
    @Test func realBytesMatchValueFormatAndReadBack() {
        var generator = SeededRandom(seed: FuzzSettings.seed &+ 0xE4C)
        var samples: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.5, 12.25, 100, 1e14, 99999999999999.9, 1e15, 1e16, 123456789012345,
            1234567890123456, 0.0001, 0.00012, 0.000099, 1e-5, 1.5e-7, .leastNonzeroMagnitude, 1e308,
            .greatestFiniteMagnitude, .leastNormalMagnitude, .pi, -.pi, 1.0 / 3, 2.0 / 3, 0.3, 1e22,
            1e23, 9007199254740992, 4.35, 0.07, 1234.5678, .nan, .infinity, -.infinity,
        ]
        for _ in 0..<20_000 {
            samples.append(Double(bitPattern: generator.next()))
            samples.append(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 100)
            samples.append(Double.random(in: -1e6...1e6, using: &generator))
            samples.append(Double(Float.random(in: 0...1000, using: &generator)))
        }
        for value in samples {
            var bytes: [UInt8] = []
            bytes.append(real: value)
            let fast = String(decoding: bytes, as: UTF8.self)
            if fast != Value.format(real: value) {
                Issue.record("\(value.bitPattern): \(fast) != \(Value.format(real: value))")
                return
            }
            if value.isFinite, Double(fast)?.bitPattern != value.bitPattern {
                Issue.record("\(value.bitPattern): \(fast) reads back as \(String(describing: Double(fast)))")
                return
            }
        }
    }

    @Test(arguments: [Int64.min, .max, 0, 7, -7, 10, 1_000_000, -999])
    func decimals(value: Int64) {
        var bytes: [UInt8] = []
        bytes.append(decimal: value)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }

    @Test func base64MatchesFoundation() {
        for length in 0..<40 {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            var bytes: [UInt8] = []
            bytes.append(base64: data)
            #expect(String(decoding: bytes, as: UTF8.self) == Data(data).base64EncodedString())
        }
    }

    @Test func jsonStringsEscapeEveryControlCharacter() {
        var bytes: [UInt8] = []
        bytes.append(jsonString: "a\"b\\c\u{0}\u{1f}\u{7f}\u{80}\u{9f}\u{a0}é\u{2028}")
        #expect(String(decoding: bytes, as: UTF8.self)
            == #""a\"b\\c\u0000\u001f\u007f\u0080\u009f"# + "\u{a0}é\u{2028}\"")
    }

    @Test func repeatedColumnNamesGetTheFirstFreeSuffix() {
        #expect(JSONWriter.uniqueKeys(["a", "a", "a"]) == ["a", "a_2", "a_3"])
        #expect(JSONWriter.uniqueKeys(["a", "a", "a_2"]) == ["a", "a_3", "a_2"])
        #expect(JSONWriter.uniqueKeys(["id", "name"]) == ["id", "name"])
    }

    /// The word-at-a-time scan finds a special byte at every offset, in the head or the tail.
    @Test(arguments: [",", "\"", "\n", "\r"])
    func csvQuotesASpecialCharacterAnywhere(special: String) throws {
        for length in 1...19 {
            for position in 0..<length {
                var characters = Array(repeating: "x", count: length)
                characters[position] = special
                let field = characters.joined()
                let sink = OutputSink.collecting()
                try ResultPrinter(options: OutputOptions(format: .csv)).print(value: .text(field), to: sink)
                let quoted = "\"" + field.replacing("\"", with: "\"\"") + "\"\n"
                #expect(sink.collectedText == quoted)
            }
            let plain = String(repeating: "é", count: length)
            let sink = OutputSink.collecting()
            try ResultPrinter(options: OutputOptions(format: .csv)).print(value: .text(plain), to: sink)
            #expect(sink.collectedText == plain + "\n")
        }
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("中文") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("☕\u{fe0f}") == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 6)
        #expect(DisplayWidth.of("\u{ad}") == 1)
        #expect(DisplayWidth.of("\u{200b}") == 0)
        #expect(DisplayWidth.of("한\u{1161}") == 2)
        #expect(DisplayWidth.of("ｱＡ") == 3)
        #expect(DisplayWidth.of("שלום") == 4)
    }

    @Test func cellsShowControlCharactersLikePsql() {
        let cell = DisplayCell(formatting: "a\tb\r\n\u{1}中")
        #expect(cell.lineCount == 2)
        #expect(cell.first.text == "a       b\\r")
        #expect(cell.first.width == 11)
        #expect(cell.line(1)?.text == "\\x01中")
        #expect(cell.line(1)?.width == 6)
    }

    /// The all-printable check reads eight bytes at a time: a control character, DEL or a
    /// non-ASCII byte is caught in any position of a long value.
    @Test func longValuesWithOneUnprintableByteAreEscaped() {
        let plain = "abcdefghijklmnopqrstuvwxyz ~!"
        #expect(DisplayCell(formatting: plain).first.text == plain)
        for position in [0, 7, 8, 15, 23, 28] {
            for (byte, shown) in [("\u{1f}", "\\x1F"), ("\u{7f}", "\\x7F"), ("é", "é")] {
                var characters = Array(plain)
                characters[position] = Character(byte)
                let cell = DisplayCell(formatting: String(characters))
                var expected = Array(plain).map(String.init)
                expected[position] = shown
                #expect(cell.first.text == expected.joined(), "\(position) \(shown)")
                #expect(cell.first.width == expected.joined().count, "\(position) \(shown)")
            }
        }
    }
}

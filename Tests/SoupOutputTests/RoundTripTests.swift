import Foundation
import SoupDriver
import SoupOutput
import Testing

/// Machine-readable formats read back to exactly what was printed.
@Suite struct RoundTripTests {
    // MARK: JSON

    @Test func jsonParsesWithTheRightTypes() throws {
        let text = try Fixtures.hostile.printed(OutputOptions(format: .json))
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let objects = try #require(parsed as? [[String: Any]])
        #expect(objects.count == Fixtures.hostileValues.count)
        var byKind: [String: Any] = [:]
        for object in objects {
            #expect(Set(object.keys) == ["kind", "value"])
            byKind[try #require(object["kind"] as? String)] = object["value"]
        }
        #expect(byKind["null"] is NSNull)
        #expect(byKind["empty string"] as? String == "")
        #expect(byKind["quotes"] as? String == #"it's "quoted""#)
        #expect(byKind["crlf"] as? String == "line 1\r\nline 2")
        #expect(byKind["controls"] as? String == "bell\u{7} nul\u{0} esc\u{1B} c1\u{85}")
        #expect(byKind["zwj emoji"] as? String == "👨‍👩‍👧 family")
        #expect(byKind["combining"] as? String == "e\u{301}te\u{301}")
        #expect((byKind["max real"] as? NSNumber)?.doubleValue == 1e308)
        #expect((byKind["real"] as? NSNumber)?.doubleValue == 12.25)
        #expect((byKind["small real"] as? NSNumber)?.doubleValue == 1.5e-7)
        #expect((byKind["negative zero"] as? NSNumber)?.doubleValue == 0)
        #expect(byKind["nan"] as? String == "NaN")
        #expect(byKind["infinity"] as? String == "-Infinity")
        #expect((byKind["integer"] as? NSNumber)?.int64Value == .min)
        #expect(byKind["numeric 40 digits"] as? String == "1234567890123456789012345678901234567890")
        #expect(byKind["numeric fraction"] as? String == "-0.000100")
        #expect(byKind["bool"] as? Bool == true)
        let blob = try #require(byKind["blob"] as? String)
        #expect(Data(base64Encoded: blob) == Data([0x00, 0xff, 0x00, 0x41, 0x0a]))
        #expect(byKind["empty blob"] as? String == "")
        #expect(byKind["date"] as? String == "2024-02-29")
        #expect(byKind["timestamp"] as? String == "2024-01-02T03:04:05.123456")
        #expect(byKind["timestamptz"] as? String == "2024-01-02T03:04:05+00:00")
        #expect(byKind["interval"] as? String == "1 year 2 mons -3 days +04:05:06")
        #expect(byKind["uuid"] as? String == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        let json = try #require(byKind["json"] as? [String: Any])
        #expect(json["b"] as? String == "x y\n")
        let nested = try #require(json["a"] as? [Any])
        #expect((nested[0] as? NSNumber)?.intValue == 1)
        #expect((nested[1] as? [Any])?.last is NSNull)
        let array = try #require(byKind["array"] as? [Any])
        #expect(array.count == 5)
        #expect(array[1] is NSNull)
        #expect(array[2] as? String == #"say "hi""#)
        let nestedArray = try #require(byKind["nested array"] as? [[Any]])
        #expect(nestedArray[1][0] is NSNull)
        #expect(byKind["other"] as? String == "(1.5,2)")
    }

    @Test func jsonKeepsRepeatedColumnsUnderSuffixedKeys() throws {
        let text = try Fixtures.typed.printed(OutputOptions(format: .json))
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["name_2"] as? String } == ["A", "B", nil, "D"])
        #expect(objects[2]["name_2"] is NSNull)
        #expect(objects[1]["price"] as? String == "-3.5")
    }

    @Test(arguments: [Fixtures.hostile, Fixtures.typed, Fixtures.empty])
    func jsonLinesParseOneObjectPerLine(fixture: Fixture) throws {
        let text = try fixture.printed(OutputOptions(format: .jsonl))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        #expect(lines.count == fixture.rows.count + 1)
        for line in lines.dropLast() {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
    }

    @Test func emptyJSONResultIsAnEmptyArray() throws {
        let text = try Fixtures.empty.printed(OutputOptions(format: .json))
        #expect(text == "[]\n")
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] != nil)
    }

    @Test(arguments: Fixtures.hostileValues.map(\.value))
    func everyScalarIsOneJSONDocument(value: Value) throws {
        let sink = OutputSink.collecting()
        try ResultPrinter(options: OutputOptions(format: .json)).print(value: value, to: sink)
        let text = sink.collectedText
        #expect(text.hasSuffix("\n"))
        #expect(text.dropLast().contains("\n") == false)
        _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
    }

    // MARK: CSV and TSV

    @Test(arguments: [Fixtures.hostile, Fixtures.typed, Fixtures.empty])
    func csvReadsBackExactly(fixture: Fixture) throws {
        let text = try fixture.printed(OutputOptions(format: .csv))
        let records = try CSVReader.parse(text)
        #expect(records.first == fixture.columns.map(\.name))
        #expect(Array(records.dropFirst()) == fixture.rows.map { $0.map(\.text) })
    }

    @Test(arguments: [Fixtures.hostile, Fixtures.typed, Fixtures.empty])
    func tsvReadsBackExactly(fixture: Fixture) throws {
        let text = try fixture.printed(OutputOptions(format: .tsv))
        let records = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { line in line.split(separator: "\t", omittingEmptySubsequences: false).map(unescapeCopyText) }
        #expect(records.first == fixture.columns.map(\.name))
        #expect(Array(records.dropFirst()) == fixture.rows.map { $0.map(\.text) })
    }

    /// Reverses PostgreSQL's COPY text escaping; `\N` alone is NULL.
    private func unescapeCopyText(_ field: Substring) -> String? {
        if field == #"\N"# { return nil }
        var out = ""
        var escaping = false
        for character in field {
            if escaping {
                let map: [Character: String] = ["b": "\u{8}", "f": "\u{c}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{b}"]
                out += map[character] ?? String(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// A strict RFC 4180 reader that tells an unquoted empty field (NULL, `nil`) from `""`.
///
/// Every record must end with `\n`; a quote inside an unquoted field, a bare CR, or anything
/// but a separator after a closing quote is an error. It reads records one at a time from
/// bytes, so a large file can be checked as it is read.
struct CSVReader {
    struct Malformed: Error {
        let offset: Int
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Every record of `text`.
    static func parse(_ text: String) throws -> [[String?]] {
        var text = text
        return try text.withUTF8 { utf8 in
            var reader = CSVReader(UnsafeRawBufferPointer(utf8))
            var records: [[String?]] = []
            while let record = try reader.next() { records.append(record) }
            return records
        }
    }

    /// The next record, or `nil` at the end of the bytes.
    mutating func next() throws -> [String?]? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        guard offset < bytes.count else { return nil }
        var record: [String?] = []
        while true {
            if bytes[offset] == quote {
                offset += 1
                var field: [UInt8] = []
                while true {
                    guard offset < bytes.count else { throw Malformed(offset: offset) }
                    let byte = bytes[offset]
                    offset += 1
                    if byte == quote {
                        guard offset < bytes.count, bytes[offset] == quote else { break }
                        offset += 1
                    }
                    field.append(byte)
                }
                record.append(String(decoding: field, as: UTF8.self))
            } else {
                let start = offset
                while offset < bytes.count, bytes[offset] != comma, bytes[offset] != newline {
                    guard bytes[offset] != quote, bytes[offset] != UInt8(ascii: "\r") else {
                        throw Malformed(offset: offset)
                    }
                    offset += 1
                }
                record.append(start == offset ? nil : String(decoding: bytes[start..<offset], as: UTF8.self))
            }
            guard offset < bytes.count else { throw Malformed(offset: offset) }
            let separator = bytes[offset]
            offset += 1
            if separator == newline { return record }
            guard separator == comma else { throw Malformed(offset: offset - 1) }
        }
    }
}

import SoupDriver
import Testing

@Suite("JSONDocument parsing")
struct JSONDocumentParsingTests {
    @Test("objects keep their order; integers, numbers, strings with escapes, booleans, null, nesting")
    func values() throws {
        let text = #"[{"Plan": {"Node Type": "Seq Scan", "Plan Rows": 3, "Total Cost": 1.5e1, "Filter": "a \"b\"\n\u00e9", "Parallel Aware": false, "Plans": [], "x": null}}]"#
        let document = try #require(JSONDocument(parsing: text))
        let plan = try #require(document.items?.first?["Plan"])
        #expect(plan["Node Type"]?.text == "Seq Scan")
        #expect(plan["Plan Rows"] == .integer(3) && plan["Plan Rows"]?.number == 3)
        #expect(plan["Total Cost"]?.number == 15)
        #expect(plan["Filter"]?.text == "a \"b\"\né")
        #expect(plan["Parallel Aware"] == .bool(false) && plan["x"] == .null && plan["Plans"]?.items?.isEmpty == true)
        guard case .object(let members) = plan else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["Node Type", "Plan Rows", "Total Cost", "Filter", "Parallel Aware", "Plans", "x"])
        // Written back, it reads the same.
        #expect(JSONDocument(parsing: document.compact) == document)
    }

    @Test("\\u escapes: a surrogate pair is one character, a lone surrogate U+FFFD; a bad escape is not JSON")
    func unicodeEscapes() throws {
        let document = try #require(JSONDocument(parsing: #"["\ud83d\ude00", "\u00E9\/", "\ud800x", "\udc00"]"#))
        #expect(document.items?.compactMap(\.text) == ["😀", "é/", "\u{FFFD}x", "\u{FFFD}"])
        for text in [#""\u12""#, #""\u12zz""#, #""abc\"#] { #expect(JSONDocument(parsing: text) == nil, "\(text)") }
    }

    @Test("text that is not JSON gives nil")
    func notJSON() {
        for text in ["", "  ", "{\"a\" 1}", "[1, 2", "\"open", "nope"] {
            #expect(JSONDocument(parsing: text) == nil, "\(text)")
        }
    }
}

import SoupDriver
import SoupOutput

/// Result sets the golden tests print in every format.
enum Fixtures {
    /// One hostile value per row, under a `kind` label, in one mixed column.
    static let hostile = Fixture(
        name: "hostile",
        columns: [ColumnDescription(name: "kind", typeName: "text"), ColumnDescription(name: "value")],
        rows: hostileValues.map { [.text($0.kind), $0.value] })

    static let hostileValues: [(kind: String, value: Value)] = [
        ("null", .null),
        ("empty string", .text("")),
        ("quotes", .text(#"it's "quoted""#)),
        ("comma", .text("a,b")),
        ("tab", .text("a\tb")),
        ("newline", .text("line 1\nline 2")),
        ("crlf", .text("line 1\r\nline 2")),
        ("backslash", .text(#"C:\dir\"#)),
        ("copy end", .text(#"\."#)),
        ("pipe", .text("a|b")),
        ("controls", .text("bell\u{7} nul\u{0} esc\u{1B} c1\u{85}")),
        ("emoji", .text("👍 ok")),
        ("zwj emoji", .text("👨‍👩‍👧 family")),
        ("cjk", .text("中文字")),
        ("combining", .text("e\u{301}te\u{301}")),
        ("right to left", .text("שלום مرحبا")),
        ("max real", .real(1e308)),
        ("negative zero", .real(-0.0)),
        ("nan", .real(.nan)),
        ("infinity", .real(-.infinity)),
        ("small real", .real(1.5e-7)),
        ("real", .real(12.25)),
        ("integer", .integer(.min)),
        ("numeric 40 digits", .numeric("1234567890123456789012345678901234567890")),
        ("numeric fraction", .numeric("-0.000100")),
        ("numeric nan", .numeric("NaN")),
        ("bool", .bool(true)),
        ("blob", .blob([0x00, 0xff, 0x00, 0x41, 0x0a])),
        ("empty blob", .blob([])),
        ("date", .date("2024-02-29")),
        ("time", .time("13:45:00.5+05:30")),
        ("timestamp", .timestamp("2024-01-02 03:04:05.123456")),
        ("timestamptz", .timestampTZ("2024-01-02 03:04:05+00")),
        ("interval", .interval("1 year 2 mons -3 days +04:05:06")),
        ("uuid", .uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
        ("json", .json("{\"a\": [1, [2, null]],\n \"b\": \"x y\\n\"}")),
        ("array", .array([.text("plain"), .null, .text(#"say "hi""#), .text(""), .text("a,b")])),
        ("nested array", .array([.array([.integer(1), .integer(2)]), .array([.null, .integer(4)])])),
        ("other", .other(typeName: "point", text: "(1.5,2)")),
    ]

    /// Typed columns: numbers to right-align, values over several lines, NULLs, and a repeated
    /// column name (JSON keys).
    static let typed = Fixture(
        name: "typed",
        columns: ["id", "name", "amount", "price", "note", "name"].map { ColumnDescription(name: $0) },
        rows: [
            [.integer(1), .text("alice"), .real(12.5), .numeric("10.00"), .text("ok"), .text("A")],
            [.integer(22), .text("bob"), .null, .numeric("-3.5"), .text("two\nlines"), .text("B")],
            [.integer(333), .null, .real(-0.25), .null, .text(""), .null],
            [.integer(4444), .text("李小龙"), .real(1e20), .numeric("0"), .text("a\nb\nc"), .text("D")],
        ])

    /// Columns and no rows.
    static let empty = Fixture(
        name: "empty", columns: [ColumnDescription(name: "a"), ColumnDescription(name: "b")], rows: [])
}

/// A named result set kept in memory.
struct Fixture {
    let name: String
    let columns: [ColumnDescription]
    let rows: [[Value]]

    func cursor() -> ArrayCursor {
        ArrayCursor(columns: columns, rows: rows)
    }

    /// The fixture printed with `options`.
    func printed(_ options: OutputOptions) throws -> String {
        let sink = OutputSink.collecting()
        try ResultPrinter(options: options).print(cursor(), to: sink)
        try sink.flush()
        return sink.collectedText
    }
}

import SoupDriver
import SoupReflection
import Testing

@Suite("Normalised types, names and suggestions")
struct ModelTests {
    @Test("the same type spelled by each engine normalises to one value", arguments: [
        ("int", "integer", NormalizedType.integer),
        ("INTEGER", "int4", .integer),
        ("bigint", "int8", .integer),
        ("varchar(32)", "character varying(32)", .text(length: 32)),
        ("char(4)", "character(4)", .text(length: 4)),
        ("TEXT", "text", .text(length: nil)),
        ("datetime", "timestamp without time zone", .timestamp),
        ("timestamp", "timestamp(3) without time zone", .timestamp),
        ("timestamptz", "timestamp with time zone", .timestampWithTimeZone),
        ("numeric(10, 2)", "numeric(10,2)", .decimal(precision: 10, scale: 2)),
        ("DOUBLE PRECISION", "double precision", .real),
        ("float", "real", .real),
        ("BLOB", "bytea", .blob),
        ("boolean", "boolean", .boolean),
        ("date", "date", .date),
        ("time", "time(6) with time zone", .time),
        ("json", "jsonb", .json),
        ("uuid", "uuid", .uuid),
        ("interval", "interval year to month", .interval),
    ])
    func sameType(sqlite: String, postgres: String, expected: NormalizedType) {
        #expect(NormalizedType(declared: sqlite, engine: .sqlite) == expected)
        #expect(NormalizedType(declared: postgres, engine: .postgres) == expected)
    }

    @Test("SQLite's affinity rules decide unknown names; PostgreSQL keeps them")
    func fallbacks() {
        #expect(NormalizedType(declared: "UNSIGNED SMALL INTEGER", engine: .sqlite) == .integer)
        #expect(NormalizedType(declared: "VARYING CHARACTER(255)", engine: .sqlite) == .text(length: 255))
        #expect(NormalizedType(declared: "STRING", engine: .sqlite) == .decimal(precision: nil, scale: nil))
        #expect(NormalizedType(declared: "", engine: .sqlite) == .any)
        #expect(NormalizedType(declared: "inet", engine: .postgres) == .other("inet"))
        #expect(NormalizedType(declared: "integer[]", engine: .postgres) == .array(.integer))
        #expect(NormalizedType(declared: "character varying(8)[]", engine: .postgres).name == "text(8)[]")
        #expect(NormalizedType.decimal(precision: 10, scale: 2).name == "decimal(10,2)")
    }

    @Test("names typed on the command line", arguments: [
        ("users", TableName("users")),
        ("audit.events", TableName("events", schema: "audit")),
        ("\"Odd Name\"", TableName("Odd Name")),
        ("\"odd.name\"", TableName("odd.name")),
        ("audit.\"Big \"\"E\"\"\"", TableName("Big \"E\"", schema: "audit")),
        ("a.b.c", TableName("a.b.c")),
    ])
    func parsing(text: String, expected: TableName) {
        #expect(TableName(parsing: text) == expected)
    }

    @Test("names as SQL are quoted only when needed")
    func quoting() {
        #expect(TableName("users", schema: "public").sql(in: .postgres) == "public.users")
        #expect(TableName("Odd Name", schema: "audit").sql(in: .postgres) == "audit.\"Odd Name\"")
        #expect(TableName("order").sql(in: .sqlite) == "\"order\"")
        #expect(TableName("events", schema: "audit").description == "audit.events")
    }

    @Test("did-you-mean suggestions")
    func suggestions() {
        #expect(NameSuggester.suggestions(for: "usres", among: ["users", "loans", "books"]) == ["users"])
        #expect(NameSuggester.suggestions(for: "loan", among: ["users", "loans", "loaners"]) == ["loans", "loaners"])
        #expect(NameSuggester.suggestions(for: "Users", among: ["users"]) == ["users"])
        #expect(NameSuggester.suggestions(for: "xyz", among: ["users", "loans"]) == [])
        #expect(NameSuggester.didYouMean([]) == "")
        #expect(NameSuggester.didYouMean(["a"]) == "; did you mean 'a'?")
        #expect(NameSuggester.didYouMean(["a", "b", "c"]) == "; did you mean 'a', 'b' or 'c'?")
        #expect(SchemaError.unknownTable(TableName("usres"), suggestions: ["users"]).description
            == "no table 'usres'; did you mean 'users'?")
    }
}

import SoupDriver
import Testing

/// Identifiers are quoted when they must be: not plain lowercase, or a reserved word.
@Suite("Quoting identifiers")
struct DialectQuotingTests {
    @Test("reserved words are quoted, from the first to the last of the sorted list; other names are not")
    func reservedWords() {
        for dialect in [Dialect.postgres, Dialect.sqlite] {
            for word in ["all", "analyse", "current_user", "limit", "select", "user", "with"] {
                #expect(dialect.quoteIdentifier(word) == "\"\(word)\"", "\(word)")
            }
            for name in ["a", "allx", "users", "t0500", "withdrawn", "zebra", "_id"] {
                #expect(dialect.quoteIdentifier(name) == name, "\(name)")
            }
            #expect(dialect.quoteIdentifier("Mixed") == "\"Mixed\"")
            #expect(dialect.quoteIdentifier("x\"\u{301}") == "\"x\"\"\u{301}\"")
        }
    }
}

import Foundation
import SoupCore
import SoupLanguage
import Testing

/// SQLSoup's tutorial run as one script on both engines; the transcript of every expression's
/// value is checked against a golden file per engine (`SOUP_UPDATE_GOLDEN=1` rewrites them).
@Suite("SQLSoup's tutorial")
struct TutorialTests {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test("the tutorial runs and prints what the golden transcript says", arguments: Engine.allCases)
    func tutorial(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.execute(#"CREATE TABLE "User_Table" (id integer PRIMARY KEY, note text)"#)
        let source = try String(contentsOf: Self.folder.appendingPathComponent("tutorial.soup"), encoding: .utf8)
        var transcript = ""
        for statement in try Parser.parse(source) {
            let text = String(source.utf8[source.utf8.index(source.utf8.startIndex, offsetBy: statement.range.start.offset)..<source.utf8.index(source.utf8.startIndex, offsetBy: statement.range.end.offset)]) ?? ""
            guard let value = try db.evaluate(statement) else { continue }
            transcript += "> " + text + "\n" + (try db.representation(of: value)) + "\n"
        }
        let golden = Self.folder.appendingPathComponent("tutorial.\(engine.rawValue).txt")
        if ProcessInfo.processInfo.environment["SOUP_UPDATE_GOLDEN"] == "1" {
            try transcript.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(transcript == (try String(contentsOf: golden, encoding: .utf8)))
        // The work was committed: a second look through raw SQL agrees.
        #expect(try db.connection.scalar("SELECT email FROM users WHERE name = 'Bhargan Basepair'") == .text("basepair+nospam@example.ed"))
    }
}

import Foundation
import SoupTestSupport
import Testing

@Suite("Man pages: current, clean under mandoc and groff, and their examples run")
struct DocsManualTests {
    static let pages = ["man/soup.1", "man/soup-language.7"]

    @Test("mandoc -Tlint finds nothing at warning level or above", arguments: pages)
    func mandocLint(page: String) throws {
        let result = try Docs.run("mandoc", ["-Tlint", "-Wwarning", page])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stdout)\(result.stderr)")
    }

    @Test("groff -ww renders without a warning", arguments: pages)
    func groff(page: String) throws {
        let result = try Docs.run("groff", ["-ww", "-man", "-Tutf8", "-P", "-cbou", page])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("DESCRIPTION") && result.stdout.contains("EXAMPLES"))
    }

    @Test("the pages are ASCII")
    func ascii() throws {
        for page in Self.pages + ["man/src/soup.1.synopsis", "man/src/soup.1.sections"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: Docs.file(page)))
            #expect(bytes.allSatisfy { $0 < 0x80 }, "\(page) holds non-ASCII bytes")
        }
    }

    @Test("soup.1 has the generated options and the hand-written sections")
    func soupPageSections() throws {
        let page = try String(contentsOfFile: Docs.file("man/soup.1"), encoding: .utf8)
        let sections = ["SYNOPSIS", "DESCRIPTION", "THE SOUP LANGUAGE", "OUTPUT", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES"]
        for section in sections {
            #expect(page.contains("\n.Sh \(section)\n"), "no \(section) section")
        }
        #expect(page.contains(".It Fl -tx Ar tx\n"))
        #expect(page.contains("Output format: table, wrapped, expanded, csv, tsv, json, jsonl, markdown or sql"))
        #expect(!page.contains(".Ex -std"), "the generic exit status text should be replaced")
    }

    /// The exact comparison is `scripts/generate-docs --check`, which .ci/run runs after the tests
    /// (SwiftPM's plugin cannot run while `swift test` holds `.build`); this catches a command,
    /// option or help text that changed without the page being regenerated.
    @Test("soup.1 names every command and option the binary has, with its help text")
    func current() throws {
        let dump = try SoupBinary.run(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let tool = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let root = try #require(tool["command"] as? [String: Any])
        let page = try String(contentsOfFile: Docs.file("man/soup.1"), encoding: .utf8)
        let text = page.split(separator: "\n").joined(separator: " ")
        for command in (root["subcommands"] as? [[String: Any]] ?? []) {
            let name = try #require(command["commandName"] as? String)
            #expect(page.contains("\n.It Em \(name)\n"), "soup.1 lacks the command \(name); run scripts/generate-docs")
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            for argument in arguments where argument["shouldDisplay"] as? Bool == true {
                let spellings = argument["names"] as? [[String: String]] ?? []
                let names = spellings.compactMap { $0["kind"] == "long" ? $0["name"] : nil }
                for long in names {
                    let documented = page.contains("Fl -\(long)") || page.contains(", -\(long)")
                    #expect(documented, "soup.1 lacks --\(long) of \(name)")
                }
                if let abstract = argument["abstract"] as? String, !abstract.isEmpty {
                    let documented = text.contains(abstract)
                    #expect(documented, "soup.1 lacks the help of \(name) \(names): \(abstract)")
                }
            }
        }
    }

    @Test("the statements in soup-language(7) EXAMPLES run on the demo database")
    func languageExamples() throws {
        let page = try String(contentsOfFile: Docs.file("man/soup-language.7"), encoding: .utf8)
        let examples = try #require(page.components(separatedBy: ".Sh EXAMPLES\n").last)
        let lines = examples.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix(".Bd -literal") })
        let end = try #require(lines[start...].firstIndex { $0 == ".Ed" })
        let script = lines[(start + 1)..<end].joined(separator: "\n")
        #expect(script.contains("users.get('Joe Student')"))

        let directory = try TemporaryDirectory(prefix: "soup-docs")
        defer { directory.remove() }
        let demo = directory.file(named: "demo.db")
        let created = try SoupBinary.run(["demo", "--path", demo])
        #expect(created.status == 0, "\(created.stderr)")
        let result = try SoupBinary.run(["run", demo, "-"], stdin: script)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("UPDATE main.users SET email = ? WHERE name = ?"))
        #expect(result.stdout.contains(" Joe Student "))
    }
}

import Foundation
import SoupTestSupport
import Testing

/// `\import`, `\copy`, `\g`, `\gx` and `\clip`, driven through the pseudo-terminal at two
/// terminal widths.
@Suite("the REPL's data in and out")
struct REPLTransferTests {
    static let widths = [60, 140]

    @Test("\\import is pending until commit: the prompt shows *, db.pending() names it, db.rollback() undoes it", arguments: widths)
    func importThenRollback(columns: Int) throws {
        let (directory, path) = try REPLTests.fixture()
        defer { directory.remove() }
        var csv = "id,name\n"
        for index in 10..<10_010 { csv += "\(index),user \(index)\n" }
        let file = try writeFile(csv, named: "more users.csv", in: directory)
        let terminal = try PseudoTerminal.soup([path], columns: columns)
        try terminal.expect("soup:t> ", within: 15)
        terminal.send("\\import '\(file)' users\r")
        try terminal.expect("imported 10000 rows into users; pending until commit()")
        try terminal.expect("soup:t*> ")
        terminal.send("db.pending()\r")
        try terminal.expect("import: 10,000 rows into users")
        terminal.send("users.count()\r")
        try terminal.expect("10002\r\n")
        terminal.send("db.rollback()\r")
        try terminal.expect("soup:t> ")
        terminal.send("users.count()\r")
        try terminal.expect("2\r\n")
        #expect(try REPLTests.count("SELECT count(*) FROM users", in: path) == "2")
        // Imported again, then committed: it stays.
        terminal.send("\\import '\(file)' users\r")
        try terminal.expect("soup:t*> ")
        terminal.send("db.commit()\r")
        try terminal.expect("soup:t> ")
        #expect(try REPLTests.count("SELECT count(*) FROM users", in: path) == "10002")
        // A bad row imports nothing and leaves the transaction as it was.
        let bad = try writeFile("id,name\n1,dup\n", named: "bad.csv", in: directory)
        terminal.send("\\import \(bad) users\r")
        try terminal.expect("UNIQUE constraint failed")
        try terminal.expect("soup: nothing was imported")
        try terminal.expect("soup:t> ")
    }

    @Test("STATEMENT \\g |cat and \\g FILE, \\g again, \\gx once in expanded form", arguments: widths)
    func go(columns: Int) throws {
        let (directory, path) = try REPLTests.fixture()
        defer { directory.remove() }
        let output = directory.file(named: "out.csv")
        let terminal = try PseudoTerminal.soup([path], columns: columns)
        try terminal.expect("soup:t> ", within: 15)
        terminal.send("\\format csv\r")
        try terminal.expect("soup:t> ")
        terminal.send("SELECT name FROM users ORDER BY id \\g |cat\r")
        try terminal.expect("name\r\nAnn\r\nBo\r\n")
        try terminal.expect("soup:t> ")
        terminal.send("SELECT id, email FROM users ORDER BY id \\g \(output)\r")
        try terminal.expect("soup:t> ")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "id,email\n1,ann@example.org\n2,\n")
        terminal.send("\\format table\r")
        try terminal.expect("soup:t> ")
        terminal.send("\\gx\r")
        try terminal.expect("-[ RECORD 1 ]")
        try terminal.expect("email | ann@example.org")
        terminal.send("SELECT 1 AS one;\r")
        try terminal.expect(" one \r\n")  // back to the table format
        terminal.send("users.insert(name='Cy')\r")
        try terminal.expect("soup:t*> ")
        terminal.send("\\g\r")
        try terminal.expect("the last input may write")
    }

    @Test("\\copy TABLE FROM 'FILE' CSV HEADER and \\copy (QUERY) TO 'FILE' CSV HEADER, as psql spells them")
    func psqlCopy() throws {
        let (directory, path) = try REPLTests.fixture()
        defer { directory.remove() }
        let input = try writeFile("id;name;email\n5;Eve;NULL\n6;\"Fa; \"\"F\"\"\";f@example.org\n", named: "in.csv", in: directory)
        let output = directory.file(named: "out.csv")
        let terminal = try PseudoTerminal.soup([path])
        try terminal.expect("soup:t> ", within: 15)
        terminal.send("\\copy users FROM '\(input)' WITH (FORMAT csv, HEADER true, DELIMITER ';', NULL 'NULL')\r")
        try terminal.expect("imported 2 rows into users; pending until commit()")
        try terminal.expect("soup:t*> ")
        terminal.send("\\copy (SELECT id, name, email FROM users WHERE id > 4 ORDER BY id) TO '\(output)' CSV HEADER\r")
        try terminal.expect("soup:t*> ")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "id,name,email\n5,Eve,\n6,\"Fa; \"\"F\"\"\",f@example.org\n")
        unlink(output)
        terminal.send("\\copy users TO '\(output)' CSV\r")
        try terminal.expect("soup:t*> ")
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("1,Ann,ann@example.org\n"))
    }

    @Test("\\clip writes the last result as OSC 52 (through tmux's passthrough under tmux)")
    func clip() throws {
        let (directory, path) = try REPLTests.fixture()
        defer { directory.remove() }
        for tmux in [false, true] {
            let terminal = try PseudoTerminal.soup([path], environment: tmux ? ["TMUX": "/tmp/tmux-0/default,1,0"] : [:])
            try terminal.expect("soup:t> ", within: 15)
            terminal.send("\\format csv\r")
            try terminal.expect("soup:t> ")
            terminal.send("SELECT name FROM users ORDER BY id;\r")
            try terminal.expect("Bo\r\n")
            terminal.send("\\clip\r")
            // "name\nAnn\nBo\n" in base64.
            let payload = Data("name\nAnn\nBo\n".utf8).base64EncodedString()
            let sequence = tmux ? "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;\(payload)\u{07}\u{1B}\\" : "\u{1B}]52;c;\(payload)\u{07}"
            try terminal.expect(sequence)
            try terminal.expect("copied 12 bytes to the clipboard")
        }
    }
}

import SoupLanguage
import Testing

/// What TAB completes at the end of a partial input, read from the text alone.
@Suite struct CompletionContextTests {
    typealias Kind = CompletionContext.Kind
    typealias Receiver = CompletionContext.Receiver
    typealias Call = CompletionContext.Call

    func context(_ text: String) -> CompletionContext {
        CompletionContext.at(text.utf8.count, in: text)
    }

    @Test("SQL: tables after FROM/JOIN/INTO/UPDATE/TABLE and a schema's dot; keywords after a table")
    func sqlTables() {
        #expect(context("SELECT * FROM tr").kind == .sqlTable(schema: nil))
        #expect(context("SELECT * FROM tr").prefix == "tr")
        #expect(context("select * from a, ").kind == .sqlTable(schema: nil))
        #expect(context("SELECT * FROM a JOIN ").kind == .sqlTable(schema: nil))
        #expect(context("insert into ").kind == .sqlTable(schema: nil))
        #expect(context("UPDATE ").kind == .sqlTable(schema: nil))
        #expect(context("TABLE a").kind == .sqlTable(schema: nil))
        #expect(context("SELECT * FROM audit.ev").kind == .sqlTable(schema: "audit"))
        #expect(context("SELECT * FROM audit.ev").prefix == "ev")
        #expect(context("SELECT * FROM track t ").kind == .sqlKeyword)
    }

    @Test("SQL: columns of the statement's tables after SELECT/WHERE/ON/BY/SET, aliases resolved")
    func sqlColumns() {
        let select = context("SELECT na")
        #expect(select.kind == .sqlColumn(qualifier: nil, functions: true))
        let qualified = CompletionContext.at(9, in: "SELECT t. FROM Track AS t JOIN audit.events e ON")
        #expect(qualified.kind == .sqlColumn(qualifier: "t", functions: false))
        #expect(qualified.sqlTables == [.init(name: "Track", alias: "t"), .init(schema: "audit", name: "events", alias: "e")])
        #expect(context("SELECT * FROM t WHERE a = 1 AND ").kind == .sqlColumn(qualifier: nil, functions: true))
        #expect(context("SELECT * FROM a JOIN b ON a.id = b.").kind == .sqlColumn(qualifier: "b", functions: false))
        #expect(context("SELECT * FROM t ORDER BY ").kind == .sqlColumn(qualifier: nil, functions: true))
        #expect(context("UPDATE t SET ").kind == .sqlColumn(qualifier: nil, functions: false))
        #expect(context("UPDATE t SET ").sqlTables == [.init(name: "t")])
        #expect(context("SELECT name ").kind == .sqlKeyword)
        #expect(context("SELECT count(").kind == .sqlColumn(qualifier: nil, functions: true))
        #expect(context("INSERT INTO \"Odd Name\" (a, ").kind == .sqlColumn(qualifier: "Odd Name", functions: false))
        #expect(context("SELECT 1 LIMIT ").kind == .sqlKeyword)
    }

    @Test("the word at a statement's start may begin SQL or soup")
    func statementStart() {
        #expect(context("Tr").kind == .name(atStatementStart: true))
        #expect(context("select").kind == .name(atStatementStart: true))
        #expect(context("x = 1; us").kind == .name(atStatementStart: true))
        #expect(context("SELECT 1; SEL").kind == .name(atStatementStart: true))
        #expect(context("x = us").kind == .name(atStatementStart: false))
    }

    @Test("soup: members of a name, a member, a call")
    func members() {
        #expect(context("track.").kind == .member(of: .name("track")))
        #expect(context("track.na").prefix == "na")
        #expect(context("db.track.").kind == .member(of: .member(.name("db"), "track")))
        #expect(context("users.c.em").kind == .member(of: .member(.name("users"), "c")))
        #expect(
            context("users.filter(users.id == 1).cou").kind
                == .member(of: .call(Call(receiver: .name("users"), name: "filter"), firstString: nil)))
        #expect(
            context("db.entity('Odd Name').").kind
                == .member(of: .call(Call(receiver: .name("db"), name: "entity"), firstString: "Odd Name")))
        #expect(context("func.").kind == .member(of: .name("func")))
        #expect(context("1.5 + x.").kind == .member(of: .name("x")))
    }

    @Test("soup: keyword arguments, dictionary keys, table names in db.entity('")
    func arguments() {
        let filterBy = Call(receiver: .name("users"), name: "filter_by")
        #expect(context("users.filter_by(").kind == .argument(of: filterBy))
        #expect(context("users.filter_by(na").prefix == "na")
        #expect(context("users.filter_by(name='x', em").kind == .argument(of: filterBy))
        #expect(context("users.filter_by(name=").kind == .name(atStatementStart: false))
        #expect(context("print(").kind == .argument(of: Call(receiver: nil, name: "print")))
        let update = Call(receiver: .call(Call(receiver: .name("q"), name: "filter"), firstString: nil), name: "update")
        #expect(context("q.filter(x).update({").kind == .dictionaryKey(of: update, quoted: false))
        #expect(context("q.filter(x).update({'na").kind == .dictionaryKey(of: update, quoted: true))
        #expect(context("q.filter(x).update({'na").prefix == "na")
        #expect(context("q.filter(x).update({'a': 1, 'b").kind == .dictionaryKey(of: update, quoted: true))
        #expect(context("db.entity('Tr").kind == .tableNameString)
        #expect(context("db.entity('Tr").prefix == "Tr")
        #expect(context("print('abc").kind == .nothing)
    }

    @Test("meta commands and their arguments; nothing inside comments")
    func metaAndComments() {
        #expect(context("\\d").kind == .metaCommand(dotted: false))
        #expect(context("\\d").prefix == "\\d")
        #expect(context(".tab").kind == .metaCommand(dotted: true))
        #expect(context(".tab").prefix == "tab")
        #expect(context("\\d us").kind == .metaArgument(command: "d"))
        #expect(context("\\d us").prefix == "us")
        #expect(context("\\format ").kind == .metaArgument(command: "format"))
        #expect(context("x # us").kind == .nothing)
        #expect(context("SELECT 1 -- us").kind == .nothing)
    }

    @Test("multi-line input: the cursor's statement counts, and text after the cursor names tables")
    func multiLine() {
        #expect(context("users.filter(\n  users.").kind == .member(of: .name("users")))
        #expect(context("x = 1\nus").kind == .name(atStatementStart: true))
        #expect(context("SELECT *\nFROM ").kind == .sqlTable(schema: nil))
        let text = "SELECT  FROM album"
        #expect(CompletionContext.at(7, in: text).sqlTables == [.init(name: "album")])
    }
}

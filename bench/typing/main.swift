// Times the work behind typing at the REPL on the bench's 1,000-table database, in a loop:
// the first TAB after start (it lists the tables: one catalog query), the first TAB on an
// entity (it reflects that table and its foreign keys), later TABs in every context (nothing
// asked of the database), and what each keystroke does to a 2,000-character input (colouring
// it, looking up a suggestion in 1,000 history entries and laying out what the terminal is sent,
// as the REPL does at each keystroke). Prints medians and PASS/FAIL lines.
//
//   swift run -c release soup-typing-bench bench/out/db1000.db [RUNS]
//   swift run -c release soup-typing-bench postgresql://user@127.0.0.1:5432/db1000 [RUNS]
import SoupCore
import SoupDriver
import SoupLanguage
import SoupOutput
import SoupPostgres
import SoupSQLite

#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: soup-typing-bench DB1000.db|POSTGRES_URL [RUNS]")
    exit(64)
}
let target = arguments[1]
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20

/// The connection, counting what is sent through it.
final class CountingConnection: Connection {
    let base: any Connection
    var statements = 0

    init(_ base: any Connection) { self.base = base }

    var dialect: Dialect { base.dialect }
    var displayName: String { base.displayName }
    var transactionStatus: TransactionStatus { base.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        statements += 1
        return try base.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        statements += 1
        try base.executeScript(sql)
    }

    func describe(_ sql: String) throws -> [DescribedColumn] {
        statements += 1
        return try base.describe(sql)
    }

    func makeCanceller() -> any Canceller { base.makeCanceller() }
    func close() { base.close() }
}

func connect() throws -> CountingConnection {
    let base: any Connection =
        target.hasPrefix("postgres")
        ? try PostgresConnection(conninfo: target)
        : try SQLiteConnection(location: .file(path: target), mode: .readOnly)
    return CountingConnection(base)
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// The CPU time of this thread, in milliseconds (what a busy machine does not inflate).
func threadCPU() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
}

/// CPU times of the timed bodies, kept beside the wall-clock times that the targets read.
nonisolated(unsafe) var cpuTimes: [Double] = []

func time(_ body: () -> Void) -> Double {
    let cpu = threadCPU()
    let started = ContinuousClock.now
    body()
    let wall = milliseconds(ContinuousClock.now - started)
    cpuTimes.append(threadCPU() - cpu)
    return wall
}

/// The median CPU time of what was timed since `start` (an index into `cpuTimes`).
func cpuMedian(since start: Int) -> String {
    show(median(Array(cpuTimes[start...])))
}

/// The 1-minute load average, which says how much the wall-clock times are inflated.
func loadAverage() -> String {
    guard let file = fopen("/proc/loadavg", "r") else { return "?" }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 64)
    guard fgets(&buffer, 64, file) != nil else { return "?" }
    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return String(text.split(separator: " ").first ?? "?")
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

/// `0.42 ms`, `12.30 ms`.
func show(_ value: Double) -> String {
    guard value.isFinite else { return "–" }
    let hundredths = Int((value * 100).rounded())
    return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) ms"
}

/// Fresh sessions: the first completion each makes.
func firstTAB(_ text: String) throws -> (times: [Double], queries: Int) {
    var times: [Double] = []
    var queries = 0
    for _ in 0..<runs {
        let connection = try connect()
        defer { connection.close() }
        let assistant = InputAssistant(soup: Soup(connection: connection))
        times.append(time { _ = assistant.complete(text, cursor: text.utf8.count) })
        queries = connection.statements
    }
    return (times, queries)
}

/// The inputs a later TAB completes, one per context.
let laterTABs = [
    "t05", "SELECT * FROM t05", "SELECT * FROM t0500 t WHERE t.", "SELECT na", "t0500.", "t0500.filter_by(",
    "t0500.filter(t0500.qty > 1).update({'", "db.t05", "func.coun", "trk", "Tr", "row.", "SELECT * FROM t0500 t JOIN t0001 u ON u.",
]

/// A 2,000-character input of soup and SQL, as a long paste would be.
let longInput: String = {
    let pieces = [
        "t0500.filter(t0500.name == 'row 1', t0500.qty > 10).order_by(t0500.price).all()  # cheap ones\n",
        "SELECT t.id, count(*) FROM t0500 t JOIN t0001 u ON t.a_id = u.id WHERE t.note LIKE '%x%' GROUP BY t.id;\n",
        "x = db.entity('t0002').filter_by(status='ok').first()\nx.qty = x.qty + 1\n",
    ]
    var text = ""
    var index = 0
    while text.utf8.count < 2_000 {
        text += pieces[index % pieces.count]
        index += 1
    }
    return String(text.utf8.prefix(2_000))!
}()

var lines: [String] = []
var verdicts: [String] = []
@MainActor func verdict(_ ok: Bool, _ name: String, _ detail: String) {
    verdicts.append("\(ok ? "PASS" : "FAIL") — \(name): \(detail)")
}

do {
    let engine = target.hasPrefix("postgres") ? "PostgreSQL" : "SQLite"
    lines.append("load average at the start: \(loadAverage()) (2 cores: above 2, wall-clock times are inflated; CPU times are this process's own work)")
    var mark = cpuTimes.count
    let (first, firstQueries) = try firstTAB("SELECT * FROM t05")
    lines.append("first TAB after start (`SELECT * FROM t05`, lists the tables): median \(show(median(first))) (CPU \(cpuMedian(since: mark))), max \(show(first.max() ?? .nan)), \(firstQueries) queries")
    verdict(median(first) <= 30, "first TAB after start ≤ 30 ms, \(engine)", show(median(first)))
    mark = cpuTimes.count
    let (entity, entityQueries) = try firstTAB("t0500.")
    lines.append("first TAB on an entity (`t0500.`, reflects t0500 and its keys): median \(show(median(entity))) (CPU \(cpuMedian(since: mark))), max \(show(entity.max() ?? .nan)), \(entityQueries) queries")
    verdict(median(entity) <= 30, "first TAB on an entity ≤ 30 ms, \(engine)", show(median(entity)))

    let connection = try connect()
    defer { connection.close() }
    let assistant = InputAssistant(soup: Soup(connection: connection))
    for text in laterTABs { _ = assistant.complete(text, cursor: text.utf8.count) }
    _ = try assistant.soup.evaluate(try Parser.parse("row = t0500.first()")[0])
    _ = assistant.complete("row.", cursor: 4)
    let before = connection.statements
    mark = cpuTimes.count
    var later: [String: [Double]] = [:]
    for _ in 0..<runs {
        for text in laterTABs {
            later[text, default: []].append(time { _ = assistant.complete(text, cursor: text.utf8.count) })
        }
    }
    let all = later.values.flatMap { $0 }
    let (slowestText, slowestTimes) = later.max { median($0.value) < median($1.value) }!
    lines.append(
        "later TABs (\(laterTABs.count) contexts × \(runs)): median \(show(median(all))) (CPU \(cpuMedian(since: mark))); slowest context `\(slowestText)`, median \(show(median(slowestTimes))); slowest single TAB \(show(all.max() ?? .nan))")
    verdict(median(slowestTimes) <= 5, "later TABs ≤ 5 ms (the median of the slowest context), \(engine)", "`\(slowestText)` \(show(median(slowestTimes)))")

    var history = HistorySuggestions()
    for index in 0..<1_000 { history.add("t\(String(1_000 + index).dropFirst()).filter_by(id=\(index)).first()") }
    var keystrokes: [Double] = []
    let text = longInput
    mark = cpuTimes.count
    for _ in 0..<max(runs * 5, 50) {
        keystrokes.append(time {
            let pieces = assistant.highlight(text, cursor: text.utf8.count).map { LineRenderer.Piece($0.range, "1;32") }
            let suggestion = history.suggestion(completing: text)
            _ = LineRenderer.render(
                LineRenderer.Input(
                    prompt: "soup:db1000> ", line: Array(text.utf8), cursor: text.utf8.count, pieces: pieces,
                    suggestion: suggestion, suggestionStyle: "90", width: 100))
        })
    }
    lines.append("a keystroke on a 2,000-character input (colours, suggestion from 1,000 entries, layout): median \(show(median(keystrokes))) (CPU \(cpuMedian(since: mark))), max \(show(keystrokes.max() ?? .nan))")
    verdict(median(keystrokes) <= 2, "colouring a 2,000-character input ≤ 2 ms per keystroke, \(engine)", show(median(keystrokes)))
    let sent = connection.statements - before
    lines.append("statements sent by the later TABs and keystrokes: \(sent)")
    verdict(sent == 0, "no keystroke or later TAB asks the database, \(engine)", "\(sent) statements")
} catch {
    print("soup-typing-bench: \(error)")
    exit(1)
}
print("engine: \(target.hasPrefix("postgres") ? "postgres" : "sqlite"), runs: \(runs)")
for line in lines { print(line) }
for line in verdicts { print(line) }

// Times a flush of N dirty rows through soup's unit of work beside the same UPDATEs sent
// through one prepared statement, on SQLite or PostgreSQL, and prints the ratio.
//
//   swift run -c release soup-flush-bench sqlite [ROWS]
//   swift run -c release soup-flush-bench postgresql://user@127.0.0.1:5432/db [ROWS]
//
// Both sides run in one transaction each and start from the same table; the soup side times
// only flush() + commit(), not loading the rows or assigning the attributes.
import SoupCore
import SoupDriver
import SoupLanguage
import SoupPostgres
import SoupSQLite

#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: soup-flush-bench sqlite|POSTGRES_URL [ROWS] [RUNS]")
    exit(64)
}
let rowCount = arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000
let runs = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let path = "/tmp/soup-flush-bench-\(getpid()).db"

func connect() throws -> any Connection {
    if arguments[1] == "sqlite" { return try SQLiteConnection(location: .file(path: path), mode: .readWriteCreate) }
    return try PostgresConnection(conninfo: arguments[1])
}

/// A fresh `bench_rows` table of `rowCount` rows.
func resetTable() throws {
    let connection = try connect()
    defer { connection.close() }
    try connection.executeScript("DROP TABLE IF EXISTS bench_rows; CREATE TABLE bench_rows (id integer PRIMARY KEY, v text, n integer)")
    try connection.begin()
    for id in 1...rowCount {
        try connection.execute(
            "INSERT INTO bench_rows (id, v, n) VALUES (\(connection.dialect.placeholder(0)), 'start', \(connection.dialect.placeholder(1)))",
            [.integer(Int64(id)), .integer(Int64(id))])
    }
    try connection.commit()
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The same UPDATEs through one prepared statement.
func direct(_ round: Int) throws -> Double {
    try resetTable()
    let connection = try connect()
    defer { connection.close() }
    let started = ContinuousClock.now
    try connection.begin()
    if connection.dialect.engine == .sqlite {
        for id in 1...rowCount {
            try connection.execute("UPDATE bench_rows SET v = ? WHERE id = ?", [.text("round \(round) \(id)"), .integer(Int64(id))])
        }
    } else {
        // The simple query protocol, so the $n belong to the prepared statement.
        try connection.executeScript("PREPARE bench_update (text, integer) AS UPDATE bench_rows SET v = $1 WHERE id = $2")
        // Utility statements take no bound parameters: the values (generated here, no quotes)
        // are written as literals, one round trip per row like the flush.
        for id in 1...rowCount {
            try connection.executeScript("EXECUTE bench_update('round \(round) \(id)', \(id))")
        }
    }
    try connection.commit()
    return seconds(ContinuousClock.now - started)
}

/// soup: load every row, change one attribute of each, then time flush and commit.
func soup(_ round: Int) throws -> Double {
    try resetTable()
    let connection = try connect()
    defer { connection.close() }
    let db = Soup(connection: connection)
    guard case .list(let items)? = try db.evaluate(try Parser.parse("bench_rows.all()")[0]) else {
        throw EvaluationError("bench_rows.all() returned no rows")
    }
    for case .row(let row) in items {
        guard case .integer(let id)? = row.value(of: "id") else { continue }
        try db.setValue(.text("round \(round) \(id)"), forAttribute: "v", of: row)
    }
    // The rows stay alive until the clock stops: freeing them is no part of a flush (the
    // prepared side has none to free).
    return try withExtendedLifetime(items) {
        let started = ContinuousClock.now
        try db.commit()
        return seconds(ContinuousClock.now - started)
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

var directTimes: [Double] = []
var soupTimes: [Double] = []
do {
    for round in 1...runs {
        directTimes.append(try direct(round))
        soupTimes.append(try soup(round))
    }
} catch {
    print("soup-flush-bench: \(error)")
    unlink(path)
    exit(1)
}
unlink(path)
let ratio = median(soupTimes) / median(directTimes)
print("engine: \(arguments[1] == "sqlite" ? "sqlite" : "postgres"), rows: \(rowCount), runs: \(runs)")
func summary(_ times: [Double]) -> String {
    "median \(median(times)) s, min \(times.min() ?? 0) s, max \(times.max() ?? 0) s"
}
print("prepared UPDATEs: " + summary(directTimes))
print("soup flush:       " + summary(soupTimes))
print("ratio soup / prepared: \(ratio) (target at most 1.5)")
print(ratio <= 1.5 ? "PASS" : "FAIL")
// For bench/harness: one line of JSON.
print(
    "result {\"rows\": \(rowCount), \"runs\": \(runs), \"prepared_median\": \(median(directTimes)), "
        + "\"soup_median\": \(median(soupTimes)), \"ratio\": \(ratio)}")

import Foundation
import SoupLanguage
import SoupTestSupport
import Testing

/// Random and mutated inputs never crash or hang the front end, every failure is a ParseError
/// positioned inside the input, and what parses prints back to the same tree.
///
/// `SOUP_FUZZ_ITERATIONS` sets the number of inputs (default 100,000); `SOUP_FUZZ_SEED` the seed.
@Suite struct FuzzTests {
    static let shards = 4
    static let iterations = FuzzSettings.iterations
    static let seed = FuzzSettings.seed

    @Test(arguments: 0..<shards)
    func randomInputs(shard: Int) throws {
        var inputs = FuzzInputs(seed: Self.seed &+ UInt64(shard))
        let watchdog = Watchdog(limit: .seconds(10))
        defer { watchdog.stop() }
        let clock = ContinuousClock()
        var statistics = Statistics()
        let started = clock.now
        for _ in 0..<(Self.iterations / Self.shards) {
            let input = inputs.next()
            watchdog.begin(input)
            let elapsed = clock.measure { check(input, &statistics) }
            statistics.slowest = max(statistics.slowest, elapsed)
            // The slowest input takes well under 0.1 s: 5 s is a runaway, however busy the machine.
            if elapsed > .seconds(5) { Issue.record("\(elapsed) for \(input.debugDescription)") }
        }
        watchdog.end()
        print("fuzz shard \(shard): \(statistics) in \(clock.now - started)")
        // With the default seed 37% of the inputs parse, 63% are refused and 9% leave the REPL
        // waiting for more: each must stay common, or the generator lost its reach.
        let problems = FuzzSettings.reachProblems(
            "fuzz shard \(shard)", inputs: statistics.inputs, planned: Self.iterations / Self.shards,
            shares: [
                ("parsed", statistics.parsed, 0.25), ("refused", statistics.inputs - statistics.parsed, 0.4),
                ("unfinished at the REPL", statistics.needMoreInput, 0.05),
            ])
        for problem in problems { Issue.record("\(problem)") }
    }

    struct Statistics: CustomStringConvertible {
        var inputs = 0
        var parsed = 0
        /// Inputs the REPL would read more lines for.
        var needMoreInput = 0
        var slowest = Duration.zero

        var description: String {
            "\(inputs) inputs, \(parsed) parsed, \(inputs - parsed) errors, \(needMoreInput) unfinished at the REPL, "
                + "slowest \(slowest)"
        }
    }

    // Plain conditions rather than #expect in the loop: they cost far less per input.

    func check(_ input: String, _ statistics: inout Statistics) {
        statistics.inputs += 1
        let length = input.utf8.count
        do {
            let tokens = try Lexer.tokenize(input)
            let isOrdered = zip(tokens, tokens.dropFirst()).allSatisfy { $0.range.end <= $1.range.start }
            let isInside = tokens.allSatisfy {
                $0.range.start <= $0.range.end && $0.range.end.offset <= length
            }
            if !isOrdered || !isInside || tokens.last?.range.start != location(of: length, in: input) {
                Issue.record("token ranges for \(input.debugDescription): \(tokens.map(\.range))")
            }
        } catch {
            checkError(error, in: input)
        }
        do {
            let statements = try Parser.parse(input)
            statistics.parsed += 1
            checkRoundTrip(statements, of: input)
        } catch {
            checkError(error, in: input)
        }
        // The REPL's view: unfinished SQL and open brackets need more input.
        if !Parser.isComplete(input) { statistics.needMoreInput += 1 }
    }

    func checkError(_ error: ParseError, in input: String) {
        let range = error.range
        guard 0 <= range.start.offset, range.start <= range.end, range.end.offset <= input.utf8.count else {
            Issue.record("\(error) at \(range.offsets) for \(input.debugDescription)")
            return
        }
        if range.start != location(of: range.start.offset, in: input) || error.message.isEmpty {
            Issue.record("\(error) at \(range.start) for \(input.debugDescription)")
        }
        let rendered = error.rendered(in: input, path: "fuzz.soup")
        if !rendered.hasPrefix("fuzz.soup:\(range.start): \(error.message)\n") {
            Issue.record("\(rendered) for \(input.debugDescription)")
        }
    }

    /// Printing the statements and parsing the result gives the same statements.
    func checkRoundTrip(_ statements: [Statement], of input: String) {
        let printed = statements.map(\.description).joined(separator: "\n")
        do {
            let reparsed = try Parser.parse(printed)
            if reparsed.map({ $0.stripped() }) != statements.map({ $0.stripped() }) {
                Issue.record(
                    "\(input.debugDescription) printed as \(printed.debugDescription) reads back differently")
            }
        } catch {
            Issue.record("\(input.debugDescription) printed as \(printed.debugDescription): \(error)")
        }
    }

    /// The location of a UTF-8 offset, computed the slow and obvious way.
    func location(of offset: Int, in input: String) -> SoupLanguage.SourceLocation {
        let prefix = Array(input.utf8.prefix(offset))
        let lineStart = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = prefix.count { $0 == UInt8(ascii: "\n") } + 1
        let column = String(decoding: prefix[lineStart...], as: UTF8.self).count + 1
        return SoupLanguage.SourceLocation(offset: offset, line: line, column: column)
    }
}

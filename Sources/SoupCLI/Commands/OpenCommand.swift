import ArgumentParser
import SoupPlatform

/// `soup [DB]`: the REPL on a terminal; with standard input redirected, runs it as a script.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open DB: the REPL on a terminal, or run standard input as a script.",
        discussion: """
            With no DB: $DATABASE_URL. 'soup DB < script.soup' runs the script exactly as \
            'soup run DB -' does, printing results only.
            """,
        shouldDisplay: false)

    @Argument(help: "The database (see 'soup --help').", completion: .database)
    var database: String?

    @OptionGroup var options: ScriptOptions

    var request: Request {
        Request(script: options.request(.files(["-"]), on: database))
    }

    func run() throws {
        try request.run()
    }

    /// `soup [DB]` in plain values: on a terminal the REPL, otherwise standard input as a script.
    struct Request: Equatable, Sendable {
        var script: ScriptRequest

        func run() throws {
            if isatty(0) == 0 { return try script.run() }
            var repl = try REPL(settings: script.settings, database: script.database)
            try repl.run()
        }
    }
}

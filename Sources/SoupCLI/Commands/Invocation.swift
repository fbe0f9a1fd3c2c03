/// One run of `soup` as its command line asked for it: a command and its values.
///
/// ArgumentParser's commands make one (each command's `request`), and so does
/// ``FastCommandLine`` for the common command lines; either way, running it is the same code.
enum Invocation: Equatable, Sendable {
    case open(OpenCommand.Request)
    case query(ScriptRequest)
    case run(ScriptRequest)
    case tables(TablesCommand.Request)
    case schema(SchemaCommand.Request)
    case status(StatusCommand.Request)

    /// Runs the command; a failure throws the `ExitCode` to leave with.
    func run() throws {
        switch self {
        case .open(let request): try request.run()
        case .query(let request), .run(let request): try request.choosingDatabase().run()
        case .tables(let request): try request.run()
        case .schema(let request): try request.run()
        case .status(let request): try request.run()
        }
    }
}

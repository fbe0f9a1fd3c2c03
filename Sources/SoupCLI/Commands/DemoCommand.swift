import ArgumentParser
import SoupDemo
import SoupDriver
import SoupPlatform
import SoupSQLite

/// `soup demo`: create the demo database when it is missing, then open the REPL on it (on a
/// terminal; otherwise show what to try).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create the demo SQLite database if it is missing, then open the REPL on it.",
        discussion: """
            The demo holds SQLSoup's users, books and loans fixture plus a generated library \
            (about 10,000 users, 2,000 books and 50,000 past loans). It lives in \
            $XDG_DATA_HOME/soup/demo.db (default ~/.local/share/soup/demo.db). Without a \
            terminal on standard input and output, it prints a short tour instead of opening the REPL.
            """)

    @Option(help: "Where to keep the demo database.", completion: .database)
    var path: String?

    func run() throws {
        let environment = Environment.current()
        let target = path ?? DemoDatabase.defaultPath(environment: environment.variables)
        if !FileSystem.exists(target) {
            do {
                try Self.create(at: target)
            } catch {
                StandardError.line("soup: error: could not create the demo database at \(target): \(error)")
                throw ExitCode(ExitStatus.statementFailed)
            }
            StandardError.line("soup: created the demo database at \(target)")
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            print(DemoDatabase.tour(path: target), terminator: "")
            return
        }
        var repl = try REPL(settings: Settings(), database: target)
        try repl.run()
    }

    /// Builds the database in a temporary file beside `path`, then moves it into place, so an
    /// interrupted build never leaves a half-made demo behind.
    static func create(at path: String) throws {
        try Directories.create(parentOf: path)
        let temporary = path + ".partial"
        unlink(temporary)
        do {
            let connection = try SQLiteConnection(location: .file(path: temporary), mode: .readWriteCreate)
            try DemoDatabase.populate(connection)
            connection.close()
            guard rename(temporary, path) == 0 else {
                throw CommandFailure(message: "cannot move the new database into place", exitCode: 1)
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

/// Directory helpers.
enum Directories {
    /// Creates the directory that will hold `path`, with its parents (`mkdir -p`).
    static func create(parentOf path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/").dropLast() {
            prefix += component
            if !FileSystem.exists(prefix), mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw CommandFailure(message: "cannot create directory \(prefix)", exitCode: 1)
            }
            prefix += "/"
        }
    }
}

import ArgumentParser
import SoupOutput

/// `soup status [DB] [--json]`: the bindings of a profile, their roles, transaction state and
/// the reader's lag (pyramid_sqlassist's debug panel, for a terminal).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the bindings, their roles, transaction state and replica lag.",
        discussion: """
            Connects every binding of the profile (or the one database) and prints, per \
            binding: its URL with the password masked, server version, role (primary, standby, \
            file), INIT/START/END state, open transaction, statements sent, the last routing \
            decision and why, and for each reader its lag in WAL bytes and seconds, its state (up, \
            down until when and why, lagging over max_lag) and its share of the reads routed so \
            far. With no DB: $DATABASE_URL, then the config's default profile.
            """)

    @Argument(help: "The database or profile (see 'soup --help').")
    var database: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    @OptionGroup var options: GlobalOptions

    var request: Request {
        Request(database: database, json: json, settings: options.settings)
    }

    func run() throws {
        try request.run()
    }

    /// `soup status` in plain values.
    struct Request: Equatable, Sendable {
        var database: String?
        var json = false
        var settings = Settings()

        func run() throws {
            let session = try CommandSession(settings: settings, database: database)
            defer { session.router.close() }
            let report = session.router.status(connectingAll: true)
            let sink = OutputSink(fileDescriptor: 1)
            sink.write(json ? report.json + "\n" : report.text)
            try sink.flush()
        }
    }
}

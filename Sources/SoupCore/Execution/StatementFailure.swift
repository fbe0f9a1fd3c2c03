import SoupDriver
import SoupLanguage

/// A statement that failed, with where it came from.
public struct StatementFailure: Error {
    public enum Cause: Sendable {
        case database(DatabaseError)
        case evaluation(EvaluationError)
        /// ``RunDelegate/willRun(_:)`` refused it, or the run cannot run it; it was not sent.
        case refused(String)
    }

    public var statement: ScriptStatement
    public var cause: Cause
    /// soup's own advice on a database error, printed as `hint: …` after the report (a
    /// did-you-mean for a table or column that does not exist).
    public var hint: String?

    public init(_ statement: ScriptStatement, _ cause: Cause) {
        self.statement = statement
        self.cause = cause
    }

    /// A failure of a statement soup sent around the script's own (BEGIN, COMMIT, ROLLBACK),
    /// reported as the statement `soup:1:1`.
    static func own(_ error: DatabaseError) -> StatementFailure {
        let sql = error.sql ?? ""
        let statement = Statement(.sql(sql), range: SourceRange(at: SourceLocation(offset: 0, line: 1, column: 1)))
        return StatementFailure(ScriptStatement(script: Script(name: "soup", text: sql), statement: statement), .database(error))
    }

    /// Whether Ctrl-C or a cancel stopped it (exit 130).
    public var isCancel: Bool {
        if case .database(let error) = cause { return error.kind == .cancelled }
        return false
    }

    /// Whether a binding could not connect for it (not a connection lost while it ran).
    var couldNotConnect: Bool {
        if case .database(let error) = cause { return error.kind == .connection }
        return false
    }

    /// Whether a run must stop even with `--continue`: a cancel, or a lost connection.
    var isFatal: Bool {
        guard case .database(let error) = cause else { return false }
        return error.kind == .cancelled || error.kind == .connectionLost || error.kind == .connection
    }

    /// The database error in `error` (a failed statement, or a transaction step around
    /// statements) when it says the connection to the server was lost.
    static func lostConnection(in error: any Error) -> DatabaseError? {
        var database = error as? DatabaseError
        if let failure = error as? StatementFailure, case .database(let inner) = failure.cause { database = inner }
        return database?.kind == .connectionLost ? database : nil
    }

    /// `NAME:LINE:COL: ERROR:  message (SQLSTATE …)` with psql's LINE and caret, DETAIL and
    /// HINT; or, for soup's own errors, `NAME:LINE:COL: message` with the source line, a caret
    /// and the hint.
    public var report: String {
        let script = statement.script
        switch cause {
        case .database(let error):
            let start = script.fileRange(statement.statement.range).start
            var line = start.line
            var column = start.column
            if let location = error.location {
                line = start.line + location.line - 1
                column = location.line == 1 ? start.column + location.column - 1 : location.column
            }
            var positioned = error
            positioned.message = "\(script.name):\(line):\(column): ERROR:  \(error.message)"
            return positioned.report + (hint.map { "\nhint: " + $0 } ?? "")
        case .evaluation(let error):
            let range = script.fileRange(error.range ?? statement.statement.range)
            return ParseError(error.message, range: range, hint: error.hint).rendered(in: script.text, path: script.name)
        case .refused(let message):
            let range = script.fileRange(statement.statement.range)
            return ParseError(message, range: range).rendered(in: script.text, path: script.name)
        }
    }
}

/// Runs a transaction step that soup sends itself; its database error becomes a failure of the
/// statement `soup:1:1`.
func sendingOwn(_ step: () throws -> Void) throws {
    do {
        try step()
    } catch let error as DatabaseError {
        throw StatementFailure.own(error)
    }
}

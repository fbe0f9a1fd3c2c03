import ArgumentParser
import SoupCore
import SoupDriver
import SoupPlatform

extension CompletionKind {
    /// A DB argument: SQLite files by their usual endings (URLs and profiles are typed).
    static var database: CompletionKind { .file(extensions: DatabaseLocator.sqliteExtensions) }

    /// Table names of the database named earlier on the command line.
    static var tableName: CompletionKind {
        .custom { words, index, prefix in TableCompletion.candidates(words: words, index: index, prefix: prefix) }
    }
}

/// Shell completion of table names, run by the completion scripts at TAB time
/// (`soup schema DB <TAB>`, `soup query DB <TAB>`).
///
/// It opens the database named earlier on the command line read-only, lists its tables
/// without reflecting any, and prints nothing on failure: a missing file, a bad URL or an
/// unreachable server simply completes nothing.
enum TableCompletion {
    /// Options that take a value in the next word (`-f csv`), so that value is not read as DB:
    /// those of every command, and the global `-b/--bind` and `--config`.
    static let optionsWithValue: Set<String> = [
        "-f", "--format", "--null", "--tx", "--schema", "--path", "-b", "--bind", "--config", "--input-format",
        "--delimiter", "--encoding", "--pk", "--infer-rows", "--where",
    ]

    /// Table names of the database in `words` that start with `prefix`.
    static func candidates(words: [String], index: Int, prefix: String) -> [String] {
        guard let database = databaseArgument(words: words, before: index) else { return [] }
        let typed = unquoted(prefix)
        return tableNames(database: database).filter { $0.hasPrefix(typed) }
    }

    /// The first positional word after the subcommand, before the word being completed.
    static func databaseArgument(words: [String], before index: Int) -> String? {
        var position = 2  // words[0] is the program, words[1] the subcommand
        var afterSeparator = false
        while position < min(index, words.count) {
            let word = words[position]
            position += 1
            if afterSeparator || !word.hasPrefix("-") || word == "-" { return unquoted(word) }
            if word == "--" {
                afterSeparator = true
            } else if optionsWithValue.contains(word) {
                position += 1
            }
        }
        return nil
    }

    /// `word` without one level of shell quoting: surrounding quotes, backslash escapes, `~/`.
    static func unquoted(_ word: String) -> String {
        var result = ""
        var quote: Character?
        var escaped = false
        for character in word {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == quote {
                quote = nil
            } else if quote == nil, character == "'" || character == "\"" {
                quote = character
            } else if character == "\\", quote != "'" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if result.hasPrefix("~/"), let home = Environment.current()["HOME"] {
            return home + result.dropFirst()
        }
        return result
    }

    /// The tables and views of `database` (or of a profile's reader), or none when it cannot be
    /// opened or listed.
    static func tableNames(database: String) -> [String] {
        // libpq waits this long for a server that does not answer, unless the user chose.
        setenv("PGCONNECT_TIMEOUT", "2", 0)
        let connector = Connector(readOnly: true, environment: Environment.current())
        guard let router = try? connector.connect(database) else { return [] }
        router.note = { _ in }
        defer { router.close() }
        return (try? Soup(connection: router).tableNames()) ?? []
    }
}

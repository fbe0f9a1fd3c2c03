import SoupCore
import SoupLanguage
import SoupOutput

/// Tab completion for the REPL: meta commands and their arguments here; soup and SQL, by where
/// the cursor is, from SoupCore's ``InputAssistant``.
struct Completer {
    let assistant: InputAssistant
    /// The bindings `\use` can name.
    var bindings: () -> [String] = { ["writer"] }

    /// Completion at UTF-8 offset `cursor` of `text`, the whole input so far.
    func complete(_ text: String, cursor: Int) -> CompletionResult {
        let context = CompletionContext.at(cursor, in: text)
        switch context.kind {
        case .metaCommand(let dotted):
            let names = dotted ? MetaCommandTable.dotNames : MetaCommandTable.backslashNames
            return words(names, context, kind: .metaCommand, appendsSpace: true)
        case .metaArgument(let command):
            return argument(of: command, context, in: Array(text.utf8))
        default:
            return .completion(assistant.complete(context))
        }
    }

    private func argument(of command: String, _ context: CompletionContext, in bytes: [UInt8]) -> CompletionResult {
        switch MetaCommandTable.canonicalName(command) {
        case "d", "dt", "dv", "di", "refresh":
            // `\d audit.ev`: the tables of schema audit.
            var schema: String?
            if context.word.lowerBound > 0, bytes[context.word.lowerBound - 1] == UInt8(ascii: ".") {
                let end = context.word.lowerBound - 1
                var start = end
                while start > 0, bytes[start - 1] != UInt8(ascii: " ") { start -= 1 }
                schema = String(decoding: bytes[start..<end], as: UTF8.self)
            }
            var tables = assistant.complete(CompletionContext(kind: .sqlTable(schema: schema), word: context.word, prefix: context.prefix))
            tables.appendsSpace = false
            return .completion(tables)
        case "i", "o":
            return .fileNames
        case "format":
            return words(OutputFormat.allCases.map(\.rawValue), context, kind: .value)
        case "x":
            return words(["on", "off", "auto"], context, kind: .value)
        case "timing", "echo", "autocommit", "pager", "color", "suggest":
            return words(["on", "off"], context, kind: .value)
        case "use":
            return words(bindings() + ["auto"], context, kind: .value)
        default:
            return words([], context, kind: .value)
        }
    }

    private func words(
        _ names: [String], _ context: CompletionContext, kind: CompletionCandidate.Kind, appendsSpace: Bool = false
    ) -> CompletionResult {
        .completion(
            Completion(
                word: context.word, typed: context.prefix, candidates: names.map { CompletionCandidate($0, kind: kind) },
                appendsSpace: appendsSpace))
    }
}

/// What the cursor is in when TAB is pressed: which kind of name fits there, and the partly
/// typed word that completion replaces. Worked out from the text alone (see ``InputScanner``);
/// the names themselves come from the database, one layer up.
///
/// ```swift
/// let context = CompletionContext.at(14, in: "SELECT * FROM tr")
/// // context.kind == .sqlTable(schema: nil), context.prefix == "tr"
/// ```
public struct CompletionContext: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A meta command's name: `\d`, or after a leading `.` (the word is without the dot).
        case metaCommand(dotted: Bool)
        /// The argument of meta command `command` (its name without `\` or `.`).
        case metaArgument(command: String)
        /// A bare soup name: a variable, builtin, table, `db`; at a statement's start also the
        /// words that begin raw SQL.
        case name(atStatementStart: Bool)
        /// A name after `receiver.`: columns, relations, methods.
        case member(of: Receiver)
        /// The start of an argument of `call`: keyword arguments (`name=`) or any name.
        case argument(of: Call)
        /// A key of the dictionary that is the first argument of `call` (`update({`); `quoted`
        /// when the opening quote is typed already.
        case dictionaryKey(of: Call, quoted: Bool)
        /// Inside the string argument of `db.entity('…')`: a table name.
        case tableNameString
        /// A SQL table after `FROM`, `JOIN`, `INTO`, `UPDATE` or `TABLE`; of `schema` after `schema.`.
        case sqlTable(schema: String?)
        /// A SQL column of the statement's tables (of the one `qualifier` names, after `t.`);
        /// `functions` where a function call fits too.
        case sqlColumn(qualifier: String?, functions: Bool)
        /// A SQL keyword.
        case sqlKeyword
        /// Nothing to complete: inside a string or comment.
        case nothing
    }

    /// An expression before a `.`, as far as completion follows it without running anything.
    public indirect enum Receiver: Equatable, Sendable {
        /// `users`, `row`, `db`, `func`.
        case name(String)
        /// `users.c`, `db.users`.
        case member(Receiver, String)
        /// `users.filter(…)`, `db.entity('Track')`: a call, with its first argument when that
        /// is a string.
        case call(Call, firstString: String?)
        /// Anything else (a literal, an index).
        case unknown
    }

    /// A call being written: `users.filter_by(`, `q.update(`, `print(`.
    public struct Call: Equatable, Sendable {
        /// What the method is called on; nil for a bare function (`print(`).
        public var receiver: Receiver?
        public var name: String

        public init(receiver: Receiver?, name: String) {
            self.receiver = receiver
            self.name = name
        }
    }

    /// A table a SQL statement names, with its alias (`FROM audit.events e`).
    public struct SQLTable: Equatable, Sendable {
        public var schema: String?
        public var name: String
        public var alias: String?

        public init(schema: String? = nil, name: String, alias: String? = nil) {
            self.schema = schema
            self.name = name
            self.alias = alias
        }
    }

    public var kind: Kind
    /// The partly typed word before the cursor (UTF-8 offsets); completion replaces it.
    public var word: Range<Int>
    /// The text of ``word``.
    public var prefix: String
    /// In SQL, the tables of the statement the cursor is in, wherever they are named in it.
    public var sqlTables: [SQLTable] = []

    public init(kind: Kind, word: Range<Int>, prefix: String, sqlTables: [SQLTable] = []) {
        self.kind = kind
        self.word = word
        self.prefix = prefix
        self.sqlTables = sqlTables
    }

    /// The context at UTF-8 offset `cursor` of `text` (the input so far, all its lines).
    public static func at(_ cursor: Int, in text: String) -> CompletionContext {
        ContextReader(text: text, cursor: cursor).context()
    }
}

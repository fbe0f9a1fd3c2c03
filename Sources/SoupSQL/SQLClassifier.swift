import SoupDriver
import Synchronization

/// What a SQL statement does, as far as routing, `--read-only` and the transactions of scripts
/// care (docs/routing-rules.md).
public struct SQLClassification: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Known to only read: goes to the reader when there is one.
        case read
        /// Writes, or is not known to only read: goes to the writer.
        case write
        /// BEGIN / START TRANSACTION.
        case begin
        /// COMMIT, ROLLBACK, END, ABORT.
        case end
        /// SAVEPOINT, RELEASE, ROLLBACK TO, weak LOCKs, SET TRANSACTION: follow the transaction.
        case transactionControl
        /// SET, RESET, DISCARD, PREPARE and the like: per-connection settings.
        case session
    }

    public var kind: Kind
    /// What decided the class, for status and notes: `SELECT`, `INSERT`, `SELECT ... FOR UPDATE`.
    public var reason: String
    /// Switches a session back to read-write; `--read-only` refuses it (docs/routing-rules.md,
    /// section 6).
    public var escapesReadOnly = false
    /// For BEGIN: a READ ONLY transaction that a standby accepts (not SERIALIZABLE).
    public var beginsReadOnly = false
    /// Functions a read calls that are not known to be reads; the router asks the database
    /// whether any is volatile, which makes the statement a write.
    public var functions: [String] = []
    /// The binding named by a `/* soup:bind=NAME */` hint.
    public var hintedBinding: String?
    /// Manages transactions itself (BEGIN, COMMIT, SAVEPOINT, ...) or is refused inside one
    /// (VACUUM, CREATE DATABASE, CREATE INDEX CONCURRENTLY, ...), so a script holding it cannot
    /// be wrapped in one transaction.
    public var cannotRunInTransaction = false
    /// COMMIT or END: a connection lost while it runs leaves unknown whether the work was kept.
    public var commits = false
    /// EXPLAIN, without ANALYZE, of a statement that writes: it only reads, but its plan is made
    /// on the writer, where the statement itself would run (a reader may plan it otherwise).
    public var plansWrite = false

    public init(
        kind: Kind, reason: String, escapesReadOnly: Bool = false, beginsReadOnly: Bool = false
    ) {
        self.kind = kind
        self.reason = reason
        self.escapesReadOnly = escapesReadOnly
        self.beginsReadOnly = beginsReadOnly
    }

    /// The class of a transaction step, known from its type without reading its SQL (so a
    /// read-only BEGIN is one on SQLite too, which has no `BEGIN READ ONLY`).
    public init(_ control: TransactionControl) {
        switch control {
        case .begin(let readOnly):
            self.init(kind: .begin, reason: readOnly ? "BEGIN READ ONLY" : "BEGIN", beginsReadOnly: readOnly)
        case .commit:
            self.init(kind: .end, reason: "COMMIT")
            commits = true
        case .rollback:
            self.init(kind: .end, reason: "ROLLBACK")
        case .savepoint:
            self.init(kind: .transactionControl, reason: "SAVEPOINT")
        case .releaseSavepoint:
            self.init(kind: .transactionControl, reason: "RELEASE")
        case .rollbackToSavepoint:
            self.init(kind: .transactionControl, reason: "ROLLBACK TO")
        }
        cannotRunInTransaction = true
    }

    /// Whether `--read-only` must refuse the statement without sending it.
    public var isRefusedWhenReadOnly: Bool { kind == .write || escapesReadOnly }
}

/// Classifies SQL without running it. Unknown means write: a statement is a read only when
/// every part of it is known to read.
public enum SQLClassifier {
    /// The last statements classified. One statement is classified by each layer it passes
    /// (the script's transaction plan, the router, the reader's read-only guard), so the second
    /// and third ask are a string comparison instead of a tokenization: routing 10,000 short
    /// reads otherwise costs about a tenth more CPU than sending them to one server.
    private static let recent = Mutex(RecentClassifications())

    /// Classifies one statement or a script (a script takes its worst class).
    public static func classify(_ sql: String) -> SQLClassification {
        if let known = recent.withLock({ $0.classification(of: sql) }) { return known }
        let result = classifyUncached(sql)
        recent.withLock { $0.remember(result, of: sql) }
        return result
    }

    private static func classifyUncached(_ sql: String) -> SQLClassification {
        let tokens = SQLTokens(sql)
        let parts = tokens.statements.map { classify(statement: $0) }
        var result = parts.first ?? SQLClassification(kind: .session, reason: "empty statement")
        if let write = parts.first(where: { $0.kind == .write }) {
            result = write
        }
        result.escapesReadOnly = parts.contains { $0.escapesReadOnly }
        result.cannotRunInTransaction = parts.contains { $0.cannotRunInTransaction }
        result.commits = parts.contains { $0.commits }
        result.functions = parts.flatMap(\.functions)
        result.hintedBinding = tokens.comments.lazy.compactMap(hint(in:)).first
        return result
    }

    /// Whether `sql` may be a session statement (it starts with SET, RESET or DISCARD, or with a
    /// comment that may hide one): a check cheap enough for every statement, before
    /// ``classify(_:)`` says for sure.
    public static func mayBeSessionStatement(_ sql: String) -> Bool {
        guard let word = SQLTokens.leadingWord(of: sql) else { return sql.contains { !$0.isWhitespace } }
        return word == "set" || word == "reset" || word == "discard"
    }

    /// `soup:bind=NAME` in a comment.
    private static func hint(in comment: String) -> String? {
        guard let range = comment.firstRange(of: "soup:bind=") else { return nil }
        let name = comment[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return name.isEmpty ? nil : String(name)
    }

    private static func classify(statement tokens: [SQLToken]) -> SQLClassification {
        let words = tokens.filter { $0.kind == .word }.map(\.text)
        var result = classify(tokens, words: words)
        result.cannotRunInTransaction = cannotRunInTransaction(words)
        result.commits = result.kind == .end && (words.first == "commit" || words.first == "end")
        return result
    }

    private static func cannotRunInTransaction(_ words: [String]) -> Bool {
        let first = words.first
        switch first {
        case "begin", "commit", "rollback", "end", "abort", "start", "savepoint", "release", "vacuum":
            return true
        case "create", "drop", "alter", "reindex":
            // CREATE DATABASE, DROP TABLESPACE, ALTER SYSTEM, REINDEX SYSTEM, and indexes built
            // or dropped CONCURRENTLY; not a table that happens to be named `database`.
            let head = words.prefix(4)
            return ["database", "tablespace", "system"].contains(words.dropFirst().first ?? "")
                || (head.contains("concurrently") && (head.contains("index") || first == "reindex"))
        default:
            return false
        }
    }

    private static func classify(_ tokens: [SQLToken], words: [String]) -> SQLClassification {
        guard let first = words.first else { return SQLClassification(kind: .write, reason: "unknown statement") }
        let keyword = first.uppercased()
        func write(_ reason: String? = nil) -> SQLClassification { SQLClassification(kind: .write, reason: reason ?? keyword) }
        func follows(_ a: String, _ b: String) -> Bool { zip(words, words.dropFirst()).contains { $0 == a && $1 == b } }
        switch first {
        case "select", "values", "table", "with", "declare":
            return readCandidate(tokens, keyword: keyword)
        case "show", "fetch", "move", "close":
            return SQLClassification(kind: .read, reason: keyword)
        case "explain":
            return explain(tokens)
        case "copy":
            let from = tokens.contains { $0.depth == 0 && $0.isWord("from") }
            return from ? write("COPY FROM") : SQLClassification(kind: .read, reason: "COPY TO")
        case "begin", "start":
            if follows("read", "write") { return SQLClassification(kind: .begin, reason: "BEGIN READ WRITE", escapesReadOnly: true) }
            let readOnly = follows("read", "only") && !words.contains("serializable")
            return SQLClassification(kind: .begin, reason: readOnly ? "BEGIN READ ONLY" : "BEGIN", beginsReadOnly: readOnly)
        case "commit", "rollback", "end", "abort":
            if words.contains("prepared") { return write("\(keyword) PREPARED") }
            if first == "rollback", words.contains("to") { return SQLClassification(kind: .transactionControl, reason: "ROLLBACK TO") }
            return SQLClassification(kind: .end, reason: keyword)
        case "savepoint", "release":
            return SQLClassification(kind: .transactionControl, reason: keyword)
        case "set":
            return set(words)
        case "reset", "discard":
            let escapes = words.contains("all") || words.contains { $0.hasSuffix("transaction_read_only") }
            return SQLClassification(kind: .session, reason: keyword, escapesReadOnly: escapes)
        case "prepare":
            return words.contains("transaction") ? write("PREPARE TRANSACTION") : SQLClassification(kind: .session, reason: keyword)
        case "deallocate", "load", "attach", "detach":
            return SQLClassification(kind: .session, reason: keyword)
        case "pragma":
            return pragma(tokens)
        case "lock":
            let weak = follows("access", "share") || follows("row", "share")
            return weak ? SQLClassification(kind: .transactionControl, reason: "LOCK (weak)") : write("LOCK")
        default:
            // INSERT, UPDATE, DELETE, MERGE, DDL, VACUUM, CALL, DO, LISTEN, NOTIFY, EXECUTE, ... and
            // anything unknown.
            return write()
        }
    }

    /// SELECT, VALUES, TABLE, WITH, DECLARE: a read unless something in it writes.
    private static func readCandidate(_ tokens: [SQLToken], keyword: String) -> SQLClassification {
        var result = SQLClassification(kind: .read, reason: keyword)
        for (index, token) in tokens.enumerated() where token.kind == .word {
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            switch token.text {
            case "insert", "update", "delete", "merge":
                // `FOR UPDATE` is found below; any other is a data-modifying part.
                if index > 0, tokens[index - 1].isWord("for") || tokens[index - 1].isWord("key") { continue }
                return SQLClassification(kind: .write, reason: "data-modifying \(keyword) (\(token.text.uppercased()))")
            case "into" where keyword == "SELECT" || keyword == "WITH":
                return SQLClassification(kind: .write, reason: "SELECT INTO")
            case "for":
                if let next, next.kind == .word, ["update", "share", "no", "key"].contains(next.text) {
                    return SQLClassification(kind: .write, reason: "\(keyword) ... FOR \(next.text.uppercased())")
                }
            default:
                guard next?.kind == .openParen, !notFunctions.contains(token.text) else { continue }
                if writingFunctions.contains(token.text) || token.text.hasPrefix("pg_advisory")
                    || token.text.hasPrefix("pg_try_advisory") || token.text.hasPrefix("lo_")
                {
                    return SQLClassification(kind: .write, reason: "\(token.text)()")
                }
                if token.text == "set_config" {
                    let argument = index + 2 < tokens.count ? tokens[index + 2] : nil
                    if argument?.kind != .string || argument?.text.lowercased().contains("read_only") == true {
                        result.escapesReadOnly = true
                        result.kind = .write
                        result.reason = "set_config()"
                    }
                    continue
                }
                if !readingFunctions.contains(token.text), !result.functions.contains(token.text) {
                    result.functions.append(token.text)
                }
            }
        }
        for (index, token) in tokens.enumerated() where token.kind == .quotedName {
            if index + 1 < tokens.count, tokens[index + 1].kind == .openParen { result.functions.append(token.text) }
        }
        return result
    }

    /// EXPLAIN reads unless it runs (ANALYZE) a statement that writes; the plan of a write is
    /// made on the writer all the same.
    private static func explain(_ tokens: [SQLToken]) -> SQLClassification {
        let analyzes = tokens.contains { $0.isWord("analyze") || $0.isWord("analyse") }
        let bodyStart = tokens.dropFirst().firstIndex { token in
            token.depth == 0 && token.kind == .word
                && !["analyze", "analyse", "verbose", "costs", "buffers", "timing", "summary", "settings", "wal", "format", "true", "false", "on", "off", "text", "json", "yaml", "xml", "query", "plan"].contains(token.text)
        }
        guard let bodyStart else { return SQLClassification(kind: .read, reason: "EXPLAIN") }
        var inner = classify(statement: Array(tokens[bodyStart...]))
        guard analyzes else {
            var plan = SQLClassification(kind: .read, reason: "EXPLAIN")
            plan.plansWrite = inner.kind != .read
            return plan
        }
        if inner.kind != .read { inner.kind = .write }
        inner.reason = "EXPLAIN ANALYZE " + inner.reason
        return inner
    }

    /// SET of a setting: a session statement, except those that make a session read-write.
    private static func set(_ words: [String]) -> SQLClassification {
        let rest = words.dropFirst().drop { $0 == "session" || $0 == "local" }
        if rest.first == "transaction" || rest.first == "characteristics" {
            let readWrite = zip(rest, rest.dropFirst()).contains { $0 == "read" && $1 == "write" }
            return SQLClassification(
                kind: readWrite ? .write : .transactionControl, reason: readWrite ? "SET ... READ WRITE" : "SET TRANSACTION",
                escapesReadOnly: readWrite)
        }
        if let name = rest.first, name.hasSuffix("transaction_read_only") {
            let value = rest.dropFirst().first { $0 != "to" } ?? ""
            if !["on", "true", "yes", "1"].contains(value) {
                return SQLClassification(kind: .write, reason: "SET \(name) off", escapesReadOnly: true)
            }
        }
        if words.dropFirst().first == "local" { return SQLClassification(kind: .transactionControl, reason: "SET LOCAL") }
        return SQLClassification(kind: .session, reason: "SET")
    }

    /// SQLite's PRAGMA: reading a pragma is a read; setting one is per connection, except those
    /// that change the file and `query_only = off`.
    private static func pragma(_ tokens: [SQLToken]) -> SQLClassification {
        var rest = Array(tokens.dropFirst())
        if rest.count >= 2, rest[1].text == "." { rest.removeFirst(2) }
        let name = rest.first?.text.lowercased() ?? ""
        let assigns = rest.count > 1 && rest[1].text == "="
        let value = assigns && rest.count > 2 ? rest[2].text.lowercased() : ""
        let changesFile: Set<String> = ["user_version", "application_id", "journal_mode", "auto_vacuum", "page_size", "schema_version"]
        if ["incremental_vacuum", "optimize", "wal_checkpoint"].contains(name) || (assigns && changesFile.contains(name)) {
            return SQLClassification(kind: .write, reason: "PRAGMA \(name)")
        }
        if name == "query_only", assigns, !["1", "on", "true", "yes"].contains(value) {
            return SQLClassification(kind: .write, reason: "PRAGMA query_only off", escapesReadOnly: true)
        }
        return SQLClassification(kind: assigns ? .session : .read, reason: "PRAGMA")
    }

    /// Words that a `(` may follow without being a function call.
    private static let notFunctions: Set<String> = [
        "in", "values", "as", "exists", "any", "all", "some", "filter", "over", "within", "row", "array", "using",
        "on", "from", "select", "where", "and", "or", "not", "join", "lateral", "table", "into", "cube", "rollup",
        "grouping", "sets", "partition", "window", "with", "recursive", "returning", "conflict", "do", "case", "when",
        "then", "else", "between", "like", "limit", "offset", "by", "having", "union", "intersect", "except",
        "distinct", "numeric", "decimal", "varchar", "char", "character", "interval", "timestamp", "time", "bit",
        "float", "cast", "coalesce", "nullif", "greatest", "least", "extract", "substring", "trim", "position",
        "overlay", "is", "materialized", "cursor", "for",
    ]

    /// Functions that write, change the transaction's state or need the primary: a standby refuses
    /// each.
    private static let writingFunctions: Set<String> = [
        "nextval", "setval", "currval", "lastval", "txid_current", "txid_current_if_assigned", "pg_current_xact_id",
        "pg_current_xact_id_if_assigned", "pg_notify", "dblink_exec", "pg_logical_emit_message", "pg_current_wal_lsn",
        "pg_current_wal_insert_lsn", "pg_current_wal_flush_lsn", "pg_switch_wal", "pg_create_restore_point",
        "pg_create_physical_replication_slot", "pg_create_logical_replication_slot", "pg_drop_replication_slot",
    ]

    /// Functions known to only read, volatile or not, so no catalog lookup is needed
    /// (`random()`, `clock_timestamp()` and the replication status functions are volatile but
    /// run on a standby).
    private static let readingFunctions: Set<String> = [
        "count", "sum", "avg", "min", "max", "lower", "upper", "length", "char_length", "now", "current_setting",
        "version", "pg_backend_pid", "inet_server_port", "inet_server_addr", "pg_is_in_recovery",
        "pg_last_wal_replay_lsn", "pg_last_wal_receive_lsn", "pg_last_xact_replay_timestamp",
        "pg_get_wal_replay_pause_state", "pg_is_wal_replay_paused", "pg_wal_lsn_diff", "random", "clock_timestamp",
        "timeofday", "gen_random_uuid", "pg_sleep", "format_type", "pg_get_expr", "pg_get_indexdef",
        "pg_get_constraintdef", "pg_get_viewdef", "pg_get_serial_sequence", "array_agg", "string_agg", "json_agg",
        "jsonb_agg", "json_build_object", "jsonb_build_object", "row_number", "rank", "dense_rank", "generate_series",
        "replace", "concat", "concat_ws", "abs", "round", "floor", "ceil", "to_char", "to_json", "to_jsonb",
        "date_trunc", "age", "has_table_privilege", "pg_relation_size", "pg_total_relation_size", "pg_table_size",
        "pg_database_size", "pg_size_pretty", "quote_ident", "format", "unnest", "array_length", "left", "right",
        "typeof", "ifnull", "printf", "instr", "strftime", "datetime", "julianday", "sqlite_version", "total",
        "group_concat", "changes", "last_insert_rowid", "pragma_table_info", "pragma_foreign_key_list",
        "pragma_index_list", "pragma_index_info", "regexp_replace", "split_part", "starts_with", "obj_description",
        "col_description", "pg_get_userbyid", "pg_encoding_to_char", "current_database", "current_schema",
        "current_schemas", "pg_typeof", "row_to_json", "json_object_agg", "exp", "ln", "power", "sqrt", "mod",
    ]
}

/// A few statements and their classes, newest first; long texts (scripts, bulk statements) are
/// not kept, since comparing them would cost what classifying them does.
struct RecentClassifications {
    static let capacity = 4
    static let longestKept = 4_096
    private var entries: [(sql: String, classification: SQLClassification)] = []

    func classification(of sql: String) -> SQLClassification? {
        entries.first { $0.sql == sql }?.classification
    }

    mutating func remember(_ classification: SQLClassification, of sql: String) {
        guard sql.utf8.count <= Self.longestKept else { return }
        if entries.count == Self.capacity { entries.removeLast() }
        entries.insert((sql, classification), at: 0)
    }
}

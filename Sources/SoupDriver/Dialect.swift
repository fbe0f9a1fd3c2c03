/// How one database engine spells the parts of SQL that differ between engines.
public struct Dialect: Hashable, Sendable {
    /// The engine this dialect belongs to.
    public enum Engine: String, Sendable {
        case sqlite
        case postgres
    }

    public let engine: Engine

    public static let sqlite = Dialect(engine: .sqlite)
    public static let postgres = Dialect(engine: .postgres)

    /// The placeholder for the parameter at `index` (0-based): `?` or `$1`.
    public func placeholder(_ index: Int) -> String {
        engine == .sqlite ? "?" : "$\(index + 1)"
    }

    /// Quotes an identifier when it is not a plain lowercase name, doubling embedded quotes.
    ///
    /// ```swift
    /// Dialect.postgres.quoteIdentifier("users")      // users
    /// Dialect.postgres.quoteIdentifier("Odd Name")   // "Odd Name"
    /// ```
    public func quoteIdentifier(_ name: String) -> String {
        if isPlainIdentifier(name) { return name }
        return forceQuoteIdentifier(name)
    }

    /// Quotes an identifier always.
    public func forceQuoteIdentifier(_ name: String) -> String {
        "\"" + name.doubling("\"") + "\""
    }

    /// A SQL string literal, with embedded quotes doubled. For output formats only: values sent
    /// to the database are always bound parameters.
    public func stringLiteral(_ text: String) -> String {
        "'" + text.doubling("'") + "'"
    }

    /// A statement as `--echo` and `db.pending()` show it: the SQL with a `;`, then a comment
    /// that lists the parameters in order (`-- ?1 = 'x'` or `-- $1 = 'x'`).
    public func echo(_ sql: String, _ parameters: [Value]) -> String {
        echo(sql, rendered: parameters.map(\.description))
    }

    /// The same, with each parameter already written as it should be shown (a secret masked).
    public func echo(_ sql: String, rendered parameters: [String]) -> String {
        var text = sql.hasSuffix(";") ? sql : sql + ";"
        if !parameters.isEmpty {
            let listed = parameters.enumerated().map { index, value in
                "\(engine == .sqlite ? "?\(index + 1)" : placeholder(index)) = \(value)"
            }
            text += "  -- " + listed.joined(separator: ", ")
        }
        return text
    }

    /// The SQL of a transaction step. SQLite has no `BEGIN READ ONLY`: its read-only BEGIN says
    /// so in a comment, for whoever reads `--echo`; what routing goes by is the typed
    /// ``TransactionControl``, never this text.
    public func sql(for control: TransactionControl) -> String {
        switch control {
        case .begin(let readOnly):
            guard readOnly else { return "BEGIN" }
            return engine == .sqlite ? "BEGIN /* soup:read-only */" : "BEGIN READ ONLY"
        case .commit: return "COMMIT"
        case .rollback: return "ROLLBACK"
        case .savepoint(let name): return "SAVEPOINT " + quoteIdentifier(name)
        case .releaseSavepoint(let name): return "RELEASE SAVEPOINT " + quoteIdentifier(name)
        case .rollbackToSavepoint(let name): return "ROLLBACK TO SAVEPOINT " + quoteIdentifier(name)
        }
    }

    private func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first >= 97 && first <= 122)
        else { return false }
        let plain = name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
        }
        return plain && !SQLKeywords.isReserved(name)
    }
}

/// Words that must be quoted when used as identifiers, in either engine.
enum SQLKeywords {
    /// Sorted, for a binary search: a `Set` would hash every word at the first quoting, a
    /// tenth of a millisecond at a first entity access.
    static let reserved: [String] = [
        "all", "alter", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
        "authorization", "between", "binary", "both", "case", "cast", "check", "collate", "collation",
        "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
        "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
        "deferrable", "delete", "desc", "distinct", "do", "drop", "else", "end", "except", "exists", "false",
        "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
        "index", "initially", "inner", "insert", "intersect", "into", "is", "isnull", "join", "lateral",
        "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull",
        "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary",
        "references", "returning", "right", "select", "session_user", "set", "similar", "some", "symmetric",
        "table", "tablesample", "then", "to", "trailing", "transaction", "true", "union", "unique", "update",
        "user", "using", "values", "variadic", "verbose", "when", "where", "window", "with",
    ]

    static func isReserved(_ name: String) -> Bool {
        var low = 0
        var high = reserved.count
        while low < high {
            let middle = (low + high) / 2
            if reserved[middle] == name { return true }
            if reserved[middle] < name { low = middle + 1 } else { high = middle }
        }
        return false
    }
}

extension String {
    /// The text with every `quote` doubled, counted in Unicode scalars: a `"` that a combining
    /// mark joins into one Character (`"\u{301}`) is doubled too, so it cannot end the quoting.
    func doubling(_ quote: Unicode.Scalar) -> String {
        var doubled = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            doubled.append(scalar)
            if scalar == quote { doubled.append(scalar) }
        }
        return String(doubled)
    }
}

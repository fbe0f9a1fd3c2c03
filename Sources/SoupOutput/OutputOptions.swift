import SoupDriver

/// The ways a result can be printed (`-f/--format`).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// psql's aligned table: a header, a `---+---` rule, the rows and a `(N rows)` footer.
    case table
    /// `table` fitted to the terminal: the columns share its width, and long cells wrap inside
    /// their column, on word boundaries where they can; numbers never wrap. Output that is not
    /// a terminal (whose width is unknown) gets `table`.
    case wrapped
    /// psql's expanded display (`\x`): one `-[ RECORD n ]-` block per row.
    case expanded
    /// RFC 4180 CSV the way `psql --csv` writes it.
    case csv
    /// Tab-separated values in PostgreSQL's `COPY … TO` text convention (`\N` for NULL).
    case tsv
    /// One JSON document per printed value; a result set is an array of objects.
    case json
    /// JSON Lines: one object per row, one row per line.
    case jsonl
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// `INSERT` statements, one per row.
    case sql
}

/// How results are printed: the format and the knobs the command line exposes.
public struct OutputOptions: Sendable {
    /// The output format.
    public var format: OutputFormat = .table
    /// What `table`, `wrapped`, `expanded` and `markdown` show for NULL (`--null`, `\null`); CSV,
    /// TSV, JSON and SQL have their own spelling of NULL and ignore it. Nil: a dim `∅` in the
    /// terminal layouts when colour is on, else nothing (see ``shownNullText``).
    public var nullText: String?
    /// Whether to colour headers (bold) and NULLs (dim) with ANSI escapes in `table`, `wrapped`
    /// and `expanded`. The command line sets it only when stdout is a terminal and `NO_COLOR` is unset.
    public var useColor: Bool = false
    /// Whether the terminal layouts may style text without colour: reverse video marks the cells
    /// that changed while watching (`\watch`), as `watch -d` does. NO_COLOR, `--no-color` and
    /// `\color off` turn colour off, not this (no-color.org leaves styling alone); the command
    /// line sets it when stdout is a terminal that takes escapes (`TERM` set and not `dumb`).
    public var useStyles: Bool = false
    /// The columns of the terminal that output goes to; nil when it does not go to a terminal.
    /// With a width, `wrapped` fits the table to it, and `expanded` and `wrapped` lay JSON
    /// cells out over several lines and wrap long values.
    public var terminalWidth: Int?
    /// `\x auto`, `--expanded auto`: `table` and `wrapped` print as `expanded` when their rows
    /// would be wider than ``terminalWidth`` (never when the width is unknown).
    public var expandsAutomatically = false
    /// The table named in the `sql` format's `INSERT` statements, quoted as one identifier.
    public var sqlTableName: String = "result"
    /// How the `sql` format quotes identifiers and spells literals.
    public var dialect: Dialect = .sqlite
    /// How many leading rows `table`, `expanded` and `markdown` hold in memory to size their
    /// columns before printing; rows after them reuse those widths (see ``ResultPrinter``).
    public var sizingWindow: Int = 1_000

    /// Creates options; every parameter defaults to the command line's default.
    public init(
        format: OutputFormat = .table, nullText: String? = nil, useColor: Bool = false,
        terminalWidth: Int? = nil, expandsAutomatically: Bool = false,
        sqlTableName: String = "result", dialect: Dialect = .sqlite, sizingWindow: Int = 1_000
    ) {
        self.format = format
        self.nullText = nullText
        self.useColor = useColor
        self.terminalWidth = terminalWidth.map { max(1, $0) }
        self.expandsAutomatically = expandsAutomatically
        self.sqlTableName = sqlTableName
        self.dialect = dialect
        self.sizingWindow = max(1, sizingWindow)
    }

    /// What the terminal layouts show for NULL: ``nullText``, else `∅` when colour is on (it
    /// is printed dim), else nothing.
    var shownNullText: String {
        nullText ?? (useColor ? "∅" : "")
    }
}

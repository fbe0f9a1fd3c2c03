import SoupDriver
import SoupReflection
import SoupSQL

extension Soup {
    /// `failure` with a did-you-mean hint when it is a SQL statement that named a table or
    /// column the database does not have (`SELECT * FROM Artst` → `did you mean 'Artist'?`),
    /// drawn from the same reflected names as a soup statement's hints.
    ///
    /// Names already listed or reflected are used as they are, without a catalog query. Only
    /// when they are not, and the connection can still answer (outside a failed PostgreSQL
    /// transaction: call this after rolling back), one listing or reflection query is sent.
    /// A server's own hint (PostgreSQL's "Perhaps you meant …") is left to speak alone.
    func withNameHint(_ failure: StatementFailure) -> StatementFailure {
        guard case .sql(let sql) = failure.statement.statement.kind, case .database(let error) = failure.cause,
            error.hint == nil, let undefined = error.undefinedName
        else { return failure }
        let mayQuery = connection.transactionStatus != .failed
        let suggestions: [String]
        switch undefined.kind {
        case .table:
            let name = TableName(parsing: undefined.name)
            guard catalog.isListed || mayQuery else { return failure }
            suggestions = (try? catalog.suggestions(for: name)) ?? []
        case .column:
            suggestions = columnSuggestions(for: undefined.name, in: sql, mayQuery: mayQuery)
        }
        guard !suggestions.isEmpty else { return failure }
        var hinted = failure
        hinted.hint = String(NameSuggester.didYouMean(suggestions).dropFirst(2))
        return hinted
    }

    /// The columns nearest to `name` (`nme`, or `u.nme` with a table or alias first) among the
    /// tables the statement names.
    private func columnSuggestions(for name: String, in sql: String, mayQuery: Bool) -> [String] {
        var qualifier: String?
        var column = name
        if let dot = name.lastIndex(of: ".") {
            qualifier = String(name[..<dot])
            column = String(name[name.index(after: dot)...])
        }
        var candidates: [String] = []
        for reference in SQLTableReferences.in(sql) {
            let known = reference.alias ?? reference.name
            if let qualifier, known != qualifier, known != qualifier.lowercased() { continue }
            let tableName = TableName(reference.name, schema: reference.schema)
            guard let table = catalog.cachedTable(tableName) ?? (mayQuery ? try? catalog.tableForQuerying(tableName) : nil)
            else { continue }
            candidates += table.columns.map(\.name)
        }
        let near = NameSuggester.suggestions(for: column, among: candidates)
        return near.map { bare in qualifier.map { "\($0).\(bare)" } ?? bare }
    }
}

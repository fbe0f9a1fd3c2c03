import SoupDriver

/// Writes reflected tables as one JSON document, `soup schema --format json`.
///
/// The structure is stable: keys are always present (`null` or `[]` when empty), in this
/// order, and new keys are only ever added. `version` changes if a key's meaning ever does.
///
/// ```json
/// {
///   "format": "soup-schema",
///   "version": 1,
///   "engine": "sqlite",                    // or "postgres"
///   "tables": [
///     {
///       "schema": "main",                  // PostgreSQL schema or SQLite database name
///       "name": "loans",
///       "kind": "table",                   // table | view | materialized_view |
///                                          // partitioned_table | foreign_table | virtual_table
///       "has_rowid": true,                 // SQLite rowid tables; false on PostgreSQL
///       "estimated_rows": null,            // planner estimate, or null
///       "comment": null,
///       "view_definition": null,           // the query of a view
///       "columns": [
///         {
///           "name": "user_name",
///           "position": 2,                 // 1-based
///           "type": "varchar(32)",         // as declared / format_type
///           "normalized_type": "text(32)", // see NormalizedType
///           "nullable": true,
///           "default": null,               // SQL text
///           "generated": null,             // or {"storage": "stored"|"virtual", "expression": "…"}
///           "identity": null,              // always | by_default | sequence | rowid
///           "comment": null
///         }
///       ],
///       "primary_key": {"name": null, "columns": ["book_id"]},   // or null
///       "foreign_keys": [
///         {
///           "name": null,
///           "columns": ["user_name"],
///           "references": {"schema": "main", "table": "users", "columns": ["name"]},
///           "on_update": "cascade",        // no action | restrict | cascade | set null | set default
///           "on_delete": "set null"
///         }
///       ],
///       "referenced_by": [                 // foreign keys of other tables pointing here,
///         {"schema": "main", "table": "…", "name": null, "columns": […],  // shaped like
///          "references": {…}, "on_update": "…", "on_delete": "…"}         // foreign_keys
///       ],
///       "unique_constraints": [{"name": "users_email_key", "columns": ["email"]}],
///       "indexes": [
///         {
///           "name": "loans_lower",
///           "unique": false,
///           "origin": "index",             // index | unique_constraint | primary_key
///           "method": "btree",             // null on SQLite
///           "keys": [{"expression": "lower(user_name)"}, {"column": "book_id"}],
///           "predicate": "book_id > 3"     // partial indexes, else null
///         }
///       ],
///       "error": null                      // why it could not be read (a SQLite view over a
///                                          // dropped table), with everything else empty
///     }
///   ]
/// }
/// ```
struct SchemaJSONRenderer {
    /// The engine named in the document.
    let engine: Dialect.Engine

    /// The document, ending with a newline.
    func render(_ tables: [Table]) -> String {
        let document = JSONDocument.object([
            ("format", .string("soup-schema")),
            ("version", .integer(1)),
            ("engine", .string(engine.rawValue)),
            ("tables", .array(tables.map(table))),
        ])
        return document.indented() + "\n"
    }

    private func table(_ table: Table) -> JSONDocument {
        .object([
            ("schema", .optional(table.name.schema)),
            ("name", .string(table.name.name)),
            ("kind", .string(table.kind.rawValue)),
            ("has_rowid", .bool(table.hasRowID)),
            ("estimated_rows", .optional(table.estimatedRowCount)),
            ("comment", .optional(table.comment)),
            ("view_definition", .optional(table.viewDefinition)),
            ("columns", .array(table.columns.map(column))),
            ("primary_key", table.primaryKey.map { .object([("name", .optional($0.name)), ("columns", .strings($0.columns))]) } ?? .null),
            ("foreign_keys", .array(table.foreignKeys.map { .object(foreignKey($0)) })),
            ("referenced_by", .array(table.referencedBy.map { incoming in
                .object([("schema", .optional(incoming.table.schema)), ("table", .string(incoming.table.name))]
                    + foreignKey(incoming.foreignKey))
            })),
            ("unique_constraints", .array(table.uniqueConstraints.map {
                .object([("name", .optional($0.name)), ("columns", .strings($0.columns))])
            })),
            ("indexes", .array(table.indexes.map(index))),
            ("error", .optional(table.reflectionError)),
        ])
    }

    private func column(_ column: Column) -> JSONDocument {
        .object([
            ("name", .string(column.name)),
            ("position", .integer(column.position)),
            ("type", .string(column.declaredType)),
            ("normalized_type", .string(column.type.name)),
            ("nullable", .bool(column.isNullable)),
            ("default", .optional(column.defaultExpression)),
            ("generated", column.generation.map {
                .object([("storage", .string($0.storage.rawValue)), ("expression", .optional($0.expression))])
            } ?? .null),
            ("identity", .optional(column.identity?.rawValue)),
            ("comment", .optional(column.comment)),
        ])
    }

    private func foreignKey(_ key: ForeignKey) -> [(String, JSONDocument)] {
        [
            ("name", .optional(key.name)),
            ("columns", .strings(key.columns)),
            ("references", .object([
                ("schema", .optional(key.referencedTable.schema)),
                ("table", .string(key.referencedTable.name)),
                ("columns", .strings(key.referencedColumns)),
            ])),
            ("on_update", .string(key.onUpdate.rawValue)),
            ("on_delete", .string(key.onDelete.rawValue)),
        ]
    }

    private func index(_ index: Index) -> JSONDocument {
        .object([
            ("name", .string(index.name)),
            ("unique", .bool(index.isUnique)),
            ("origin", .string(index.origin.rawValue)),
            ("method", .optional(index.method)),
            ("keys", .array(index.keys.map { key in
                switch key {
                case .column(let name): return .object([("column", .string(name))])
                case .expression(let sql): return .object([("expression", .string(sql))])
                }
            })),
            ("predicate", .optional(index.predicate)),
        ])
    }
}

/// Column names become identifiers in the domain store and in sandbox queries, so they are held
/// to a safe shape: letters (Chinese included), digits and underscores, not starting with a digit,
/// at most 63 characters, and never an SQL reserved word of SQLite or PostgreSQL.
public enum ColumnNameRule {
    public static let reserved: Set<String> = [
        "abort", "add", "all", "alter", "analyze", "and", "any", "array", "as", "asc", "attach", "autoincrement", "before",
        "begin", "between", "both", "by", "cascade", "case", "cast", "check", "collate", "column", "commit", "constraint",
        "create", "cross", "current", "current_date", "current_time", "current_timestamp", "current_user", "database",
        "default", "deferrable", "delete", "desc", "detach", "distinct", "do", "drop", "each", "else", "end", "escape",
        "except", "exclusive", "exists", "explain", "false", "fetch", "for", "foreign", "from", "full", "glob", "grant",
        "group", "having", "if", "ilike", "in", "index", "initially", "inner", "insert", "instead", "intersect", "into",
        "is", "isnull", "join", "key", "lateral", "leading", "left", "like", "limit", "match", "natural", "not", "notnull",
        "null", "offset", "on", "only", "or", "order", "outer", "over", "placing", "pragma", "primary", "raise", "recursive",
        "references", "regexp", "reindex", "release", "rename", "replace", "restrict", "returning", "right", "rollback",
        "row", "rowid", "savepoint", "select", "session_user", "set", "some", "symmetric", "table", "temp", "temporary",
        "then", "to", "trailing", "transaction", "trigger", "true", "union", "unique", "update", "user", "using", "vacuum",
        "values", "variadic", "view", "virtual", "when", "where", "window", "with", "without",
    ]

    public static func check(_ name: String, field: String) throws(DomainError) {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first else { throw .invalid(field, "a column name must not be empty") }
        guard scalars.count <= 63 else { throw .invalid(field, "a column name must be at most 63 characters") }
        guard first.properties.isAlphabetic || first == "_",
              scalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }) else {
            throw .invalid(field, "column name \(name) may use only letters, digits and underscores, not starting with a digit")
        }
        if reserved.contains(name.lowercased()) {
            throw .invalid(field, "column name \(name) is an SQL reserved word")
        }
    }

    /// Checks every name and that no two differ only by case.
    public static func check(columns names: [String], field: String = "columns") throws(DomainError) {
        var seen: Set<String> = []
        for (index, name) in names.enumerated() {
            try check(name, field: "\(field).\(index).name")
            if !seen.insert(name.lowercased()).inserted {
                throw .invalid("\(field).\(index).name", "column name \(name) appears twice")
            }
        }
    }
}

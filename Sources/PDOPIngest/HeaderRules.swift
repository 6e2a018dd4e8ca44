import PDOPDomain

/// Column names become identifiers in the domain store and in sandbox queries. The shape and
/// reserved-word rule is the catalog's `ColumnNameRule`, so a name accepted on upload is one the
/// catalog accepts; here each refusal also names the column's position in the file.
public enum HeaderRules {
    /// The trimmed names of a CSV header, or the first refusal.
    public static func validated(_ names: [String], line: Int) throws(DomainError) -> [String] {
        var columns = ColumnNames()
        for name in names {
            try columns.append(name, location: "line \(line), column \(columns.names.count + 1)")
        }
        return columns.names
    }
}

/// Names accepted so far, with their case-folded forms for the duplicate check.
struct ColumnNames {
    private(set) var names: [String] = []
    private var positionsByFoldedName: [String: Int] = [:]

    /// Trims `name` and accepts it as the next column; `location` says where it was read.
    mutating func append(_ name: String, location: String) throws(DomainError) {
        let trimmed = Self.trimmingWhitespace(name)
        if trimmed.isEmpty {
            throw IngestError.located(location, "the column name is empty")
        }
        do {
            try ColumnNameRule.check(trimmed, field: location)
        } catch {
            throw IngestError.located(location, error.message)
        }
        let folded = trimmed.lowercased()
        if let earlier = positionsByFoldedName[folded] {
            throw IngestError.located(location, "column name \(trimmed) duplicates column \(earlier + 1) (\(names[earlier])); names are compared ignoring case")
        }
        positionsByFoldedName[folded] = names.count
        names.append(trimmed)
    }

    private static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

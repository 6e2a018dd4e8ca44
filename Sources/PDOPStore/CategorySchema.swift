import PDOPDomain

/// Migration 5: the catalog's category tree (R3 分类), seeded with the default tree, and a
/// category on every resource. Existing resources are filed by their domain, as new ones are
/// when their provider names no category.
enum CategorySchema {
    static var statements: [String] {
        var statements = [
            """
            CREATE TABLE catalog_categories (
                code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, parent_code TEXT,
                version INTEGER NOT NULL)
            """,
            "CREATE INDEX catalog_categories_by_parent ON catalog_categories (parent_code)",
        ]
        statements += DefaultCategories.seed.map { category in
            "INSERT INTO catalog_categories (code, name_zh, name_en, parent_code, version) VALUES ("
                + [category.code, category.nameZh, category.nameEn].map(literal).joined(separator: ", ")
                + ", \(category.parentCode.map(literal) ?? "NULL"), 1)"
        }
        statements.append("ALTER TABLE catalog_resources ADD COLUMN category TEXT NOT NULL DEFAULT \(literal(DefaultCategories.fallback))")
        let cases = DefaultCategories.byDomain.sorted { $0.key < $1.key }
            .map { "WHEN \(literal($0.key)) THEN \(literal($0.value))" }.joined(separator: " ")
        statements.append("UPDATE catalog_resources SET category = CASE domain \(cases) ELSE \(literal(DefaultCategories.fallback)) END")
        statements.append("CREATE INDEX catalog_resources_by_category ON catalog_resources (category, state)")
        return statements
    }

    /// The seed is the platform's own constant text; quotes are doubled all the same.
    private static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}

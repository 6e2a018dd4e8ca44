import Foundation
import PDOPDomain
import SQLKit

struct SQLCategories: CategoryRepository {
    let db: any SQLDatabase

    struct Row: Decodable {
        var code, nameZh, nameEn: String
        var parentCode: String?
        var version: Int

        var model: CatalogCategory {
            CatalogCategory(code: code, nameZh: nameZh, nameEn: nameEn, parentCode: parentCode, version: version)
        }
    }

    func all() async throws -> [CatalogCategory] {
        try await db.raw("SELECT * FROM catalog_categories ORDER BY code").all(decoding: Row.self, with: snakeCase).map(\.model)
    }

    func insert(_ c: CatalogCategory) async throws {
        try await db.raw("""
            INSERT INTO catalog_categories (code, name_zh, name_en, parent_code, version)
            VALUES (\(bind: c.code), \(bind: c.nameZh), \(bind: c.nameEn), \(bind: c.parentCode), \(bind: c.version))
            """).run()
    }

    func update(_ c: CatalogCategory) async throws {
        struct Updated: Decodable { var code: String }
        let row = try await db.raw("""
            UPDATE catalog_categories SET name_zh = \(bind: c.nameZh), name_en = \(bind: c.nameEn), parent_code = \(bind: c.parentCode),
                version = \(bind: c.version)
            WHERE code = \(bind: c.code) AND version = \(bind: c.version - 1) RETURNING code
            """).first(decoding: Updated.self)
        if row == nil { throw DomainError.stale }
    }

    func delete(_ code: String) async throws {
        try await db.raw("DELETE FROM catalog_categories WHERE code = \(bind: code)").run()
    }

    func resourceCount(_ code: String) async throws -> Int {
        var conditions = Conditions()
        conditions.add("category = \(bind: code)")
        return try await db.count("catalog_resources", conditions)
    }
}

import Foundation
import PDOPDomain
import PDOPStore
import PDOPTestSupport
import Testing

@Suite("Category tree in the store")
struct CategoryStoreTests {
    @Test("AUD-12 R3 a category change whose audit entry cannot be written is not made")
    func failClosed() async throws {
        try await TestStores.with { stores in
            let plain = CategoryService(store: SQLPlatformStore(database: stores.platform), clock: ManualClock())
            let failing = CategoryService(store: FailingAuditStore(base: SQLPlatformStore(database: stores.platform)), clock: ManualClock())
            await #expect(throws: FailingAuditStore.Refused.self) {
                try await failing.create(CategoryDraft(code: "theme.water", nameZh: "水利", nameEn: "Water", parentCode: "theme"), by: .system("test"))
            }
            await #expect(throws: FailingAuditStore.Refused.self) { try await failing.delete("basic.population", by: .system("test")) }
            let tree = try await plain.tree()
            #expect(tree.category("theme.water") == nil)
            #expect(tree.category("basic.population") != nil)
            #expect(tree.categories.count == DefaultCategories.seed.count)
        }
    }
}

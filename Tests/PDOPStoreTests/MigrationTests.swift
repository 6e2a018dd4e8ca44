import Foundation
import PDOPStore
import PDOPTestSupport
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("a fresh store is migrated to the latest version, and a second run applies nothing")
    func freshAndIdempotent() async throws {
        try await TestStores.with { stores in
            #expect(stores.appliedMigrations == Array(1...PlatformSchema.runner.latest))
            #expect(try await PlatformSchema.runner.migrate(stores.platform).isEmpty)
            struct Row: Decodable { var version: Int; var name: String }
            let rows = try await stores.platform.withConnection { db in
                try await db.raw("SELECT version, name FROM schema_migrations ORDER BY version").all(decoding: Row.self)
            }
            #expect(rows.map(\.version) == Array(1...PlatformSchema.runner.latest))
        }
    }

    @Test("the runner refuses a database whose schema is newer than it knows")
    func refusesNewerSchema() async throws {
        try await TestStores.with { stores in
            try await stores.platform.withConnection { db in
                try await db.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)").run()
            }
            await #expect(throws: StoreError.self) { try await PlatformSchema.runner.migrate(stores.platform) }
        }
    }

    @Test("a failing step leaves nothing half-applied")
    func failingStepRollsBack() async throws {
        let scratch = try await TestStores.scratch()
        let broken = MigrationRunner(migrations: [
            Migration(version: 1, name: "good then bad") { _ in ["CREATE TABLE half_done (id TEXT PRIMARY KEY)", "THIS IS NOT SQL"] },
        ], lockKey: 1234)
        await #expect(throws: (any Error).self) { try await broken.migrate(scratch) }
        struct Count: Decodable { var n: Int }
        let versions = try await scratch.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM schema_migrations").first(decoding: Count.self)!.n
        }
        #expect(versions == 0)
        await #expect(throws: (any Error).self) {
            try await scratch.withConnection { db in try await db.raw("SELECT * FROM half_done").run() }
        }
        await TestStores.drop(scratch)
    }
}

@Suite("Migration 5: catalog categories")
struct CategoryMigrationTests {
    @Test("R3 migration 5 seeds the default tree and files existing resources by their domain")
    func filesExistingResources() async throws {
        let scratch = try await TestStores.scratch()
        do {
            let upToFour = MigrationRunner(migrations: Array(PlatformSchema.runner.migrations.prefix(4)), lockKey: PlatformSchema.runner.lockKey)
            _ = try await upToFour.migrate(scratch)
            try await scratch.withConnection { db in
                try await db.raw("""
                    INSERT INTO organizations (id, name, kind, state, version, created_at, updated_at)
                    VALUES ('org_1', '县卫生健康局', 'department', 'active', 1, 0, 0)
                    """).run()
                for (id, domain) in [("res_1", "medical"), ("res_2", "enterprise_registration"), ("res_3", "housing_fund"), ("res_4", "unknown")] {
                    try await db.raw("""
                        INSERT INTO catalog_resources (id, provider_id, domain, name, description, keywords, grade, open_attribute, origin,
                            update_frequency, columns, state, schema_version, version, created_at, updated_at, search_text)
                        VALUES (\(bind: id), 'org_1', \(bind: domain), \(bind: id), '', '[]', 'L1', 'conditional', 'county', 'daily', '[]',
                            'draft', 1, 1, 0, 0, '')
                        """).run()
                }
            }
            #expect(try await PlatformSchema.runner.migrate(scratch).contains(5))
            struct Row: Decodable { var id: String; var category: String }
            let rows = try await scratch.withConnection { db in
                try await db.raw("SELECT id, category FROM catalog_resources ORDER BY id").all(decoding: Row.self)
            }
            #expect(rows.map(\.category) == ["theme.health", "basic.legal_entity", "theme.social_security", "department.other"])
            struct Count: Decodable { var n: Int }
            let seeded = try await scratch.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM catalog_categories").first(decoding: Count.self)!.n
            }
            #expect(seeded == 16)
        } catch {
            await TestStores.drop(scratch)
            throw error
        }
        await TestStores.drop(scratch)
    }
}

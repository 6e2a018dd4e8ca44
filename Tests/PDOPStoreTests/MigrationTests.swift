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

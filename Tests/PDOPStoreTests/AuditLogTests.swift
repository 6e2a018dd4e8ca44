import Foundation
import PDOPDomain
import PDOPStore
import PDOPTestSupport
import SQLKit
import Testing

/// The audit log (issue 2 item 6; DESIGN.md "Audit log"; reliability anchors AUD-7, AUD-11, AUD-12, AUD-13).
@Suite("Audit log")
struct AuditLogTests {
    static func append(_ count: Int, to stores: OpenedStores, at time: Date = Date()) async throws {
        let store = SQLPlatformStore(database: stores.platform)
        for index in 0..<count {
            _ = try await store.transaction { tx in
                try await tx.audit.append(AuditEvent(actor: .system("test"), action: "test.event", objectType: "thing",
                                                     objectID: "thing-\(index)", details: ["n": String(index)]), at: time)
            }
        }
    }

    /// Simulates a database administrator: removes the append-only guard, then edits rows.
    static func dropGuards(_ stores: OpenedStores) async throws {
        try await stores.platform.withConnection { db in
            if stores.platform.flavor == .sqlite {
                for trigger in ["audit_entries_no_update", "audit_entries_retention", "audit_checkpoints_no_update"] {
                    try await db.raw(SQLQueryString("DROP TRIGGER \(unsafeRaw: trigger)")).run()
                }
            } else {
                for table in ["audit_entries", "audit_checkpoints"] {
                    try await db.raw(SQLQueryString("DROP TRIGGER \(unsafeRaw: table)_guard ON \(unsafeRaw: table)")).run()
                }
            }
        }
    }

    static func verify(_ stores: OpenedStores) async throws -> AuditVerification {
        try await AuditIntegrity(database: stores.platform, key: stores.auditKey).verify()
    }

    @Test("an intact chain verifies as OK <count>")
    func intactChainVerifies() async throws {
        try await TestStores.with { stores in
            try await Self.append(25, to: stores)
            let result = try await Self.verify(stores)
            #expect(result.ok)
            #expect(result.summary == "OK 25")
        }
    }

    @Test("AUD-11 the database refuses UPDATE and DELETE of young entries")
    func appendOnly() async throws {
        try await TestStores.with { stores in
            try await Self.append(3, to: stores)
            await #expect(throws: (any Error).self) {
                try await stores.platform.withConnection { db in try await db.raw("UPDATE audit_entries SET action = 'x' WHERE seq = 2").run() }
            }
            await #expect(throws: (any Error).self) {
                try await stores.platform.withConnection { db in try await db.raw("DELETE FROM audit_entries WHERE seq = 2").run() }
            }
            #expect(try await Self.verify(stores).summary == "OK 3")
        }
    }

    @Test("AUD-7 a row edited with raw SQL is named by its sequence number")
    func editedRowIsNamed() async throws {
        try await TestStores.with { stores in
            try await Self.append(10, to: stores)
            try await Self.dropGuards(stores)
            try await stores.platform.withConnection { db in
                try await db.raw("UPDATE audit_entries SET object_id = 'someone-else' WHERE seq = 7").run()
            }
            let result = try await Self.verify(stores)
            #expect(!result.ok)
            #expect(result.firstBad == 7)
            #expect(result.summary.hasPrefix("BAD seq=7"))
        }
    }

    @Test("AUD-7 a deleted row, and a rewritten tail with fresh hashes, are both caught")
    func deletionAndRewriteCaught() async throws {
        try await TestStores.with { stores in
            try await Self.append(10, to: stores)
            try await AuditIntegrity(database: stores.platform, key: stores.auditKey).checkpoint(now: Date())
            try await Self.dropGuards(stores)
            try await stores.platform.withConnection { db in try await db.raw("DELETE FROM audit_entries WHERE seq = 4").run() }
            #expect(try await Self.verify(stores).firstBad == 4)
        }
        try await TestStores.with { stores in
            try await Self.append(5, to: stores)
            try await AuditIntegrity(database: stores.platform, key: stores.auditKey).checkpoint(now: Date())
            try await Self.dropGuards(stores)
            // Truncating the tail is caught by the signed checkpoint.
            try await stores.platform.withConnection { db in try await db.raw("DELETE FROM audit_entries WHERE seq = 5").run() }
            let result = try await Self.verify(stores)
            #expect(result.firstBad == 5)
        }
    }

    @Test("a forged checkpoint signature is caught")
    func forgedCheckpoint() async throws {
        try await TestStores.with { stores in
            try await Self.append(4, to: stores)
            try await AuditIntegrity(database: stores.platform, key: stores.auditKey).checkpoint(now: Date())
            try await Self.dropGuards(stores)
            try await stores.platform.withConnection { db in
                try await db.raw("UPDATE audit_checkpoints SET head_hash = 'ff' WHERE size = 4").run()
            }
            let result = try await Self.verify(stores)
            #expect(!result.ok)
            #expect(result.problem?.contains("signature") == true)
        }
    }

    @Test("AUD-12 fail closed: when the audit entry cannot be written, the change is not made")
    func failClosed() async throws {
        try await TestStores.with { stores in
            let store = FailingAuditStore(base: SQLPlatformStore(database: stores.platform))
            let parties = PartyService(store: store, clock: SystemClock(), ids: SequentialIdentifiers(), hasher: PlainHasher(),
                                       policy: .plan)
            await #expect(throws: FailingAuditStore.Refused.self) {
                try await parties.createOrganization(NewOrganization(name: "新昌县测试局", kind: .department), by: .system("test"))
            }
            let page = try await SQLPlatformStore(database: stores.platform).transaction { tx in
                try await tx.organizations.list(OrganizationFilter(), page: .first)
            }
            #expect(page.total == 0)
        }
    }

    @Test("R9.6 purge removes only old entries, records an anchor, and the rest still verifies")
    func purgeKeepsChainVerifiable() async throws {
        try await TestStores.with { stores in
            let old = Date().addingTimeInterval(-400 * 86_400)
            try await Self.append(6, to: stores, at: old)
            try await Self.append(4, to: stores)
            let store = SQLPlatformStore(database: stores.platform)
            let removed = try await store.transaction { tx in
                try await tx.audit.purge(before: Date().addingTimeInterval(-366 * 86_400), now: Date())
            }
            #expect(removed == 6)
            let result = try await Self.verify(stores)
            #expect(result.summary == "OK 4")
            // New entries keep chaining from the anchor.
            try await Self.append(2, to: stores)
            #expect(try await Self.verify(stores).summary == "OK 6")
        }
    }

    @Test("R9.6 the database itself refuses to delete entries inside the six-month floor")
    func floorInDatabase() async throws {
        try await TestStores.with { stores in
            try await Self.append(3, to: stores, at: Date().addingTimeInterval(-100 * 86_400))
            await #expect(throws: (any Error).self) {
                try await SQLPlatformStore(database: stores.platform).transaction { tx in
                    try await tx.audit.purge(before: Date(), now: Date())
                }
            }
            #expect(try await Self.verify(stores).summary == "OK 3")
        }
    }

    @Test("R9.6 the service refuses a purge that reaches into the retention period, for everyone")
    func servicePurgeRefused() async throws {
        try await TestStores.with { stores in
            let clock = ManualClock(Date())
            let service = AuditService(store: SQLPlatformStore(database: stores.platform), clock: clock, policy: .plan)
            let authority = Actor(userID: UserID("usr_1"), username: "admin", organizationID: nil, roles: [.authority])
            await #expect(throws: DomainError.self) {
                try await service.purge(before: clock.now().addingTimeInterval(-30 * 86_400), by: authority)
            }
            do {
                _ = try await service.purge(before: clock.now(), by: authority)
                Issue.record("purge should have been refused")
            } catch let error as DomainError {
                #expect(error.rule == "R9.6")
                #expect(error.kind == .ruleRefusal)
            }
        }
    }

    @Test("search filters by text, action and outcome, newest first, paged")
    func search() async throws {
        try await TestStores.with { stores in
            try await Self.append(5, to: stores)
            let store = SQLPlatformStore(database: stores.platform)
            _ = try await store.transaction { tx in
                try await tx.audit.append(AuditEvent(actor: .system("test"), action: "auth.login", objectType: "session",
                                                     objectLabel: "张三_100%", outcome: .denied), at: Date())
            }
            let page = try await store.transaction { tx in
                try await tx.audit.search(AuditFilter(text: "张三_100%"), page: .first)
            }
            #expect(page.total == 1)
            #expect(page.items.first?.outcome == .denied)
            let wildcard = try await store.transaction { tx in try await tx.audit.search(AuditFilter(text: "%"), page: .first) }
            #expect(wildcard.total == 1, "LIKE wildcards in the search text are matched literally")
            let tests = try await store.transaction { tx in
                try await tx.audit.search(AuditFilter(action: "test.event"), page: try PageRequest(limit: 2, offset: 0))
            }
            #expect(tests.total == 5)
            #expect(tests.items.map(\.sequence) == [5, 4])
        }
    }
}

/// A store whose audit log refuses every append, to prove changes fail closed.
struct FailingAuditStore: PlatformStore {
    struct Refused: Error {}
    let base: SQLPlatformStore

    func transaction<T: Sendable>(_ work: @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await base.transaction { tx in try await work(Wrapped(base: tx)) }
    }

    struct Wrapped: StoreTransaction {
        let base: any StoreTransaction
        var organizations: any OrganizationRepository { base.organizations }
        var users: any UserRepository { base.users }
        var credentials: any CredentialRepository { base.credentials }
        var loginAttempts: any LoginAttemptRepository { base.loginAttempts }
        var memberships: any MembershipRepository { base.memberships }
        var audit: any AuditLog { Refusing(base: base.audit) }
        var catalog: any CatalogRepository { base.catalog }
        var supply: any SupplyRepository { base.supply }
        var deadlines: any DeadlineRepository { base.deadlines }
        var loads: any DataLoadRepository { base.loads }
        var lifecycle: any LifecycleRepository { base.lifecycle }
        var timeline: any TimelineRepository { base.timeline }
        var categories: any CategoryRepository { base.categories }
        var usage: any UsageRepository { base.usage }
        func lockForUpdate(key: String) async throws { try await base.lockForUpdate(key: key) }
    }

    struct Refusing: AuditLog {
        let base: any AuditLog
        func append(_ event: AuditEvent, at: Date) async throws -> Int64 { throw Refused() }
        func search(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEntry> { try await base.search(filter, page: page) }
        func purge(before: Date, now: Date) async throws -> Int { try await base.purge(before: before, now: now) }
    }
}

/// A password hasher for store tests, where bcrypt's cost is beside the point.
struct PlainHasher: PasswordHasher {
    func hash(_ password: String) async throws -> String { "plain:" + password }
    func verify(_ password: String, hash: String) async throws -> Bool { hash == "plain:" + password }
    func burnVerification(_ password: String) async throws {}
}

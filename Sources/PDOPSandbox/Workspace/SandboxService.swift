import Foundation
import PDOPDomain

/// The sandbox's workflow (R11, R12, R15, R17): column policies, data requests and grants,
/// workspaces, queries and model jobs through the engine, quarantine, reviewed exports, stop and
/// metering. Every change is written with its audit entry in one transaction.
public struct SandboxService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let ids: any IdentifierGenerator
    let policy: PolicySettings
    let engine: SandboxEngine
    let executor: any SandboxExecutor
    let registry: any DomainDatasetRegistry
    public let running: RunningWork
    /// Queries in flight by workspace and cache key: identical ones share one answer (R12).
    let queryFlights = SingleFlight<String, (run: QueryRun, cached: Bool)>()
    /// Audit partitions computed on this instance (issue 10 item 3).
    let partitionCache = PartitionCache()

    public init(store: any PlatformStore, clock: any PlatformClock, ids: any IdentifierGenerator, policy: PolicySettings,
                executor: any SandboxExecutor, registry: any DomainDatasetRegistry, running: RunningWork = RunningWork()) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.policy = policy
        engine = SandboxEngine(policy: policy)
        self.executor = executor
        self.registry = registry
        self.running = running
    }

    func fetch<R: LifecycleRecord>(_ type: R.Type, _ id: String, scope: AccessScope, tx: any StoreTransaction) async throws -> R {
        try await CaseRecords.fetch(type, id, scope: scope, tx: tx)
    }

    func save<R: LifecycleRecord>(_ record: inout R, tx: any StoreTransaction, at now: Date) async throws {
        try await CaseRecords.save(&record, tx: tx, at: now)
    }

    /// Cases in the caller's view: by owner (or all); for a provider, the newest `PageRequest.maxLimit`
    /// that touch its data.
    func visible<R: LifecycleRecord>(_ type: R.Type, scope: AccessScope, provider: OrganizationID?, page: PageRequest,
                                     touches: @escaping @Sendable (R, OrganizationID) -> Bool) async throws -> Page<R> {
        let filter = LifecycleFilter(owner: provider == nil ? scope.onlyOrganization : nil)
        let listed = provider == nil ? page : try PageRequest(limit: PageRequest.maxLimit)
        let all = try await store.transaction { try await $0.lifecycle.list(type, filter, page: listed) }
        guard let provider else { return all }
        let mine = all.items.filter { touches($0, provider) }
        return Page(items: Array(mine.dropFirst(page.offset).prefix(page.limit)), total: mine.count, request: page)
    }

    /// One case in the caller's view; anything else is "not found".
    func visible<R: LifecycleRecord>(_ type: R.Type, _ id: String, scope: AccessScope, provider: OrganizationID?,
                                     touches: @escaping @Sendable (R, OrganizationID) -> Bool) async throws -> R {
        let record = try await store.transaction { try await fetch(type, id, scope: provider == nil ? scope : .all, tx: $0) }
        if let provider, !touches(record, provider) { throw DomainError.notFound(type.kind.rawValue.replacingOccurrences(of: "_", with: " ")) }
        return record
    }

    /// Wall time since `started`, for metering.
    static func milliseconds(since started: ContinuousClock.Instant) -> Int {
        let elapsed = started.duration(to: .now)
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    func record(_ event: AuditEvent, operator operatorID: OrganizationID?, summary: String, tx: any StoreTransaction, at now: Date) async throws {
        try await CaseRecords.record(event, operator: operatorID, summary: summary, tx: tx, at: now)
    }

    /// The approval parties the actor decides for: authority, its provider department, the province.
    public static func parties(of actor: Actor) -> [ApprovalParty] {
        var parties: [ApprovalParty] = []
        if actor.roles.contains(.authority) { parties.append(.authority) }
        if actor.roles.contains(.provider), let org = actor.organizationID { parties.append(.provider(org)) }
        if actor.roles.contains(.province) { parties.append(.province) }
        return parties
    }

    /// The first of the actor's parties that still has to decide, or 403.
    static func deciding(_ actor: Actor, slots: [ApprovalSlot], pending: Bool) throws -> ApprovalParty {
        let parties = parties(of: actor)
        guard pending, let party = parties.first(where: { party in slots.contains { $0.party == party && $0.decision == .pending } }) else {
            throw DomainError(.conflict, "there is no decision left for you to make on this request", rule: "R11")
        }
        return party
    }

    /// Marks the party's slot decided.
    static func decide(_ slots: inout [ApprovalSlot], _ party: ApprovalParty, _ decision: ApprovalDecision, by: String, reason: String?,
                       at now: Date) {
        guard let index = slots.firstIndex(where: { $0.party == party && $0.decision == .pending }) else { return }
        slots[index].decision = decision
        slots[index].decidedBy = by
        slots[index].decidedAt = now
        slots[index].reason = reason
    }

    // MARK: column policies

    /// The provider's policy for a resource, or the default proposed from the catalog.
    public func columnPolicy(for resourceID: ResourceID) async throws -> SandboxPolicy {
        let now = clock.now()
        return try await store.transaction { tx in
            guard let resource = try await tx.catalog.get(resourceID) else { throw DomainError.notFound("resource") }
            return try await tx.lifecycle.get(SandboxPolicy.self, id: SandboxPolicy.id(for: resourceID))
                ?? SandboxPolicy.proposed(for: resource, policy: policy, at: now)
        }
    }

    /// A provider writes its policy for one of its resources (versioned; grants made later use it).
    public func setColumnPolicy(for resourceID: ResourceID, unitColumn: String, unitDomain: String, minUnits: Int,
                                columns: [ColumnPolicy], version: Int?, scope: AccessScope, by actor: Actor) async throws -> SandboxPolicy {
        let now = clock.now()
        return try await store.transaction { tx in
            guard let resource = try await tx.catalog.get(resourceID), scope.permits(resource.providerID) else {
                throw DomainError.notFound("resource")
            }
            var written = SandboxPolicy(resource: resource, unitColumn: unitColumn, unitDomain: unitDomain, minUnits: minUnits,
                                        columns: columns, at: now)
            try written.validate(against: resource, policy: policy)
            if let existing = try await tx.lifecycle.get(SandboxPolicy.self, id: written.id) {
                if let version, version != existing.version { throw DomainError.stale }
                written.version = existing.version
                written.createdAt = existing.createdAt
                try await save(&written, tx: tx, at: now)
            } else {
                try await tx.lifecycle.insert(written)
            }
            try await record(AuditEvent(actor: actor, action: "sandbox_policy.update", objectType: "sandbox_policy", objectID: written.id,
                                        objectLabel: resource.name,
                                        details: ["version": String(written.version), "minUnits": String(minUnits), "unit": unitColumn]),
                             operator: nil, summary: "", tx: tx, at: now)
            return written
        }
    }
}

import Foundation

/// Reading and purging the audit log (issue 2 item 6, R9.6).
public struct AuditService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let policy: PolicySettings

    public init(store: any PlatformStore, clock: any PlatformClock, policy: PolicySettings) {
        self.store = store
        self.clock = clock
        self.policy = policy
    }

    public func search(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEntry> {
        try await store.transaction { try await $0.audit.search(filter, page: page) }
    }

    /// Purges entries older than `before`. Refused for everyone when `before` reaches into the
    /// retention period (never shorter than six months, R9.6). The purge itself is audited.
    public func purge(before: Date, by actor: Actor) async throws -> Int {
        let now = clock.now()
        let newestAllowed = now.addingTimeInterval(-policy.logRetention)
        guard before <= newestAllowed else {
            throw DomainError.refused("R9.6", "audit entries younger than \(policy.logRetentionDays) days may not be purged",
                                      field: "before")
        }
        return try await store.transaction { tx in
            let removed = try await tx.audit.purge(before: before, now: now)
            try await tx.audit.append(AuditEvent(actor: actor, action: "audit.purge", objectType: "audit_log",
                                                 details: ["before": ISO8601DateFormatter().string(from: before),
                                                           "removed": String(removed)]), at: now)
            return removed
        }
    }
}

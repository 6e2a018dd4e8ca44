import Foundation

/// The authorization lifecycle (R1, R2, R7–R10, R18, R20, R27): announcement → application →
/// review → deliberation → disclosure and filing → agreement → exit. Every transition is checked
/// here, written with its audit entry (and the operator's timeline line) in one transaction, and
/// decided under the recorded PolicySettings version.
public struct LifecycleService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let ids: any IdentifierGenerator
    let policy: PolicySettings
    let seal: any ContractSeal
    /// Told when an operator's data access closes (suspension, ending), so running sandbox queries
    /// are cancelled at once; the records were already changed in the closing transaction.
    let accessClosed: (@Sendable (OrganizationID) -> Void)?

    public init(store: any PlatformStore, clock: any PlatformClock, ids: any IdentifierGenerator, policy: PolicySettings,
                seal: any ContractSeal, accessClosed: (@Sendable (OrganizationID) -> Void)? = nil) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.policy = policy
        self.seal = seal
        self.accessClosed = accessClosed
    }

    public var sealKeyID: String { seal.keyID }
    public var sealPublicKey: String { seal.publicKey }

    func record(_ event: AuditEvent, operator operatorID: OrganizationID?, summary: String, tx: any StoreTransaction,
                at now: Date) async throws {
        try await CaseRecords.record(event, operator: operatorID, summary: summary, tx: tx, at: now)
    }

    func fetch<R: LifecycleRecord>(_ type: R.Type, _ id: String, scope: AccessScope, tx: any StoreTransaction) async throws -> R {
        try await CaseRecords.fetch(type, id, scope: scope, tx: tx)
    }

    func save<R: LifecycleRecord>(_ record: inout R, tx: any StoreTransaction, at now: Date) async throws {
        try await CaseRecords.save(&record, tx: tx, at: now)
    }

    /// The common shape of a transition: read the case in the caller's scope, check the version the
    /// caller saw, let `change` check the state and edit it, then write it with its audit entry (and
    /// the operator's timeline line) in one transaction.
    func amend<R: LifecycleRecord>(_ type: R.Type, _ id: String, version: Int, scope: AccessScope, by actor: Actor, action: String,
                                   reason: String? = nil, label: @escaping @Sendable (R) -> String,
                                   summary: @escaping @Sendable (R) -> String,
                                   _ change: @escaping @Sendable (inout R, any StoreTransaction, Date) async throws -> Void) async throws -> R {
        let now = clock.now()
        return try await store.transaction { tx in
            var record = try await fetch(type, id, scope: scope, tx: tx)
            try requireVersion(record, version)
            try await change(&record, tx, now)
            try await save(&record, tx: tx, at: now)
            try await self.record(AuditEvent(actor: actor, action: action, objectType: R.kind.rawValue, objectID: id, objectLabel: label(record),
                                             reason: reason), operator: record.ownerID, summary: summary(record), tx: tx, at: now)
            return record
        }
    }

    func requireVersion<R: LifecycleRecord>(_ record: R, _ version: Int) throws {
        guard record.version == version else { throw DomainError.stale }
    }

    func newID(_ prefix: String) -> String { ids.next(prefix: prefix) }

    /// Lists cases of one kind in the caller's scope.
    public func list<R: LifecycleRecord>(_ type: R.Type, filter: LifecycleFilter = LifecycleFilter(), page: PageRequest,
                                         scope: AccessScope) async throws -> Page<R> {
        var scoped = filter
        if let own = scope.onlyOrganization { scoped.owner = own }
        let final = scoped
        return try await store.transaction { try await $0.lifecycle.list(type, final, page: page) }
    }

    public func timeline(of operatorID: OrganizationID, page: PageRequest, scope: AccessScope) async throws -> Page<TimelineEvent> {
        guard scope.permits(operatorID) else { throw DomainError.notFound("operator") }
        return try await store.transaction { try await $0.timeline.events(of: operatorID, page: page) }
    }

    static func day(_ date: Date) -> String { Agreement.day(date) }
}

/// How every case is read, written and recorded, for the lifecycle and the sandbox alike.
public enum CaseRecords {
    /// Appends the audit entry and, for an operator's case, the timeline line that points at it.
    public static func record(_ event: AuditEvent, operator operatorID: OrganizationID?, summary: String, tx: any StoreTransaction,
                              at now: Date) async throws {
        let sequence = try await tx.audit.append(event, at: now)
        guard let operatorID else { return }
        try await tx.timeline.append(TimelineEvent(operatorID: operatorID, at: now, action: event.action, subjectKind: event.objectType,
                                                   subjectID: event.objectID ?? "", auditSequence: sequence, summary: summary))
    }

    /// Reads a case the caller may see; anything else is "not found", so its existence is not disclosed.
    public static func fetch<R: LifecycleRecord>(_ type: R.Type, _ id: String, scope: AccessScope, tx: any StoreTransaction) async throws -> R {
        guard let record = try await tx.lifecycle.get(type, id: id), record.ownerID.map(scope.permits) ?? true else {
            throw DomainError.notFound(type.kind.rawValue.replacingOccurrences(of: "_", with: " "))
        }
        return record
    }

    /// Writes a changed case with its version bumped.
    public static func save<R: LifecycleRecord>(_ record: inout R, tx: any StoreTransaction, at now: Date) async throws {
        record.version += 1
        record.updatedAt = now
        try await tx.lifecycle.update(record)
    }
}

import Foundation

/// Supply and demand (R4): operators post demands for data, the authority routes them to a
/// provider who must answer within the policy's deadline; anyone signed in may object to a
/// resource, and its provider must answer in time. Late answers are flagged by the scheduler.
public struct SupplyService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let ids: any IdentifierGenerator
    let policy: PolicySettings

    public init(store: any PlatformStore, clock: any PlatformClock, ids: any IdentifierGenerator, policy: PolicySettings) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.policy = policy
    }

    // MARK: demands

    public func postDemand(domain: String, title: String, description: String, wantedFields: String, by actor: Actor) async throws -> Demand {
        guard DomainArea.named(domain) != nil else { throw DomainError.invalid("domain", "must be one of the R21 domains") }
        guard let operatorID = actor.organizationID else { throw DomainError(.forbidden, "only an operator posts demands") }
        let now = clock.now()
        let demand = Demand(
            id: DemandID(ids.next(prefix: "dem")), operatorID: operatorID, domain: domain,
            title: try TextRules.name(title, field: "title"), description: try TextRules.text(description, field: "description", limit: 4000),
            wantedFields: try TextRules.text(wantedFields, field: "wantedFields", limit: 2000, required: false), state: .posted,
            providerID: nil, dueAt: nil, overdue: false, answer: nil, answerReason: nil, version: 1, createdAt: now, updatedAt: now)
        return try await store.transaction { tx in
            try await tx.supply.insertDemand(demand)
            try await tx.audit.append(AuditEvent(actor: actor, action: "demand.post", objectType: "demand", objectID: demand.id.rawValue,
                                                 objectLabel: demand.title, details: ["domain": domain]), at: now)
            return demand
        }
    }

    /// The authority routes a demand to the provider that should answer; the answer clock starts.
    public func routeDemand(_ id: DemandID, to provider: OrganizationID, version: Int, by actor: Actor) async throws -> Demand {
        let now = clock.now()
        return try await store.transaction { tx in
            guard var demand = try await tx.supply.demand(id) else { throw DomainError.notFound("demand") }
            guard demand.version == version else { throw DomainError.stale }
            guard demand.state == .posted else { throw DomainError.wrongState(demand.state.rawValue, "only a posted demand can be routed") }
            guard let organization = try await tx.organizations.get(provider), organization.kind == .department else {
                throw DomainError.invalid("providerId", "route the demand to a providing department")
            }
            demand.state = .routed
            demand.providerID = provider
            demand.dueAt = now.addingTimeInterval(TimeInterval(policy.demandAnswerDays * 86_400))
            demand.version += 1
            demand.updatedAt = now
            try await tx.supply.updateDemand(demand)
            try await tx.deadlines.schedule(Deadline(id: ids.next(prefix: "ddl"), kind: .demandAnswer, subjectID: id.rawValue, dueAt: demand.dueAt!))
            try await tx.audit.append(AuditEvent(actor: actor, action: "demand.route", objectType: "demand", objectID: id.rawValue,
                                                 objectLabel: demand.title, details: ["provider": provider.rawValue,
                                                                                      "dueAt": ISO8601DateFormatter().string(from: demand.dueAt!)]), at: now)
            return demand
        }
    }

    /// The provider answers: available, planned or unavailable, with a reason.
    public func answerDemand(_ id: DemandID, answer: DemandAnswer, reason: String, version: Int, scope: AccessScope,
                             by actor: Actor) async throws -> Demand {
        let reason = try TextRules.text(reason, field: "reason", limit: 2000, required: answer != .available)
        let now = clock.now()
        return try await store.transaction { tx in
            guard var demand = try await tx.supply.demand(id), Self.visible(demand, scope) else { throw DomainError.notFound("demand") }
            guard let provider = demand.providerID, scope.permits(provider) else {
                throw DomainError(.forbidden, "only the provider the demand was routed to answers it")
            }
            guard demand.version == version else { throw DomainError.stale }
            guard demand.state == .routed else { throw DomainError.wrongState(demand.state.rawValue, "only a routed demand can be answered") }
            demand.state = .answered
            demand.answer = answer
            demand.answerReason = reason.isEmpty ? nil : reason
            demand.version += 1
            demand.updatedAt = now
            try await tx.supply.updateDemand(demand)
            try await tx.deadlines.cancel(kind: .demandAnswer, subjectID: id.rawValue, at: now)
            try await tx.audit.append(AuditEvent(actor: actor, action: "demand.answer", objectType: "demand", objectID: id.rawValue,
                                                 objectLabel: demand.title, reason: demand.answerReason,
                                                 details: ["answer": answer.rawValue, "late": String(demand.overdue)]), at: now)
            return demand
        }
    }

    public func demand(_ id: DemandID, scope: AccessScope) async throws -> Demand {
        guard let demand = try await store.transaction({ try await $0.supply.demand(id) }), Self.visible(demand, scope) else {
            throw DomainError.notFound("demand")
        }
        return demand
    }

    public func demands(overdueOnly: Bool, page: PageRequest, scope: AccessScope) async throws -> Page<Demand> {
        let filter = SupplyFilter(involving: scope.onlyOrganization, overdueOnly: overdueOnly)
        return try await store.transaction { try await $0.supply.demands(filter, page: page) }
    }

    static func visible(_ demand: Demand, _ scope: AccessScope) -> Bool {
        scope.permits(demand.operatorID) || (demand.providerID.map(scope.permits) ?? false)
    }

    func markDemandOverdue(_ deadline: Deadline, tx: any StoreTransaction, now: Date) async throws {
        guard var demand = try await tx.supply.demand(DemandID(deadline.subjectID)), demand.state == .routed, !demand.overdue else { return }
        demand.overdue = true
        demand.version += 1
        demand.updatedAt = now
        try await tx.supply.updateDemand(demand)
        try await tx.audit.append(AuditEvent(actor: .system("scheduler"), action: "demand.overdue", objectType: "demand",
                                             objectID: demand.id.rawValue, objectLabel: demand.title, outcome: .allowed,
                                             details: ["provider": demand.providerID?.rawValue ?? ""]), at: now)
    }

    // MARK: objections

    /// Anyone who can see a resource may object to it; its provider must answer within the deadline.
    public func raiseObjection(to resourceID: ResourceID, reason: ObjectionReason, evidence: String, scope: AccessScope,
                               by actor: Actor) async throws -> Objection {
        let evidence = try TextRules.text(evidence, field: "evidence", limit: 4000)
        guard let userID = actor.userID, let organizationID = actor.organizationID else {
            throw DomainError(.forbidden, "sign in to raise an objection")
        }
        let now = clock.now()
        return try await store.transaction { tx in
            guard let resource = try await tx.catalog.get(resourceID), resource.state == .published || scope.permits(resource.providerID) else {
                throw DomainError.notFound("resource")
            }
            let objection = Objection(
                id: ObjectionID(ids.next(prefix: "obj")), resourceID: resourceID, providerID: resource.providerID, raisedBy: userID,
                raisedByOrganization: organizationID, reason: reason, evidence: evidence, state: .open,
                dueAt: now.addingTimeInterval(TimeInterval(policy.objectionAnswerDays * 86_400)), overdue: false,
                resolution: nil, response: nil, version: 1, createdAt: now, updatedAt: now)
            try await tx.supply.insertObjection(objection)
            try await tx.deadlines.schedule(Deadline(id: ids.next(prefix: "ddl"), kind: .objectionAnswer, subjectID: objection.id.rawValue,
                                                     dueAt: objection.dueAt))
            try await tx.audit.append(AuditEvent(actor: actor, action: "objection.raise", objectType: "resource",
                                                 objectID: resourceID.rawValue, objectLabel: resource.name, reason: evidence,
                                                 details: ["objection": objection.id.rawValue, "kind": reason.rawValue]), at: now)
            return objection
        }
    }

    /// The provider records how it resolved the objection.
    public func answerObjection(_ id: ObjectionID, resolution: ObjectionResolution, response: String, version: Int, scope: AccessScope,
                                by actor: Actor) async throws -> Objection {
        let response = try TextRules.text(response, field: "response", limit: 4000)
        let now = clock.now()
        return try await store.transaction { tx in
            guard var objection = try await tx.supply.objection(id), Self.visible(objection, scope) else {
                throw DomainError.notFound("objection")
            }
            guard scope.permits(objection.providerID) else { throw DomainError(.forbidden, "only the resource's provider answers") }
            guard objection.version == version else { throw DomainError.stale }
            guard objection.state == .open else { throw DomainError.wrongState(objection.state.rawValue, "the objection is already resolved") }
            objection.state = .resolved
            objection.resolution = resolution
            objection.response = response
            objection.version += 1
            objection.updatedAt = now
            try await tx.supply.updateObjection(objection)
            try await tx.deadlines.cancel(kind: .objectionAnswer, subjectID: id.rawValue, at: now)
            try await tx.audit.append(AuditEvent(actor: actor, action: "objection.answer", objectType: "resource",
                                                 objectID: objection.resourceID.rawValue, reason: response,
                                                 details: ["objection": id.rawValue, "resolution": resolution.rawValue,
                                                           "late": String(objection.overdue)]), at: now)
            return objection
        }
    }

    public func objection(_ id: ObjectionID, scope: AccessScope) async throws -> Objection {
        guard let objection = try await store.transaction({ try await $0.supply.objection(id) }), Self.visible(objection, scope) else {
            throw DomainError.notFound("objection")
        }
        return objection
    }

    public func objections(resource: ResourceID?, overdueOnly: Bool, page: PageRequest, scope: AccessScope) async throws -> Page<Objection> {
        let filter = SupplyFilter(involving: scope.onlyOrganization, resourceID: resource, overdueOnly: overdueOnly)
        return try await store.transaction { try await $0.supply.objections(filter, page: page) }
    }

    public func objectionFigures(_ resource: ResourceID) async throws -> ObjectionFigures {
        try await store.transaction { try await $0.supply.objectionFigures(resource) }
    }

    static func visible(_ objection: Objection, _ scope: AccessScope) -> Bool {
        scope.permits(objection.providerID) || scope.permits(objection.raisedByOrganization)
    }

    func markObjectionOverdue(_ deadline: Deadline, tx: any StoreTransaction, now: Date) async throws {
        guard var objection = try await tx.supply.objection(ObjectionID(deadline.subjectID)), objection.state == .open,
              !objection.overdue else { return }
        objection.overdue = true
        objection.version += 1
        objection.updatedAt = now
        try await tx.supply.updateObjection(objection)
        try await tx.audit.append(AuditEvent(actor: .system("scheduler"), action: "objection.overdue", objectType: "resource",
                                             objectID: objection.resourceID.rawValue,
                                             details: ["objection": objection.id.rawValue, "provider": objection.providerID.rawValue]), at: now)
    }
}

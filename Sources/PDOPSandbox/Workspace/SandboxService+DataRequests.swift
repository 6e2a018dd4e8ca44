import Foundation
import PDOPDomain

/// What an operator asks for: one resource of the scenario's data list and the columns wanted.
public struct DataRequestItem: Sendable, Equatable {
    public var resourceID: ResourceID
    public var columns: [String]

    public init(resourceID: ResourceID, columns: [String]) {
        self.resourceID = resourceID
        self.columns = columns
    }
}

extension SandboxService {
    /// R11: an operator with a trial or active agreement asks for data of one approved scenario,
    /// only from that scenario's data list; never prohibited-open data.
    public func requestData(agreementID: String, scenarioID: String, purpose: String, items: [DataRequestItem], epsilonBudget: Double?,
                            scope: AccessScope, by actor: Actor) async throws -> DataRequest {
        let purpose = try TextRules.text(purpose, field: "purpose", limit: 2000)
        guard !items.isEmpty else { throw DomainError.invalid("items", "ask for at least one resource", rule: "R11") }
        let ceiling = Epsilon.budget(policy.sandboxDefaultEpsilonBudget) ?? .zero
        // A budget enters the ledger rounded down to whole micro-ε: never more than was asked for.
        let budget: Epsilon? = if let epsilonBudget { Epsilon.budget(epsilonBudget) } else { ceiling }
        guard let budget, budget > .zero, budget <= ceiling else {
            throw DomainError.invalid("epsilonBudget", "must be above 0 and at most \(ceiling)", rule: "R12")
        }
        let now = clock.now()
        return try await store.transaction { tx in
            let agreement = try await fetch(Agreement.self, agreementID, scope: scope, tx: tx)
            guard agreement.state.grantsDataAccess else {
                throw DomainError.refused("R11", "data may be requested only under an agreement in its trial or active period",
                                          field: "agreementId")
            }
            guard let scenario = agreement.scenarios.first(where: { $0.id == scenarioID }) else {
                throw DomainError.invalid("scenarioId", "not a scenario of this agreement", rule: "R11")
            }
            var requested: [RequestedResource] = []
            var resources: [DataResource] = []
            for (index, item) in items.enumerated() {
                let field = "items.\(index)"
                guard let listed = scenario.dataList.first(where: { $0.resourceID == item.resourceID }) else {
                    throw DomainError.refused("R11", "only resources in the scenario's approved data list may be requested",
                                              field: "\(field).resourceId")
                }
                guard !requested.contains(where: { $0.resourceID == item.resourceID }) else {
                    throw DomainError.invalid("\(field).resourceId", "listed twice")
                }
                let columns = item.columns.isEmpty ? listed.columns : item.columns
                if let extra = columns.first(where: { !listed.columns.contains($0) }) {
                    throw DomainError.refused("R11", "column \(extra) is not in the scenario's approved data list", field: "\(field).columns")
                }
                guard let resource = try await tx.catalog.get(item.resourceID) else { throw DomainError.notFound("resource") }
                resources.append(resource)
                requested.append(RequestedResource(resourceID: resource.id, resourceName: resource.name, providerID: resource.providerID,
                                                   columns: columns))
            }
            let grantable = try GrantableResources(resources)
            var parties: [ApprovalParty] = [.authority]
            for resource in grantable.resources where !parties.contains(.provider(resource.providerID)) {
                parties.append(.provider(resource.providerID))
            }
            if grantable.resources.contains(where: { $0.origin != .county }) { parties.append(.province) }
            let request = DataRequest(id: ids.next(prefix: "dr"), operatorID: agreement.operatorID, operatorName: agreement.operatorName,
                                      agreementID: agreement.id, scenarioID: scenario.id, scenarioTitle: scenario.title, purpose: purpose,
                                      resources: requested, epsilonBudget: budget, approvals: parties.map(ApprovalSlot.init(party:)),
                                      state: .pending, requestedBy: actor.username, decidedAt: nil, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(request)
            try await record(AuditEvent(actor: actor, action: "data_request.create", objectType: "data_request", objectID: request.id,
                                        objectLabel: scenario.title,
                                        details: ["resources": requested.map(\.resourceID.rawValue).joined(separator: ","),
                                                  "approvers": parties.map(\.label).joined(separator: ",")]),
                             operator: request.operatorID, summary: "data requested for \(scenario.title)", tx: tx, at: now)
            return request
        }
    }

    /// One party's decision (R11). A provider may narrow the levels of its own columns and anyone
    /// may lower the ε budget; the last approval grants the data and opens the scenario's workspace.
    public func decideDataRequest(_ id: String, approve: Bool, reason: String?, narrowed: [String: [String: SandboxLevel]],
                                  epsilonBudget: Double?, version: Int, by actor: Actor) async throws -> DataRequest {
        let reason = try reason.map { try TextRules.text($0, field: "reason", limit: 2000) }
        if !approve, reason == nil { throw DomainError.invalid("reason", "give the reason for refusing", rule: "R11") }
        let now = clock.now()
        return try await store.transaction { tx in
            var request = try await fetch(DataRequest.self, id, scope: .all, tx: tx)
            guard request.version == version else { throw DomainError.stale }
            let party = try Self.deciding(actor, slots: request.approvals, pending: request.state == .pending)
            try await narrow(&request, narrowed, party: party, tx: tx)
            if let epsilonBudget {
                guard let lowered = Epsilon.budget(epsilonBudget), lowered > .zero, lowered <= request.epsilonBudget else {
                    throw DomainError.invalid("epsilonBudget", "may only lower the budget asked for", rule: "R12")
                }
                request.epsilonBudget = lowered
            }
            Self.decide(&request.approvals, party, approve ? .approved : .refused, by: actor.username, reason: reason, at: now)
            if !approve {
                request.state = .refused
                request.decidedAt = now
            } else if request.approvals.allSatisfy({ $0.decision == .approved }) {
                let agreement = try await fetch(Agreement.self, request.agreementID, scope: .all, tx: tx)
                guard agreement.state.grantsDataAccess else {
                    throw DomainError.refused("R11", "the agreement is not in its trial or active period", field: "agreementId")
                }
                request.state = .granted
                request.decidedAt = now
                for index in request.resources.indices {
                    let item = request.resources[index]
                    guard let resource = try await tx.catalog.get(item.resourceID) else { throw DomainError.notFound("resource") }
                    request.resources[index].grantedPolicy = try await tx.lifecycle.get(SandboxPolicy.self, id: SandboxPolicy.id(for: item.resourceID))
                        ?? SandboxPolicy.proposed(for: resource, policy: policy, at: now)
                }
            }
            try await save(&request, tx: tx, at: now)
            let action = approve ? (request.state == .granted ? "data_request.grant" : "data_request.approve") : "data_request.refuse"
            try await record(AuditEvent(actor: actor, action: action, objectType: "data_request", objectID: id, objectLabel: request.scenarioTitle,
                                        reason: reason, details: ["party": party.label, "epsilonBudget": request.epsilonBudget.description]),
                             operator: request.operatorID, summary: "data request \(action.split(separator: ".").last ?? "")", tx: tx, at: now)
            if request.state == .granted { try await openWorkspace(for: request, by: actor, tx: tx, at: now) }
            return request
        }
    }

    /// A provider narrows levels of its own resources' requested columns only.
    private func narrow(_ request: inout DataRequest, _ narrowed: [String: [String: SandboxLevel]], party: ApprovalParty,
                        tx: any StoreTransaction) async throws {
        for (resourceKey, levels) in narrowed where !levels.isEmpty {
            guard let index = request.resources.firstIndex(where: { $0.resourceID.rawValue == resourceKey }),
                  case .provider(let org) = party, request.resources[index].providerID == org else {
                throw DomainError.refused("R11", "only the provider of a resource narrows its columns", field: "narrowed.\(resourceKey)")
            }
            let base = try await tx.lifecycle.get(SandboxPolicy.self, id: SandboxPolicy.id(for: request.resources[index].resourceID))
            for (column, level) in levels {
                guard request.resources[index].columns.contains(column) else {
                    throw DomainError.invalid("narrowed.\(resourceKey).\(column)", "not a requested column")
                }
                let current = request.resources[index].narrowed[column] ?? base?.column(column)?.level ?? .deny
                guard current.permitsNarrowing(to: level) else {
                    throw DomainError.refused("R12", "a grant may only narrow the provider's level", field: "narrowed.\(resourceKey).\(column)")
                }
                request.resources[index].narrowed[column] = level
            }
        }
    }

    /// One workspace per operator and scenario (of its agreement): the first grant opens it, later grants join it.
    private func openWorkspace(for request: DataRequest, by actor: Actor, tx: any StoreTransaction, at now: Date) async throws {
        let id = Workspace.id(agreement: request.agreementID, scenario: request.scenarioID)
        if var workspace = try await tx.lifecycle.get(Workspace.self, id: id), workspace.state != .closed {
            workspace.grantIDs.append(request.id)
            workspace.epsilonBudget = min(workspace.epsilonBudget, request.epsilonBudget)
            try await save(&workspace, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "workspace.grant", objectType: "workspace", objectID: id,
                                        objectLabel: request.scenarioTitle, details: ["grant": request.id]),
                             operator: request.operatorID, summary: "data granted into the workspace", tx: tx, at: now)
            return
        }
        let workspace = Workspace(id: id, operatorID: request.operatorID, operatorName: request.operatorName, agreementID: request.agreementID,
                                  scenarioID: request.scenarioID, scenarioTitle: request.scenarioTitle, grantIDs: [request.id],
                                  epsilonBudget: request.epsilonBudget, ledger: [], answers: [:], state: .open, haltedReason: nil, haltedBy: nil,
                                  haltedAt: nil, version: 1, createdAt: now, updatedAt: now)
        if try await tx.lifecycle.get(Workspace.self, id: id) != nil {
            throw DomainError.wrongState("closed", "this scenario's workspace was closed when its agreement ended")
        }
        try await tx.lifecycle.insert(workspace)
        try await record(AuditEvent(actor: actor, action: "workspace.open", objectType: "workspace", objectID: id,
                                    objectLabel: request.scenarioTitle, details: ["grant": request.id]),
                         operator: request.operatorID, summary: "workspace opened", tx: tx, at: now)
    }

    /// Requests the caller may see: the operator its own; a provider those touching its data; the
    /// authority, province and regulators all.
    public func dataRequests(scope: AccessScope, provider: OrganizationID?, page: PageRequest) async throws -> Page<DataRequest> {
        try await visible(DataRequest.self, scope: scope, provider: provider, page: page) { $0.providerIDs.contains($1) }
    }

    public func dataRequest(_ id: String, scope: AccessScope, provider: OrganizationID?) async throws -> DataRequest {
        try await visible(DataRequest.self, id, scope: scope, provider: provider) { $0.providerIDs.contains($1) }
    }
}

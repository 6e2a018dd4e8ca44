import Foundation

extension LifecycleService {
    /// Records a deliberation of the coordination mechanism (R1) and applies its decision: grant or
    /// refuse an application under review; terminate (at the operator's request) or revoke an agreement.
    public func deliberate(caseID: String, _ draft: DeliberationDraft, by actor: Actor) async throws -> Deliberation {
        let rationale = try TextRules.text(draft.rationale, field: "rationale", limit: 8000)
        guard !draft.membersPresent.isEmpty else { throw DomainError.invalid("membersPresent", "record the members present") }
        var cleaned: [MemberOpinion] = []
        for (index, opinion) in draft.opinions.enumerated() {
            cleaned.append(MemberOpinion(organizationID: opinion.organizationID, vote: opinion.vote,
                                          opinion: try TextRules.text(opinion.opinion, field: "opinions.\(index).opinion", limit: 4000,
                                                                      required: false)))
        }
        let opinions = cleaned
        let now = clock.now()
        guard draft.heldOn <= now else { throw DomainError.invalid("heldOn", "a deliberation is recorded after it was held") }
        return try await store.transaction { tx in
            let members = Set(try await tx.memberships.coordinationMembers().map(\.organizationID))
            let present = Self.unique(draft.membersPresent)
            if let outsider = present.first(where: { !members.contains($0) }) {
                throw DomainError.refused("R1", "\(outsider) is not a member of the coordination mechanism", field: "membersPresent")
            }
            if let stranger = opinions.first(where: { !present.contains($0.organizationID) }) {
                throw DomainError.invalid("opinions", "\(stranger.organizationID) was not present")
            }
            let deliberationID = newID("dlb")
            let operatorID: OrganizationID
            switch draft.decision {
            case .grant, .refuse:
                operatorID = try await decideApplication(caseID, decision: draft.decision, deliberation: deliberationID, by: actor, tx: tx, at: now)
            case .terminate, .revoke:
                operatorID = try await endByDeliberation(caseID, decision: draft.decision, rationale: rationale, by: actor, tx: tx, at: now)
            }
            let deliberation = Deliberation(id: deliberationID, caseID: caseID, operatorID: operatorID, heldOn: draft.heldOn,
                                            membersPresent: present, opinions: opinions, decision: draft.decision, rationale: rationale,
                                            recordedBy: actor.userID, policyVersion: policy.version, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(deliberation)
            try await record(AuditEvent(actor: actor, action: "deliberation.record", objectType: "deliberation", objectID: deliberation.id,
                                        objectLabel: caseID, reason: rationale,
                                        details: ["case": caseID, "decision": draft.decision.rawValue,
                                                  "present": present.map(\.rawValue).joined(separator: ","), "policy": policy.version]),
                             operator: operatorID, summary: "deliberation: \(draft.decision.rawValue)", tx: tx, at: now)
            return deliberation
        }
    }

    /// Grant: every scenario reviewed, at least one approved, the network-security review passed, an
    /// emergency plan approved (R27) and both security qualifications valid (R7). Grant also
    /// discloses the operator and files the authorization with the province (R9.4).
    func decideApplication(_ id: String, decision: DeliberationDecision, deliberation deliberationID: String, by actor: Actor,
                           tx: any StoreTransaction,
                           at now: Date) async throws -> OrganizationID {
        var application = try await fetch(Application.self, id, scope: .all, tx: tx)
        guard application.state == .underReview else {
            throw DomainError.wrongState(application.state.rawValue, "only an application under review can be decided")
        }
        if decision == .grant {
            guard application.reviewComplete else {
                throw DomainError.refused("R9.3", "every scenario and the network-security review must be decided first")
            }
            guard application.networkSecurityReview.decision == .approved else {
                throw DomainError.refused("R9.3", "the network-security review did not pass")
            }
            guard !application.approvedScenarios.isEmpty else { throw DomainError.refused("R9.3", "no scenario passed its review") }
            guard let plan = try await tx.lifecycle.get(EmergencyPlan.self, id: application.emergencyPlanID), plan.isApproved else {
                throw DomainError.refused("R27", "no approved emergency plan, no authorization")
            }
            try await requireQualifications(application.operatorID, tx: tx, at: now)
        }
        application.state = decision == .grant ? .approved : .rejected
        application.decidedAt = now
        application.deliberationID = deliberationID
        try await save(&application, tx: tx, at: now)
        try await record(AuditEvent(actor: actor, action: decision == .grant ? "application.approve" : "application.reject",
                                    objectType: "application", objectID: id, objectLabel: application.operatorName,
                                    details: ["scenarios": application.approvedScenarios.map(\.id).joined(separator: ",")]),
                         operator: application.operatorID, summary: decision == .grant ? "approved" : "rejected", tx: tx, at: now)
        if decision == .grant {
            let filing = Filing(id: newID("fil"), applicationID: id, operatorID: application.operatorID,
                                operatorName: application.operatorName, scenarioTitles: application.approvedScenarios.map(\.title),
                                state: .filed, filedAt: now, acknowledgedAt: nil, acknowledgedBy: nil, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(filing)
            try await record(AuditEvent(actor: actor, action: "filing.submit", objectType: "filing", objectID: filing.id,
                                        objectLabel: application.operatorName, details: ["application": id]),
                             operator: application.operatorID, summary: "filed with the province", tx: tx, at: now)
        }
        return application.operatorID
    }

    /// Both security reviews must be on record and valid on the day of the decision (R7).
    func requireQualifications(_ operatorID: OrganizationID, tx: any StoreTransaction, at now: Date) async throws {
        let held = try await tx.lifecycle.list(Qualification.self, LifecycleFilter(owner: operatorID), page: try PageRequest(limit: 200)).items
        for kind in QualificationKind.allCases where !held.contains(where: { $0.qualificationKind == kind && $0.isValid(at: now) }) {
            throw DomainError.refused("R7", "no valid \(kind.rawValue) review on record (valid \(policy.securityReviewValidityMonths) months)",
                                      field: kind.rawValue)
        }
    }

    /// The province acknowledges the filing (R9.4).
    public func acknowledgeFiling(_ id: String, version: Int, by actor: Actor) async throws -> Filing {
        try await amend(Filing.self, id, version: version, scope: .all, by: actor, action: "filing.acknowledge",
                        label: \.operatorName, summary: { _ in "filing acknowledged by the province" }) { filing, _, now in
            guard filing.state == .filed else { throw DomainError.wrongState(filing.state.rawValue, "the filing is already acknowledged") }
            filing.state = .acknowledged
            filing.acknowledgedAt = now
            filing.acknowledgedBy = actor.userID
        }
    }

    /// The public disclosure (R9.4): approved operators and their approved scenarios.
    public func disclosures(page: PageRequest) async throws -> Page<Application> {
        try await list(Application.self, filter: LifecycleFilter(states: [ApplicationState.approved.rawValue]), page: page, scope: .all)
    }

    /// The authority records a passed security review (R7); it is reused while valid.
    public func recordQualification(operator operatorID: OrganizationID, kind: QualificationKind, passedOn: Date, reference: String,
                                    by actor: Actor) async throws -> Qualification {
        let reference = try TextRules.name(reference, field: "reference")
        let now = clock.now()
        guard passedOn <= now else { throw DomainError.invalid("passedOn", "a review passes on or before today") }
        return try await store.transaction { tx in
            guard let organization = try await tx.organizations.get(operatorID), organization.kind == .operator else {
                throw DomainError.invalid("operatorId", "name an operator organization")
            }
            let qualification = Qualification(id: newID("qua"), operatorID: operatorID, qualificationKind: kind, passedOn: passedOn,
                                              validUntil: passedOn.addingMonths(policy.securityReviewValidityMonths), reference: reference,
                                              recordedBy: actor.userID, policyVersion: policy.version, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(qualification)
            try await record(AuditEvent(actor: actor, action: "qualification.record", objectType: "qualification", objectID: qualification.id,
                                        objectLabel: organization.name,
                                        details: ["kind": kind.rawValue, "passedOn": Self.day(passedOn), "validUntil": Self.day(qualification.validUntil)]),
                             operator: operatorID, summary: "\(kind.rawValue) review on record", tx: tx, at: now)
            return qualification
        }
    }
}

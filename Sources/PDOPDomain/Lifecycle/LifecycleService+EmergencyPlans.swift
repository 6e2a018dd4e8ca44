import Foundation

extension LifecycleService {
    /// The operator submits its plan, or a new revision of it (R27): one plan per authorization.
    public func submitEmergencyPlan(application id: String, content: String, scope: AccessScope, by actor: Actor) async throws -> EmergencyPlan {
        let content = try TextRules.text(content, field: "content", limit: 20_000)
        let now = clock.now()
        return try await store.transaction { tx in
            let application = try await fetch(Application.self, id, scope: scope, tx: tx)
            guard application.state != .withdrawn, application.state != .rejected else {
                throw DomainError.wrongState(application.state.rawValue, "the application is closed")
            }
            var plan: EmergencyPlan
            if var existing = try await tx.lifecycle.get(EmergencyPlan.self, id: application.emergencyPlanID) {
                existing.revisions.append(EmergencyPlan.Revision(number: existing.revisions.count + 1, content: content, submittedAt: now))
                try await save(&existing, tx: tx, at: now)
                plan = existing
            } else {
                plan = EmergencyPlan(id: application.emergencyPlanID, applicationID: id, operatorID: application.operatorID,
                                     revisions: [EmergencyPlan.Revision(number: 1, content: content, submittedAt: now)], drills: [],
                                     version: 1, createdAt: now, updatedAt: now)
                try await tx.lifecycle.insert(plan)
            }
            try await record(AuditEvent(actor: actor, action: "emergency_plan.submit", objectType: "emergency_plan", objectID: plan.id,
                                        objectLabel: application.operatorName, details: ["revision": String(plan.revisions.count)]),
                             operator: application.operatorID, summary: "emergency plan revision \(plan.revisions.count)", tx: tx, at: now)
            return plan
        }
    }

    /// The authority approves the newest revision; the newest approved one is the plan in force.
    public func approveEmergencyPlan(_ id: String, revision: Int, by actor: Actor) async throws -> EmergencyPlan {
        let now = clock.now()
        return try await store.transaction { tx in
            var plan = try await fetch(EmergencyPlan.self, id, scope: .all, tx: tx)
            guard revision == plan.revisions.count, let last = plan.revisions.last else {
                throw DomainError.wrongState("revision \(plan.revisions.count)", "approve the newest revision")
            }
            guard last.approvedAt == nil else { throw DomainError.wrongState("approved", "this revision is already approved") }
            plan.revisions[plan.revisions.count - 1].approvedAt = now
            plan.revisions[plan.revisions.count - 1].approvedBy = actor.userID
            try await save(&plan, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "emergency_plan.approve", objectType: "emergency_plan", objectID: id,
                                        objectLabel: plan.applicationID, details: ["revision": String(revision)]),
                             operator: plan.operatorID, summary: "emergency plan revision \(revision) approved", tx: tx, at: now)
            return plan
        }
    }

    /// A drill is recorded against the plan (R27).
    public func recordDrill(plan id: String, heldOn: Date, scenario: String, participants: String, findings: String,
                            scope: AccessScope, by actor: Actor) async throws -> EmergencyPlan {
        let drill = EmergencyPlan.Drill(heldOn: heldOn, scenario: try TextRules.text(scenario, field: "scenario", limit: 2000),
                                        participants: try TextRules.text(participants, field: "participants", limit: 2000),
                                        findings: try TextRules.text(findings, field: "findings", limit: 8000), recordedBy: actor.userID)
        let now = clock.now()
        guard heldOn <= now else { throw DomainError.invalid("heldOn", "record a drill after it was held") }
        return try await store.transaction { tx in
            var plan = try await fetch(EmergencyPlan.self, id, scope: scope, tx: tx)
            guard plan.isApproved else { throw DomainError.refused("R27", "drills are held against an approved plan") }
            plan.drills.append(drill)
            try await save(&plan, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "emergency_plan.drill", objectType: "emergency_plan", objectID: id,
                                        objectLabel: drill.scenario, details: ["heldOn": Self.day(heldOn)]),
                             operator: plan.operatorID, summary: "drill: \(drill.scenario)", tx: tx, at: now)
            return plan
        }
    }

    public func emergencyPlan(_ id: String, scope: AccessScope) async throws -> EmergencyPlan {
        try await store.transaction { try await fetch(EmergencyPlan.self, id, scope: scope, tx: $0) }
    }
}

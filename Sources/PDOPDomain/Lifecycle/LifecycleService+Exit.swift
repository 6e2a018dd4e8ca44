import Foundation

extension LifecycleService {
    /// A violation (R8 case 3): a correction order with a deadline and immediate suspension — every
    /// session and token of the operator's staff revoked — and an entry in its credit file (R18).
    public func issueCorrectionOrder(agreement id: String, violation: String, deadline: Date, by actor: Actor) async throws -> CorrectionOrder {
        let violation = try TextRules.text(violation, field: "violation", limit: 4000)
        let now = clock.now()
        guard deadline > now, deadline <= now.addingMonths(6) else {
            throw DomainError.invalid("deadline", "must be after now and within six months")
        }
        return try await store.transaction { tx in
            var agreement = try await fetch(Agreement.self, id, scope: .all, tx: tx)
            let from = agreement.state
            agreement.state = try from.applying(.suspended, hasTrial: agreement.trialMonths > 0, resumeTo: from)
            agreement.resumeState = from
            try await save(&agreement, tx: tx, at: now)
            let revoked = try await tx.credentials.revokeAll(of: tx.users.ids(in: agreement.operatorID), at: now)
            let halted = try await SandboxClosure.halt(operator: agreement.operatorID, reason: "agreement suspended: \(violation)",
                                                       by: actor.username, tx: tx, at: now)
            let order = CorrectionOrder(id: newID("cor"), agreementID: id, operatorID: agreement.operatorID, violation: violation,
                                        deadline: deadline, state: .open, report: nil, reportedAt: nil, closedAt: nil,
                                        version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(order)
            try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .correctionDeadline, subjectID: order.id, dueAt: deadline))
            try await addCredit(agreement.operatorID, .violation, violation, caseID: order.id, by: actor.username, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "agreement.suspend", objectType: "agreement", objectID: id,
                                        objectLabel: agreement.operatorName, reason: violation,
                                        details: ["order": order.id, "deadline": Self.day(deadline), "from": from.rawValue,
                                                  "credentialsRevoked": String(revoked), "workspacesHalted": String(halted)]),
                             operator: agreement.operatorID, summary: "suspended: correction ordered by \(Self.day(deadline))", tx: tx, at: now)
            accessClosed?(agreement.operatorID)
            return order
        }
    }

    /// The operator reports what it corrected.
    public func reportCorrection(_ id: String, report: String, version: Int, scope: AccessScope, by actor: Actor) async throws -> CorrectionOrder {
        let report = try TextRules.text(report, field: "report", limit: 8000)
        return try await amend(CorrectionOrder.self, id, version: version, scope: scope, by: actor, action: "correction.report",
                               label: \.agreementID, summary: { _ in "correction reported" }) { order, _, now in
            guard order.state == .open else { throw DomainError.wrongState(order.state.rawValue, "only an open order takes a report") }
            order.state = .reported
            order.report = report
            order.reportedAt = now
        }
    }

    /// The authority accepts the correction in time: access is restored (R8 case 3).
    public func restoreAccess(order id: String, version: Int, by actor: Actor) async throws -> CorrectionOrder {
        let now = clock.now()
        return try await store.transaction { tx in
            var order = try await fetch(CorrectionOrder.self, id, scope: .all, tx: tx)
            try requireVersion(order, version)
            guard order.state == .reported else {
                throw DomainError.wrongState(order.state.rawValue, "access is restored only after the correction is reported")
            }
            var agreement = try await fetch(Agreement.self, order.agreementID, scope: .all, tx: tx)
            agreement.state = try agreement.state.applying(.restored, hasTrial: agreement.trialMonths > 0,
                                                           resumeTo: agreement.resumeState ?? .active)
            agreement.resumeState = nil
            try await save(&agreement, tx: tx, at: now)
            order.state = .restored
            order.closedAt = now
            try await save(&order, tx: tx, at: now)
            try await tx.deadlines.cancel(kind: .correctionDeadline, subjectID: id, at: now)
            try await addCredit(order.operatorID, .correction, "corrected in time: \(order.violation)", caseID: id, by: actor.username, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "agreement.restore", objectType: "agreement", objectID: agreement.id,
                                        objectLabel: agreement.operatorName, details: ["order": id, "to": agreement.state.rawValue]),
                             operator: order.operatorID, summary: "access restored", tx: tx, at: now)
            return order
        }
    }

    /// Terminate (at the operator's request) or revoke (other legal violations), by deliberation.
    func endByDeliberation(_ id: String, decision: DeliberationDecision, rationale: String, by actor: Actor, tx: any StoreTransaction,
                           at now: Date) async throws -> OrganizationID {
        let agreement = try await fetch(Agreement.self, id, scope: .all, tx: tx)
        guard !agreement.state.isEnded else { throw DomainError.wrongState(agreement.state.rawValue, "the agreement has already ended") }
        if decision == .terminate && agreement.terminationRequestedAt == nil {
            throw DomainError.refused("R8", "early termination follows the operator's request; to end for a violation, revoke")
        }
        if decision == .revoke {
            try await addCredit(agreement.operatorID, .revocation, rationale, caseID: id, by: actor.username, tx: tx, at: now)
        }
        try await end(id, as: .terminated, reason: decision.rawValue, by: actor, tx: tx, at: now)
        return agreement.operatorID
    }

    /// Every ending (R8, R9.6): access closed at once, the operator's retained data deleted with a
    /// deletion record, pending dates cancelled; logs stay for the retention period.
    func end(_ id: String, as target: AgreementEvent, reason: String, by actor: Actor, tx: any StoreTransaction, at now: Date) async throws {
        var agreement = try await fetch(Agreement.self, id, scope: .all, tx: tx)
        let from = agreement.state
        agreement.state = try from.applying(target, hasTrial: agreement.trialMonths > 0, resumeTo: .active)
        agreement.endedAt = now
        agreement.resumeState = nil
        try await save(&agreement, tx: tx, at: now)
        for kind in [Deadline.Kind.agreementStart, .agreementTrialEnd, .agreementExpiry] {
            try await tx.deadlines.cancel(kind: kind, subjectID: id, at: now)
        }
        let revoked = try await tx.credentials.revokeAll(of: tx.users.ids(in: agreement.operatorID), at: now)
        let sandboxItems = try await SandboxClosure.close(agreementID: id, operator: agreement.operatorID, tx: tx, at: now)
        let deletion = DeletionRecord(id: newID("del"), agreementID: id, operatorID: agreement.operatorID, reason: agreement.state,
                                      items: [DeletionRecord.Item(what: "sessions_and_tokens", count: revoked)] + sandboxItems,
                                      performedBy: actor.username, logsKeptDays: policy.logRetentionDays, version: 1, createdAt: now, updatedAt: now)
        try await tx.lifecycle.insert(deletion)
        try await record(AuditEvent(actor: actor, action: "agreement.\(agreement.state.rawValue)", objectType: "agreement", objectID: id,
                                    objectLabel: agreement.operatorName, reason: reason,
                                    details: ["from": from.rawValue, "deletion": deletion.id, "credentialsRevoked": String(revoked)]),
                         operator: agreement.operatorID, summary: "\(agreement.state.rawValue): access closed, data deleted", tx: tx, at: now)
        accessClosed?(agreement.operatorID)
    }

    func addCredit(_ operatorID: OrganizationID, _ category: CreditRecord.Category, _ description: String, caseID: String, by: String,
                   tx: any StoreTransaction, at now: Date) async throws {
        try await tx.lifecycle.insert(CreditRecord(id: newID("crd"), operatorID: operatorID, category: category, description: description,
                                                   caseID: caseID, recordedBy: by, version: 1, createdAt: now, updatedAt: now))
    }

    /// A regulator or the authority writes a finding into the credit file (R18, R19).
    public func recordCreditFinding(operator operatorID: OrganizationID, category: CreditRecord.Category, description: String,
                                    by actor: Actor) async throws -> CreditRecord {
        let description = try TextRules.text(description, field: "description", limit: 4000)
        let now = clock.now()
        return try await store.transaction { tx in
            guard let organization = try await tx.organizations.get(operatorID), organization.kind == .operator else {
                throw DomainError.invalid("operatorId", "name an operator organization")
            }
            let entry = CreditRecord(id: newID("crd"), operatorID: operatorID, category: category, description: description,
                                     caseID: "", recordedBy: actor.username, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(entry)
            try await record(AuditEvent(actor: actor, action: "credit.record", objectType: "credit_record", objectID: entry.id,
                                        objectLabel: organization.name, reason: description, details: ["category": category.rawValue]),
                             operator: operatorID, summary: "credit file: \(category.rawValue)", tx: tx, at: now)
            return entry
        }
    }
}

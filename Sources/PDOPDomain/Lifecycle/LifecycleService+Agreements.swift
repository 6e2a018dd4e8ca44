import Foundation

extension LifecycleService {
    /// The standing obligations every agreement carries (R12, R17, R9.6), as message keys.
    public static let obligations = [
        "obligation.raw_data_stays",       // raw data never leaves the platform (R12)
        "obligation.security_report",      // security report every policy interval (R17)
        "obligation.stop_on_risk",         // stop and report at once on a risk (R17)
        "obligation.no_leak",              // no leaking, tampering, retaining or passing on data (R17)
        "obligation.annual_report",        // annual report (R20)
        "obligation.exit_deletion",        // deletion on exit, logs kept (R9.6)
    ]

    /// The authority generates the agreement from an approved application (R9.5): the approved
    /// scenarios with their data lists, a term of exactly the policy's length and an optional trial
    /// period of at most the policy's maximum before it.
    public func draftAgreement(application id: String, trialMonths: Int, startsOn: Date, by actor: Actor) async throws -> Agreement {
        guard trialMonths >= 0 else { throw DomainError.invalid("trialMonths", "must not be negative") }
        guard trialMonths <= policy.trialPeriodMaxMonths else {
            throw DomainError.refused("R9.5", "the trial period may be at most \(policy.trialPeriodMaxMonths) months", field: "trialMonths")
        }
        let now = clock.now()
        return try await store.transaction { tx in
            let application = try await fetch(Application.self, id, scope: .all, tx: tx)
            // A renewal starts where the agreement it renews ends, which may be more than a year away.
            var latest = now.addingMonths(12)
            if let renewed = try await application.renewsAgreementID.asyncMap({ try await tx.lifecycle.get(Agreement.self, id: $0) }) ?? nil {
                latest = max(latest, renewed.termEndsOn.addingTimeInterval(86_400))
            }
            guard startsOn >= now.addingTimeInterval(-86_400), startsOn <= latest else {
                throw DomainError.invalid("startsOn", "must be between today and a year from now (for a renewal: the end of the renewed term)")
            }
            guard application.state == .approved else {
                throw DomainError.wrongState(application.state.rawValue, "an agreement is drawn up only from an approved application")
            }
            let existing = try await tx.lifecycle.list(Agreement.self, LifecycleFilter(subjectID: id), page: .first).items
            if let live = existing.first(where: { $0.state != .terminated }) {
                throw DomainError.wrongState(live.state.rawValue, "this application already has an agreement")
            }
            let termStart = startsOn.addingMonths(trialMonths)
            let agreement = Agreement(
                id: newID("agr"), applicationID: id, operatorID: application.operatorID, operatorName: application.operatorName,
                scenarios: application.approvedScenarios.map { AgreementScenario(id: $0.id, domain: $0.domain, title: $0.title, dataList: $0.dataList) },
                obligations: Self.obligations, trialMonths: trialMonths, startsOn: startsOn, termStartsOn: termStart,
                termEndsOn: termStart.addingMonths(policy.agreementTermMonths), state: .draft, resumeState: nil,
                operatorSignature: nil, authoritySignature: nil, seal: nil, emergencyPlanID: application.emergencyPlanID,
                terminationRequestedAt: nil, terminationReason: nil, endedAt: nil, policyVersion: policy.version,
                version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(agreement)
            try await record(AuditEvent(actor: actor, action: "agreement.draft", objectType: "agreement", objectID: agreement.id,
                                        objectLabel: application.operatorName,
                                        details: ["trialMonths": String(trialMonths), "startsOn": Self.day(startsOn),
                                                  "termEndsOn": Self.day(agreement.termEndsOn), "policy": policy.version]),
                             operator: application.operatorID, summary: "agreement drawn up", tx: tx, at: now)
            return agreement
        }
    }

    /// The operator's manager signs first.
    public func signAgreement(_ id: String, version: Int, scope: AccessScope, by actor: Actor) async throws -> Agreement {
        guard let userID = actor.userID, actor.has(.operatorManager) else { throw DomainError(.forbidden, "the operator's manager signs") }
        return try await amend(Agreement.self, id, version: version, scope: scope, by: actor, action: "agreement.sign",
                               label: \.operatorName, summary: { _ in "signed by the operator" }) { agreement, _, now in
            guard agreement.state == .draft, agreement.operatorSignature == nil else {
                throw DomainError.wrongState(agreement.state.rawValue, "the operator has already signed")
            }
            agreement.operatorSignature = Signature(userID: userID, name: actor.username, signedAt: now)
        }
    }

    /// The authority countersigns with the county contract seal over the canonical document (R1, R9.5).
    /// No approved emergency plan, no agreement (R27). The scheduler then moves it at its dates.
    public func sealAgreement(_ id: String, version: Int, by actor: Actor) async throws -> Agreement {
        guard let userID = actor.userID else { throw DomainError(.forbidden, "the authority seals") }
        let now = clock.now()
        return try await store.transaction { tx in
            var agreement = try await fetch(Agreement.self, id, scope: .all, tx: tx)
            try requireVersion(agreement, version)
            guard agreement.state == .draft else { throw DomainError.wrongState(agreement.state.rawValue, "only a draft is sealed") }
            guard agreement.operatorSignature != nil else { throw DomainError.wrongState("unsigned", "the operator signs first") }
            guard let plan = try await tx.lifecycle.get(EmergencyPlan.self, id: agreement.emergencyPlanID), plan.isApproved else {
                throw DomainError.refused("R27", "no approved emergency plan, no agreement")
            }
            let document = agreement.canonicalDocument
            agreement.seal = SealRecord(keyID: seal.keyID, documentDigest: seal.digest(document), signature: try seal.sign(document), sealedAt: now)
            agreement.authoritySignature = Signature(userID: userID, name: actor.username, signedAt: now)
            agreement.state = try agreement.state.applying(.sealed, hasTrial: agreement.trialMonths > 0, resumeTo: .active)
            try await save(&agreement, tx: tx, at: now)
            try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .agreementStart, subjectID: id, dueAt: agreement.startsOn))
            if agreement.trialMonths > 0 {
                try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .agreementTrialEnd, subjectID: id, dueAt: agreement.termStartsOn))
            }
            try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .agreementExpiry, subjectID: id, dueAt: agreement.termEndsOn))
            try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .annualReportOpen, subjectID: "\(id)#1",
                                                     dueAt: agreement.termStartsOn.addingMonths(policy.annualReportAfterMonths)))
            try await record(AuditEvent(actor: actor, action: "agreement.seal", objectType: "agreement", objectID: id,
                                        objectLabel: agreement.operatorName,
                                        details: ["digest": agreement.seal!.documentDigest, "key": seal.keyID]),
                             operator: agreement.operatorID, summary: "sealed by the county", tx: tx, at: now)
            return agreement
        }
    }

    /// Anyone can check a seal with the published key: true when the document is unchanged.
    public func verifySeal(of agreement: Agreement) -> Bool {
        guard let record = agreement.seal, record.keyID == seal.keyID else { return false }
        let document = agreement.canonicalDocument
        return seal.digest(document) == record.documentDigest && seal.verify(document, signature: record.signature)
    }

    public func agreement(_ id: String, scope: AccessScope) async throws -> Agreement {
        try await store.transaction { try await fetch(Agreement.self, id, scope: scope, tx: $0) }
    }

    /// The operator asks to end early (R8 case 2); the authority's deliberation ends it.
    public func requestTermination(_ id: String, reason: String, version: Int, scope: AccessScope, by actor: Actor) async throws -> Agreement {
        let reason = try TextRules.text(reason, field: "reason", limit: 4000)
        return try await amend(Agreement.self, id, version: version, scope: scope, by: actor, action: "agreement.termination.request",
                               reason: reason, label: \.operatorName, summary: { _ in "early termination requested" }) { agreement, _, now in
            guard !agreement.state.isEnded, agreement.state != .draft else {
                throw DomainError.wrongState(agreement.state.rawValue, "only a signed agreement can be ended early")
            }
            guard agreement.terminationRequestedAt == nil else { throw DomainError.wrongState("requested", "termination already requested") }
            agreement.terminationRequestedAt = now
            agreement.terminationReason = reason
        }
    }

    /// Whether the operator may use data now: a trial or active agreement (R9.5, R10, R11).
    public func hasDataAccess(_ operatorID: OrganizationID) async throws -> Bool {
        try await store.transaction { tx in
            let live = try await tx.lifecycle.list(Agreement.self, LifecycleFilter(owner: operatorID, states: [AgreementState.trial.rawValue,
                                                                                                             AgreementState.active.rawValue]),
                                                   page: .first)
            return live.total > 0
        }
    }
}

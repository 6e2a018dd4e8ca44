import Foundation
import PDOPDomain
import PDOPStore
import Testing

@Suite("Lifecycle: agreements and their dates (R9.5, R1, R20, R9.2 renewal)")
struct AgreementRulesTests {
    @Test("R9.5 a trial longer than the policy's maximum is refused; the term is exactly two years after the trial")
    func termAndTrial() async throws {
        try await withLifecycle { f in
            let application = try await f.reviewedApplication()
            _ = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: f.actor(.authority))
            await #expect(throws: DomainError.refused("R9.5", "the trial period may be at most 6 months", field: "trialMonths")) {
                _ = try await f.service.draftAgreement(application: application.id, trialMonths: 7, startsOn: f.clock.now(), by: f.actor(.authority))
            }
            await #expect(throws: DomainError.invalid("startsOn", "must be between today and a year from now (for a renewal: the end of the renewed term)")) {
                _ = try await f.service.draftAgreement(application: application.id, trialMonths: 0, startsOn: f.clock.now().addingMonths(13),
                                                       by: f.actor(.authority))
            }
            let start = f.clock.now()
            let agreement = try await f.service.draftAgreement(application: application.id, trialMonths: 6, startsOn: start, by: f.actor(.authority))
            #expect(agreement.termStartsOn == start.addingMonths(6))
            #expect(agreement.termEndsOn == start.addingMonths(30))
            #expect(agreement.scenarios.map(\.title) == application.scenarios.map(\.title))
            await #expect(throws: DomainError.wrongState("draft", "this application already has an agreement")) {
                _ = try await f.service.draftAgreement(application: application.id, trialMonths: 0, startsOn: start, by: f.actor(.authority))
            }
        }
    }

    @Test("R1 R9.5 the operator signs, the county seal signs the canonical document, and anyone can verify it")
    func sealing() async throws {
        try await withLifecycle { f in
            let application = try await f.reviewedApplication()
            _ = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: f.actor(.authority))
            var agreement = try await f.service.draftAgreement(application: application.id, trialMonths: 3, startsOn: f.clock.now(),
                                                               by: f.actor(.authority))
            await #expect(throws: DomainError.wrongState("unsigned", "the operator signs first")) {
                _ = try await f.service.sealAgreement(agreement.id, version: agreement.version, by: f.actor(.authority))
            }
            await #expect(throws: DomainError.notFound("agreement")) {
                _ = try await f.service.signAgreement(agreement.id, version: agreement.version,
                                                      scope: .organization(f.otherOperator.organizationID!), by: f.otherOperator)
            }
            agreement = try await f.service.signAgreement(agreement.id, version: agreement.version, scope: .organization(f.operatorID),
                                                          by: f.actor(.operatorManager))
            agreement = try await f.service.sealAgreement(agreement.id, version: agreement.version, by: f.actor(.authority))
            #expect(agreement.state == .signed)
            let seal = try #require(agreement.seal)
            #expect(seal.keyID == f.service.sealKeyID)
            #expect(f.service.verifySeal(of: agreement))
            #expect(Ed25519ContractSeal.verify(agreement.canonicalDocument, signature: seal.signature, publicKey: f.service.sealPublicKey))
            // The seal is not the audit key.
            #expect(f.platform.stores.sealKey.keyID != f.platform.stores.auditKey.keyID)
            var tampered = agreement
            tampered.termEndsOn = tampered.termEndsOn.addingMonths(12)
            #expect(!f.service.verifySeal(of: tampered))
            #expect(!Ed25519ContractSeal.verify(tampered.canonicalDocument, signature: seal.signature, publicKey: f.service.sealPublicKey))
        }
    }

    @Test("R9.5 the scheduler moves the agreement: signed → trial → active → expired, with a deletion record")
    func datesDriveStates() async throws {
        try await withLifecycle { f in
            var agreement = try await f.sealedAgreement(trialMonths: 2)
            #expect(try await !f.service.hasDataAccess(f.operatorID))
            try await f.advance(days: 0.001)
            agreement = try await f.service.agreement(agreement.id, scope: .all)
            #expect(agreement.state == .trial)
            #expect(try await f.service.hasDataAccess(f.operatorID))
            try await f.advance(days: 62)
            #expect(try await f.service.agreement(agreement.id, scope: .all).state == .active)
            // The first annual report falls due a year into the term (R20) and is flagged when late.
            try await f.advance(days: 366)
            let reports = try await f.service.list(AnnualReport.self, page: .first, scope: .organization(f.operatorID))
            #expect(reports.items.map(\.year) == [1])
            try await f.advance(days: 31)
            var report = try await f.service.list(AnnualReport.self, page: .first, scope: .all).items[0]
            #expect(report.overdue)
            report = try await f.service.fileAnnualReport(report.id, content: "年度运营报告", version: report.version,
                                                          scope: .organization(f.operatorID), by: f.actor(.operatorManager))
            #expect(report.state == .filed)
            try await f.advance(days: 400)
            agreement = try await f.service.agreement(agreement.id, scope: .all)
            #expect(agreement.state == .expired)
            #expect(try await !f.service.hasDataAccess(f.operatorID))
            let deletion = try await f.service.list(DeletionRecord.self, page: .first, scope: .all).items
            #expect(deletion.count == 1 && deletion[0].reason == .expired && deletion[0].logsKeptDays >= 183)
            #expect(try await f.service.list(AnnualReport.self, page: .first, scope: .all).items.map(\.year).sorted() == [1, 2])
        }
    }

    @Test("R9.2 a renewal must be applied for at least three months before expiry")
    func renewalLeadTime() async throws {
        try await withLifecycle { f in
            let agreement = try await f.sealedAgreement()
            try await f.advance(days: 0.001)
            var renewal = f.applicationDraft(announcement: nil)
            renewal.kind = .renewal
            renewal.renewsAgreementID = agreement.id
            var early = try await f.service.apply(renewal, by: f.actor(.operatorManager))
            #expect(early.applicationKind == .renewal)
            // Reviewed and granted like any application; the new term starts where the old one ends.
            early = try await f.service.openReview(early.id, coordinationMembers: [], version: early.version, by: f.actor(.authority))
            for role in [Role.authority, .provider] {
                early = try await f.service.decideScenario(early.id, scenarioID: "s1", listVersion: 1, decision: .approved, opinion: "",
                                                           by: f.actor(role))
            }
            _ = try await f.service.decideNetworkSecurity(early.id, decision: .approved, opinion: "", by: f.actor(.regulator))
            _ = try await f.service.approveEmergencyPlan(early.emergencyPlanID, revision: 1, by: f.actor(.authority))
            _ = try await f.service.deliberate(caseID: early.id, f.deliberation(.grant), by: f.actor(.authority))
            let next = try await f.service.draftAgreement(application: early.id, trialMonths: 0, startsOn: agreement.termEndsOn,
                                                          by: f.actor(.authority))
            #expect(next.termEndsOn == agreement.termEndsOn.addingMonths(24))
            f.clock.set(agreement.termEndsOn.addingMonths(-3).addingTimeInterval(60))
            await #expect(throws: DomainError.refused("R9.2", "a renewal must be applied for at least 3 months before the agreement expires",
                                                      field: "renewsAgreementId")) {
                _ = try await f.service.apply(renewal, by: f.actor(.operatorManager))
            }
        }
    }
}

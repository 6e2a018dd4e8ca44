import Foundation
import PDOPDomain
import Testing

@Suite("Lifecycle: violations, exit, credit records, timeline (R8, R9.6, R18)")
struct ExitRulesTests {
    @Test("R8 a violation suspends at once and revokes access; a correction in time restores it")
    func correctionRestores() async throws {
        try await withLifecycle { f in
            let agreement = try await f.sealedAgreement()
            try await f.advance(days: 0.001)
            let token = try await f.platform.token(.operatorTechnical)
            var order = try await f.service.issueCorrectionOrder(agreement: agreement.id, violation: "超范围使用数据",
                                                                 deadline: f.clock.now().addingTimeInterval(10 * 86_400), by: f.actor(.authority))
            #expect(try await f.service.agreement(agreement.id, scope: .all).state == .suspended)
            #expect(try await !f.service.hasDataAccess(f.operatorID))
            #expect(try await f.platform.services.auth.authenticate(token: token) == nil)
            await #expect(throws: DomainError.wrongState("open", "access is restored only after the correction is reported")) {
                _ = try await f.service.restoreAccess(order: order.id, version: order.version, by: f.actor(.authority))
            }
            order = try await f.service.reportCorrection(order.id, report: "已删除超范围数据并整改流程", version: order.version,
                                                         scope: .organization(f.operatorID), by: f.actor(.operatorManager))
            order = try await f.service.restoreAccess(order: order.id, version: order.version, by: f.actor(.authority))
            #expect(order.state == .restored)
            #expect(try await f.service.agreement(agreement.id, scope: .all).state == .active)
            try await f.advance(days: 11)
            #expect(try await f.service.agreement(agreement.id, scope: .all).state == .active)
            let credit = try await f.service.list(CreditRecord.self, page: .first, scope: .all).items.map(\.category)
            #expect(Set(credit) == [.violation, .correction])
        }
    }

    @Test("R8 not corrected by the deadline: the authorization ends, data deleted with a record, logs kept")
    func correctionLapses() async throws {
        try await withLifecycle { f in
            let agreement = try await f.sealedAgreement()
            try await f.advance(days: 0.001)
            await #expect(throws: DomainError.invalid("deadline", "must be after now and within six months")) {
                _ = try await f.service.issueCorrectionOrder(agreement: agreement.id, violation: "x", deadline: f.clock.now(), by: f.actor(.authority))
            }
            _ = try await f.service.issueCorrectionOrder(agreement: agreement.id, violation: "未按期整改", deadline: f.clock.now().addingTimeInterval(86_400),
                                                         by: f.actor(.authority))
            try await f.advance(days: 2)
            let ended = try await f.service.agreement(agreement.id, scope: .all)
            #expect(ended.state == .terminated && ended.endedAt != nil)
            let deletion = try await f.service.list(DeletionRecord.self, page: .first, scope: .all).items
            #expect(deletion.map(\.reason) == [.terminated])
            #expect(deletion[0].performedBy == "system:scheduler")
            // A suspended agreement cannot be restored once it has ended.
            let order = try await f.service.list(CorrectionOrder.self, page: .first, scope: .all).items[0]
            #expect(order.state == .lapsed)
            #expect(try await f.platform.auditCount(action: "agreement.terminated") == 1)
        }
    }

    @Test("R8 R1 early termination needs the operator's request and a deliberation; revocation writes the credit file")
    func terminationAndRevocation() async throws {
        try await withLifecycle { f in
            let agreement = try await f.sealedAgreement()
            try await f.advance(days: 0.001)
            await #expect(throws: DomainError.refused("R8", "early termination follows the operator's request; to end for a violation, revoke")) {
                _ = try await f.service.deliberate(caseID: agreement.id, f.deliberation(.terminate), by: f.actor(.authority))
            }
            let current = try await f.service.agreement(agreement.id, scope: .all)
            _ = try await f.service.requestTermination(agreement.id, reason: "业务调整", version: current.version, scope: .organization(f.operatorID),
                                                       by: f.actor(.operatorManager))
            _ = try await f.service.deliberate(caseID: agreement.id, f.deliberation(.terminate), by: f.actor(.authority))
            #expect(try await f.service.agreement(agreement.id, scope: .all).state == .terminated)
            await #expect(throws: DomainError.wrongState("terminated", "the agreement has already ended")) {
                _ = try await f.service.deliberate(caseID: agreement.id, f.deliberation(.revoke), by: f.actor(.authority))
            }
            #expect(try await f.service.list(CreditRecord.self, page: .first, scope: .all).total == 0)

            let second = try await f.sealedAgreement()
            _ = try await f.service.deliberate(caseID: second.id, f.deliberation(.revoke), by: f.actor(.authority))
            let credit = try await f.service.list(CreditRecord.self, page: .first, scope: .organization(f.operatorID)).items
            #expect(credit.map(\.category) == [.revocation])
            // Reviewers of the next application see the credit file; another operator does not.
            #expect(try await f.service.list(CreditRecord.self, page: .first, scope: .organization(f.otherOperator.organizationID!)).total == 0)
        }
    }

    @Test("Issue 4 item 13: the operator's timeline lists every event in order, each pointing at its audit entry")
    func timeline() async throws {
        try await withLifecycle { f in
            _ = try await f.sealedAgreement()
            try await f.advance(days: 0.001)
            let events = try await f.service.timeline(of: f.operatorID, page: PageRequest(limit: 200), scope: .organization(f.operatorID)).items
            let actions = events.map(\.action)
            #expect(actions.prefix(2).contains("training.exam") && actions.contains("qualification.record"))
            for expected in ["application.submit", "application.review.open", "application.scenario.review", "application.netsec.review",
                             "emergency_plan.approve", "application.approve", "filing.submit", "deliberation.record", "agreement.draft",
                             "agreement.sign", "agreement.seal", "agreement.active"] {
                #expect(actions.contains(expected), "missing \(expected)")
            }
            #expect(events.map(\.auditSequence) == events.map(\.auditSequence).sorted())
            for event in events {
                let entry = try await f.platform.services.audit.search(AuditFilter(action: event.action), page: PageRequest(limit: 200))
                #expect(entry.items.contains { $0.sequence == event.auditSequence })
            }
            await #expect(throws: DomainError.notFound("operator")) {
                _ = try await f.service.timeline(of: f.operatorID, page: .first, scope: .organization(f.otherOperator.organizationID!))
            }
        }
    }
}

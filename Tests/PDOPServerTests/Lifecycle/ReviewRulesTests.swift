import Foundation
import PDOPDomain
import Testing

@Suite("Lifecycle: review, experts, deliberation, disclosure (R9.3, R2, R1, R9.4, R27)")
struct ReviewRulesTests {
    @Test("R9.3 each scenario is reviewed by the authority, its providers and the assigned members, on its own")
    func scenarioReviewers() async throws {
        try await withLifecycle { f in
            let announcement = try await f.publishedAnnouncement()
            var application = try await f.service.apply(f.applicationDraft(announcement: announcement.id, scenarios: [f.scenario("甲"), f.scenario("乙")]),
                                                        by: f.actor(.operatorManager))
            await #expect(throws: DomainError.refused("R1", "\(f.operatorID) is not a member of the coordination mechanism",
                                                      field: "coordinationMembers")) {
                _ = try await f.service.openReview(application.id, coordinationMembers: [f.operatorID], version: application.version,
                                                   by: f.actor(.authority))
            }
            application = try await f.service.openReview(application.id, coordinationMembers: [f.departmentID], version: application.version,
                                                         by: f.actor(.authority))
            let slots = application.scenarios[0].reviews.map(\.role)
            #expect(slots == [.authority, .provider, .coordination])
            // Another operator is nobody's reviewer.
            await #expect(throws: DomainError(.forbidden, "you are not a reviewer of this scenario")) {
                _ = try await f.service.decideScenario(application.id, scenarioID: "s1", listVersion: 1, decision: .approved, opinion: "",
                                                       by: f.otherOperator)
            }
            application = try await f.service.decideScenario(application.id, scenarioID: "s1", listVersion: 1, decision: .rejected,
                                                             opinion: "用途不明确", by: f.actor(.provider))
            await #expect(throws: DomainError.wrongState("rejected", "this review is already decided")) {
                _ = try await f.service.decideScenario(application.id, scenarioID: "s1", listVersion: 1, decision: .approved, opinion: "",
                                                       by: f.actor(.provider))
            }
            for role in [Role.authority, .coordinationMember] {
                application = try await f.service.decideScenario(application.id, scenarioID: "s1", listVersion: 1, decision: .approved,
                                                                 opinion: "", by: f.actor(role))
            }
            #expect(application.scenarios[0].outcome == .rejected)
            #expect(application.scenarios[1].outcome == .pending)
            #expect(!application.reviewComplete)
        }
    }

    @Test("R9.3 changing a scenario's data list reopens its review; a decision on the old list is refused")
    func amendReopens() async throws {
        try await withLifecycle { f in
            var application = try await f.reviewedApplication(scenarios: 2)
            #expect(application.scenarios.allSatisfy { $0.outcome == .approved })
            application = try await f.service.amendDataList(application.id, scenarioID: "s2",
                                                            dataList: [DataListItem(resourceID: f.open.id, columns: ["district"], purpose: "只看街道")],
                                                            version: application.version, scope: .organization(f.operatorID),
                                                            by: f.actor(.operatorManager))
            #expect(application.scenarios[0].outcome == .approved)
            #expect(application.scenarios[1].outcome == .pending)
            #expect(application.scenarios[1].listVersion == 2)
            #expect(application.scenarios[1].reviews.allSatisfy { $0.decision == .pending })
            await #expect(throws: DomainError.wrongState("listVersion 2", "the scenario's data list changed since you read it; review the new list")) {
                _ = try await f.service.decideScenario(application.id, scenarioID: "s2", listVersion: 1, decision: .approved, opinion: "",
                                                       by: f.actor(.authority))
            }
            // Another operator cannot touch it: it does not exist for them.
            await #expect(throws: DomainError.notFound("application")) {
                _ = try await f.service.amendDataList(application.id, scenarioID: "s2", dataList: [], version: application.version,
                                                      scope: .organization(f.otherOperator.organizationID!), by: f.otherOperator)
            }
        }
    }

    @Test("R9.3 reviewers deciding in parallel lose no decision")
    func parallelReviewers() async throws {
        try await withLifecycle { f in
            let announcement = try await f.publishedAnnouncement()
            var application = try await f.service.apply(f.applicationDraft(announcement: announcement.id), by: f.actor(.operatorManager))
            application = try await f.service.openReview(application.id, coordinationMembers: [f.departmentID], version: application.version,
                                                         by: f.actor(.authority))
            let id = application.id
            let service = f.service
            let actors = [f.actor(.authority), f.actor(.provider), f.actor(.coordinationMember), f.actor(.regulator)]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, actor) in actors.enumerated() {
                    group.addTask {
                        if index == 3 {
                            _ = try await service.decideNetworkSecurity(id, decision: .approved, opinion: "", by: actor)
                        } else {
                            _ = try await service.decideScenario(id, scenarioID: "s1", listVersion: 1, decision: .approved, opinion: "", by: actor)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await f.service.application(id, scope: .all, actor: f.actor(.authority))
            #expect(final.scenarios[0].reviews.allSatisfy { $0.decision == .approved })
            #expect(final.reviewComplete)
            #expect(try await f.platform.auditCount(action: "application.scenario.review") == 3)
        }
    }

    @Test("R27 no approved emergency plan, no grant; R9.3 the network-security review must pass")
    func planAndNetworkSecurity() async throws {
        try await withLifecycle { f in
            let announcement = try await f.publishedAnnouncement()
            var application = try await f.service.apply(f.applicationDraft(announcement: announcement.id, plan: ""), by: f.actor(.operatorManager))
            application = try await f.service.openReview(application.id, coordinationMembers: [f.departmentID], version: application.version,
                                                         by: f.actor(.authority))
            for role in [Role.authority, .provider, .coordinationMember] {
                application = try await f.service.decideScenario(application.id, scenarioID: "s1", listVersion: 1, decision: .approved,
                                                                 opinion: "", by: f.actor(role))
            }
            await #expect(throws: DomainError.refused("R9.3", "every scenario and the network-security review must be decided first")) {
                _ = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: f.actor(.authority))
            }
            await #expect(throws: DomainError(.forbidden, "the network-security review is decided by a regulator or the authority")) {
                _ = try await f.service.decideNetworkSecurity(application.id, decision: .approved, opinion: "", by: f.actor(.provider))
            }
            _ = try await f.service.decideNetworkSecurity(application.id, decision: .approved, opinion: "", by: f.actor(.regulator))
            await #expect(throws: DomainError.refused("R27", "no approved emergency plan, no authorization")) {
                _ = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: f.actor(.authority))
            }
            let plan = try await f.service.submitEmergencyPlan(application: application.id, content: "应急预案 v1",
                                                               scope: .organization(f.operatorID), by: f.actor(.operatorManager))
            await #expect(throws: DomainError.refused("R27", "drills are held against an approved plan")) {
                _ = try await f.service.recordDrill(plan: plan.id, heldOn: f.clock.now(), scenario: "数据泄露", participants: "运维",
                                                    findings: "无", scope: .all, by: f.actor(.authority))
            }
            _ = try await f.service.approveEmergencyPlan(plan.id, revision: 1, by: f.actor(.authority))
            let drilled = try await f.service.recordDrill(plan: plan.id, heldOn: f.clock.now(), scenario: "数据泄露", participants: "运维、安全",
                                                          findings: "告警延迟 5 分钟", scope: .organization(f.operatorID), by: f.actor(.operatorManager))
            #expect(drilled.drills.count == 1)
            let deliberation = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: f.actor(.authority))
            #expect(deliberation.policyVersion == PolicySettings.plan.version)
        }
    }

    @Test("R9.3 a failed network-security review blocks the grant")
    func networkSecurityFails() async throws {
        try await withLifecycle { f in
            let announcement = try await f.publishedAnnouncement()
            var application = try await f.service.apply(f.applicationDraft(announcement: announcement.id), by: f.actor(.operatorManager))
            application = try await f.service.openReview(application.id, coordinationMembers: [], version: application.version, by: f.actor(.authority))
            for role in [Role.authority, .provider] {
                application = try await f.service.decideScenario(application.id, scenarioID: "s1", listVersion: 1, decision: .approved,
                                                                 opinion: "", by: f.actor(role))
            }
            await #expect(throws: DomainError.invalid("opinion", "must not be empty")) {
                _ = try await f.service.decideNetworkSecurity(application.id, decision: .rejected, opinion: " ", by: f.actor(.regulator))
            }
            _ = try await f.service.decideNetworkSecurity(application.id, decision: .rejected, opinion: "未通过等保测评", by: f.actor(.regulator))
            await #expect(throws: DomainError.refused("R9.3", "the network-security review did not pass")) {
                _ = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: f.actor(.authority))
            }
            let refused = try await f.service.deliberate(caseID: application.id, f.deliberation(.refuse), by: f.actor(.authority))
            #expect(refused.decision == .refuse)
            #expect(try await f.service.application(application.id, scope: .all, actor: f.actor(.authority)).state == .rejected)
        }
    }

    @Test("R2 an expert's opinion is asked and attached to the case")
    func expertOpinion() async throws {
        try await withLifecycle { f in
            let announcement = try await f.publishedAnnouncement()
            let application = try await f.service.apply(f.applicationDraft(announcement: announcement.id), by: f.actor(.operatorManager))
            await #expect(throws: DomainError.refused("R2", "only a member of the expert committee gives opinions", field: "expertId")) {
                _ = try await f.service.requestExpertOpinion(application.id, expert: f.platform.user(.buyer).id, scenarioID: nil,
                                                             question: "?", by: f.actor(.authority))
            }
            var asked = try await f.service.requestExpertOpinion(application.id, expert: f.platform.user(.expert).id, scenarioID: "s1",
                                                                 question: "核保场景的数据最小化是否充分？", by: f.actor(.authority))
            let expert = f.actor(.expert)
            #expect(try await f.service.application(application.id, scope: .organization(expert.organizationID!), actor: expert).id == application.id)
            asked = try await f.service.answerExpertOpinion(application.id, opinionID: asked.expertOpinions[0].id, opinion: "充分，建议去除精确日期",
                                                            by: expert)
            #expect(asked.expertOpinions[0].opinion == "充分，建议去除精确日期")
            await #expect(throws: DomainError.wrongState("answered", "this opinion was already given")) {
                _ = try await f.service.answerExpertOpinion(application.id, opinionID: asked.expertOpinions[0].id, opinion: "再答", by: expert)
            }
        }
    }

    @Test("R1 a grant takes effect only with a deliberation of coordination members; R9.4 it is disclosed and filed")
    func deliberationAndFiling() async throws {
        try await withLifecycle { f in
            let application = try await f.reviewedApplication()
            var outsiders = f.deliberation(.grant)
            outsiders.membersPresent = [f.platform.organizations["regulator"]!.id]
            await #expect(throws: DomainError.refused("R1", "\(outsiders.membersPresent[0]) is not a member of the coordination mechanism",
                                                      field: "membersPresent")) {
                _ = try await f.service.deliberate(caseID: application.id, outsiders, by: f.actor(.authority))
            }
            var nobody = f.deliberation(.grant)
            nobody.membersPresent = []
            await #expect(throws: DomainError.invalid("membersPresent", "record the members present")) {
                _ = try await f.service.deliberate(caseID: application.id, nobody, by: f.actor(.authority))
            }
            // Without the deliberation there is no agreement.
            await #expect(throws: DomainError.wrongState("under_review", "an agreement is drawn up only from an approved application")) {
                _ = try await f.service.draftAgreement(application: application.id, trialMonths: 0, startsOn: f.clock.now(), by: f.actor(.authority))
            }
            #expect(try await f.service.disclosures(page: .first).total == 0)
            let deliberation = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: f.actor(.authority))
            let approved = try await f.service.application(application.id, scope: .all, actor: f.actor(.authority))
            #expect(approved.state == .approved && approved.deliberationID == deliberation.id)
            #expect(try await f.service.disclosures(page: .first).items.map(\.id) == [application.id])
            let filing = try await f.service.list(Filing.self, page: .first, scope: .all).items[0]
            #expect(filing.state == .filed && filing.applicationID == application.id)
            let acknowledged = try await f.service.acknowledgeFiling(filing.id, version: filing.version, by: f.actor(.province))
            #expect(acknowledged.state == .acknowledged)
            await #expect(throws: DomainError.stale) {
                _ = try await f.service.acknowledgeFiling(filing.id, version: filing.version, by: f.actor(.province))
            }
        }
    }
}

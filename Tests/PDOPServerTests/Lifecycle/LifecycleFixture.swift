import Foundation
import PDOPDomain
import PDOPServer
import PDOPTestSupport

/// A platform ready for the lifecycle: a published resource of the department, a prohibited one,
/// the department in the coordination mechanism, an expert on the committee, and the operator's
/// two security reviews on record.
struct LifecycleFixture {
    let platform: TestPlatform
    var open: DataResource
    var prohibited: DataResource
    var service: LifecycleService { platform.services.lifecycle }
    var clock: ManualClock { platform.clock }

    static func make(qualified: Bool = true) async throws -> LifecycleFixture {
        let platform = try await TestPlatform.make()
        let system = Actor.system("test")
        let department = platform.organizations["department"]!.id
        func resource(_ name: String, _ attribute: OpenAttribute) async throws -> DataResource {
            let draft = ResourceDraft(domain: "medical", name: name, description: "就诊记录", keywords: ["就诊"], grade: .l3,
                                      openAttribute: attribute, origin: .county, updateFrequency: .daily,
                                      columns: [ColumnSpec(name: "person_id", type: .text, description: "身份证号", sensitivity: .directIdentifier),
                                                ColumnSpec(name: "district", type: .text, description: "街道", sensitivity: .ordinary),
                                                ColumnSpec(name: "cost", type: .decimal, description: "费用", sensitivity: .ordinary)])
            let created = try await platform.services.catalog.create(draft, provider: department, scope: .all, by: system)
            return try await platform.services.catalog.changeState(created.id, to: .published, version: created.version, reason: "test", by: system)
        }
        let open = try await resource("医院就诊记录", .conditional)
        let prohibited = try await resource("精神卫生档案", .prohibited)
        _ = try await platform.services.parties.addCoordinationMember(department, basis: "县政府办文件", by: system)
        _ = try await platform.services.parties.addExpert(platform.user(.expert).id, field: "数据安全", by: system)
        let fixture = LifecycleFixture(platform: platform, open: open, prohibited: prohibited)
        if qualified {
            for kind in QualificationKind.allCases {
                _ = try await fixture.service.recordQualification(operator: fixture.operatorID, kind: kind,
                                                                  passedOn: platform.clock.now().addingTimeInterval(-86_400),
                                                                  reference: "浙安审〔2025〕\(kind.rawValue)", by: fixture.actor(.authority))
            }
        }
        return fixture
    }

    func dispose() async { await TestStores.dispose(platform.stores) }

    var operatorID: OrganizationID { platform.organizations["operator"]!.id }
    var departmentID: OrganizationID { platform.organizations["department"]!.id }

    func actor(_ role: Role) -> Actor {
        let user = platform.user(role)
        return Actor(userID: user.id, username: user.username, organizationID: user.organizationID, roles: user.roles)
    }

    var otherOperator: Actor {
        let user = platform.users["other"]!
        return Actor(userID: user.id, username: user.username, organizationID: user.organizationID, roles: user.roles)
    }

    func announcementDraft(resources: [ResourceID]? = nil, opensIn: TimeInterval = -3600, closesIn: TimeInterval = 30 * 86_400) -> AnnouncementDraft {
        let now = clock.now()
        return AnnouncementDraft(title: "新昌县公共数据授权运营通告（医疗健康）", method: .applicationReview, domains: [],
                                 resourceIDs: resources ?? [open.id], conditions: "具备数据安全能力", criteria: "场景价值与安全能力",
                                 requirements: "提交应急预案", opensAt: now.addingTimeInterval(opensIn), closesAt: now.addingTimeInterval(closesIn))
    }

    func publishedAnnouncement() async throws -> Announcement {
        let draft = try await service.draftAnnouncement(announcementDraft(), by: actor(.authority))
        return try await service.publishAnnouncement(draft.id, version: draft.version, by: actor(.authority))
    }

    func applicationDraft(announcement: String?, scenarios: [ScenarioDraft]? = nil, plan: String = "数据泄露应急处置预案") -> ApplicationDraft {
        ApplicationDraft(announcementID: announcement, kind: .initial, renewsAgreementID: nil, organizationFacts: "新昌数智科技有限公司",
                         principal: ResponsiblePerson(name: "张伟", title: "总经理", phone: "0575-86000000"),
                         scenarios: scenarios ?? [scenario()], emergencyPlan: plan)
    }

    func scenario(_ title: String = "商业健康险核保", columns: [String] = ["district", "cost"]) -> ScenarioDraft {
        ScenarioDraft(domain: "finance_insurance", title: title, description: "以就诊数据辅助核保",
                      dataList: [DataListItem(resourceID: open.id, columns: columns, purpose: "核保风险评估")], intendedProducts: "核保评分服务")
    }

    /// Submitted, reviewed by everyone with approval, plan approved: ready for the grant deliberation.
    func reviewedApplication(scenarios: Int = 1) async throws -> Application {
        let announcement = try await publishedAnnouncement()
        let drafts = (0..<scenarios).map { scenario("场景\($0 + 1)") }
        var application = try await service.apply(applicationDraft(announcement: announcement.id, scenarios: drafts), by: actor(.operatorManager))
        application = try await service.openReview(application.id, coordinationMembers: [departmentID], version: application.version,
                                                   by: actor(.authority))
        for scenario in application.scenarios {
            for role in [Role.authority, .provider, .coordinationMember] {
                application = try await service.decideScenario(application.id, scenarioID: scenario.id, listVersion: scenario.listVersion,
                                                               decision: .approved, opinion: "同意", by: actor(role))
            }
        }
        application = try await service.decideNetworkSecurity(application.id, decision: .approved, opinion: "通过", by: actor(.regulator))
        _ = try await service.approveEmergencyPlan(application.emergencyPlanID, revision: 1, by: actor(.authority))
        return try await service.application(application.id, scope: .all, actor: actor(.authority))
    }

    func deliberation(_ decision: DeliberationDecision) -> DeliberationDraft {
        DeliberationDraft(heldOn: clock.now(), membersPresent: [departmentID],
                          opinions: [MemberOpinion(organizationID: departmentID, vote: .approve, opinion: "同意")],
                          decision: decision, rationale: "经协调机制审议")
    }

    /// Approved by deliberation, drawn up, signed and sealed.
    func sealedAgreement(trialMonths: Int = 0) async throws -> Agreement {
        let application = try await reviewedApplication()
        _ = try await service.deliberate(caseID: application.id, deliberation(.grant), by: actor(.authority))
        var agreement = try await service.draftAgreement(application: application.id, trialMonths: trialMonths, startsOn: clock.now(),
                                                         by: actor(.authority))
        agreement = try await service.signAgreement(agreement.id, version: agreement.version, scope: .organization(operatorID),
                                                    by: actor(.operatorManager))
        return try await service.sealAgreement(agreement.id, version: agreement.version, by: actor(.authority))
    }

    /// Moves the clock and runs the scheduler.
    func advance(days: Double) async throws {
        clock.advance(by: days * 86_400)
        try await platform.services.scheduler.runDue(limit: 1000)
    }
}

/// Runs a test body with a fixture and disposes of its stores afterwards.
func withLifecycle(qualified: Bool = true, _ body: (LifecycleFixture) async throws -> Void) async throws {
    let fixture = try await LifecycleFixture.make(qualified: qualified)
    do {
        try await body(fixture)
        await fixture.dispose()
    } catch {
        await fixture.dispose()
        throw error
    }
}

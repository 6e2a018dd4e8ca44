import Foundation
import PDOPDemoData
import PDOPDomain
import PDOPSandbox

/// The demo's sandbox: the health bureau's and the social-insurance bureau's column policies, and
/// op1 holding an active agreement for a scenario over both, so a demo operator can request data,
/// have it approved and analyse it in a workspace (issue 5).
extension DemoCounty {
    static let sandboxScenario = "医疗费用与参保结构分析"

    static let sandboxPolicies: [DemoDataset.Key: (unit: String, columns: [ColumnPolicy])] = [
        .hospitalVisits: ("身份证号", [
            ColumnPolicy(name: "就诊流水号", level: .deny),
            ColumnPolicy(name: "身份证号", level: .joinOnly, keySpace: "resident_id"),
            ColumnPolicy(name: "患者姓名", level: .deny),
            ColumnPolicy(name: "性别", level: .groupBy),
            ColumnPolicy(name: "年龄", level: .groupBy, lower: 0, upper: 110, bucketWidth: 5),
            ColumnPolicy(name: "患者所在乡镇", level: .groupBy),
            ColumnPolicy(name: "医疗机构", level: .groupBy),
            ColumnPolicy(name: "科室", level: .countOnly),
            ColumnPolicy(name: "就诊类型", level: .groupBy),
            ColumnPolicy(name: "就诊日期", level: .groupBy, bucketWidth: 1),
            ColumnPolicy(name: "出院日期", level: .compare, bucketWidth: 1),
            ColumnPolicy(name: "诊断编码", level: .countOnly),
            ColumnPolicy(name: "诊断类别", level: .groupBy),
            ColumnPolicy(name: "总费用_元", level: .aggregate, lower: 0, upper: 50_000),
        ]),
        .socialInsurance: ("身份证号", [
            ColumnPolicy(name: "身份证号", level: .joinOnly, keySpace: "resident_id"),
            ColumnPolicy(name: "姓名", level: .deny),
            ColumnPolicy(name: "性别", level: .groupBy),
            ColumnPolicy(name: "出生日期", level: .compare, bucketWidth: 1),
            ColumnPolicy(name: "手机号码", level: .deny),
            ColumnPolicy(name: "户籍乡镇", level: .groupBy),
            ColumnPolicy(name: "险种", level: .groupBy),
            ColumnPolicy(name: "参保状态", level: .groupBy),
            ColumnPolicy(name: "首次参保日期", level: .compare, bucketWidth: 1),
            ColumnPolicy(name: "参保单位统一社会信用代码", level: .joinOnly, keySpace: "credit_code"),
            ColumnPolicy(name: "参保单位名称", level: .deny),
            ColumnPolicy(name: "月缴费基数_元", level: .aggregate, lower: 0, upper: 40_000),
            ColumnPolicy(name: "累计缴费月数", level: .aggregate, lower: 0, upper: 600),
        ]),
    ]

    static let sandboxDataList: [DemoDataset.Key: [String]] = [
        .hospitalVisits: ["身份证号", "性别", "年龄", "患者所在乡镇", "就诊类型", "就诊日期", "诊断类别", "总费用_元"],
        .socialInsurance: ["身份证号", "性别", "户籍乡镇", "险种", "参保状态", "月缴费基数_元", "累计缴费月数"],
    ]

    /// Writes the two providers' policies and walks op1's application through to an active agreement.
    static func prepareSandbox(into services: PlatformServices, organizations: [String: OrganizationID], users: [String: UserID]) async throws {
        func actor(_ username: String) -> Actor {
            let spec = DemoCounty.organizations.first { $0.users.contains { $0.username == username } }!
            let user = spec.users.first { $0.username == username }!
            return Actor(userID: users[username], username: username, organizationID: organizations[spec.key], roles: user.roles)
        }
        var resources: [DemoDataset.Key: DataResource] = [:]
        for key in [DemoDataset.Key.hospitalVisits, .socialInsurance] {
            let dataset = DemoDatasets[key]
            let found = try await services.catalog.search(CatalogFilter(text: dataset.name), page: .first, scope: .all)
            guard let resource = found.items.first(where: { $0.name == dataset.name }), let policy = sandboxPolicies[key] else { continue }
            resources[key] = resource
            let provider = actor(key == .hospitalVisits ? "health.provider" : "hrss.provider")
            _ = try await services.sandbox.setColumnPolicy(for: resource.id, unitColumn: policy.unit, unitDomain: "natural_person",
                                                           minUnits: services.policy.sandboxMinUnits, columns: policy.columns, version: nil,
                                                           scope: .organization(resource.providerID), by: provider)
        }
        guard let visits = resources[.hospitalVisits], let pensions = resources[.socialInsurance],
              let announcement = try await services.lifecycle.list(Announcement.self, filter: LifecycleFilter(states: ["published"]),
                                                                   page: .first, scope: .all).items.first else { return }
        let lifecycle = services.lifecycle
        let manager = actor("op1.manager"), admin = actor("admin")
        let scenario = ScenarioDraft(
            domain: "health", title: sandboxScenario, description: "融合就诊费用与养老保险参保数据，分乡镇分析医疗费用负担与参保结构，为普惠保险产品设计提供依据。",
            dataList: [DataListItem(resourceID: visits.id, columns: sandboxDataList[.hospitalVisits]!, purpose: "分乡镇、年龄段统计就诊人次与费用"),
                       DataListItem(resourceID: pensions.id, columns: sandboxDataList[.socialInsurance]!, purpose: "按参保状态和险种关联分析")],
            intendedProducts: "乡镇医疗费用负担指数；普惠型医疗保险定价参考模型")
        var application = try await lifecycle.apply(ApplicationDraft(
            announcementID: announcement.id, kind: .initial, renewsAgreementID: nil, organizationFacts: "新昌数智运营有限公司，县属国有控股企业，具备数据安全管理制度。",
            principal: ResponsiblePerson(name: "周建国", title: "总经理", phone: "0575-86000001"), scenarios: [scenario],
            emergencyPlan: "数据泄露、越权访问和系统故障三类事件的报告、处置与恢复流程；每半年演练一次。"), by: manager)
        application = try await lifecycle.openReview(application.id, coordinationMembers: [organizations["drc"]!], version: application.version,
                                                     by: admin)
        for reviewer in ["admin", "health.provider", "hrss.provider", "drc.member"] {
            let current = application.scenarios[0]
            application = try await lifecycle.decideScenario(application.id, scenarioID: current.id, listVersion: current.listVersion,
                                                             decision: .approved, opinion: "同意", by: actor(reviewer))
        }
        application = try await lifecycle.decideNetworkSecurity(application.id, decision: .approved, opinion: "网络安全审查通过",
                                                                by: actor("netsec.regulator"))
        _ = try await lifecycle.approveEmergencyPlan(application.emergencyPlanID, revision: 1, by: admin)
        let drc = organizations["drc"]!
        _ = try await lifecycle.deliberate(caseID: application.id, DeliberationDraft(
            heldOn: services.clock.now(), membersPresent: [drc], opinions: [MemberOpinion(organizationID: drc, vote: .approve, opinion: "同意授权")],
            decision: .grant, rationale: "场景价值明确，数据最小化，安全保障措施可行。"), by: admin)
        var agreement = try await lifecycle.draftAgreement(application: application.id, trialMonths: 0, startsOn: services.clock.now(), by: admin)
        agreement = try await lifecycle.signAgreement(agreement.id, version: agreement.version, scope: .organization(organizations["op1"]!),
                                                      by: manager)
        _ = try await lifecycle.sealAgreement(agreement.id, version: agreement.version, by: admin)
        try await services.scheduler.runDue(limit: 100)
    }
}

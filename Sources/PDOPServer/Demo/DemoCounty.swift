import Foundation
import Logging
import PDOPDemoData
import PDOPDomain
import PDOPStore

/// The demo county (issue 2 item 10): Xinchang's authority, departments, coordination members,
/// experts, the province, regulators, operators with staff of each type, and buyers. Deterministic:
/// the same identifiers every time; loaded once.
public enum DemoCounty {
    public static let password = "xinchang-demo-2026"

    struct OrgSpec {
        var key: String
        var name: String
        var nameEn: String
        var kind: OrganizationKind
        var coordinationMember: Bool = false
        var users: [(username: String, name: String, roles: Set<Role>)]
        var creditSerial: String? = nil
    }

    static let organizations: [OrgSpec] = [
        OrgSpec(key: "authority", name: "新昌县数据局", nameEn: "Xinchang County Data Bureau", kind: .authority, coordinationMember: true,
                users: [("admin", "数据局管理员", [.authority, .coordinationMember]), ("authority.reviewer", "数据局审核员", [.authority])]),
        OrgSpec(key: "finance", name: "新昌县金融工作服务中心", nameEn: "Xinchang Finance Office", kind: .department,
                users: [("finance.lead", "金融办联络员", [.domainLead])]),
        OrgSpec(key: "health", name: "新昌县卫生健康局", nameEn: "Xinchang Health Bureau", kind: .department,
                users: [("health.provider", "卫健局数据专员", [.provider, .domainLead])]),
        OrgSpec(key: "transport", name: "新昌县交通运输局", nameEn: "Xinchang Transport Bureau", kind: .department,
                users: [("transport.provider", "交通局数据专员", [.provider, .domainLead])]),
        OrgSpec(key: "commerce", name: "新昌县商务局", nameEn: "Xinchang Commerce Bureau", kind: .department,
                users: [("commerce.provider", "商务局数据专员", [.provider, .domainLead])]),
        OrgSpec(key: "market", name: "新昌县市场监督管理局", nameEn: "Xinchang Market Supervision Bureau", kind: .department,
                coordinationMember: true,
                users: [("market.provider", "市场监管局数据专员", [.provider, .domainLead]), ("market.member", "市场监管局协调员", [.coordinationMember])]),
        OrgSpec(key: "tourism", name: "新昌县文化广电旅游局", nameEn: "Xinchang Culture, Radio, TV and Tourism Bureau", kind: .department,
                users: [("tourism.provider", "文广旅游局数据专员", [.provider, .domainLead])]),
        OrgSpec(key: "tax", name: "国家税务总局新昌县税务局", nameEn: "Xinchang Tax Bureau", kind: .department,
                users: [("tax.provider", "税务局数据专员", [.provider])]),
        OrgSpec(key: "hrss", name: "新昌县人力资源和社会保障局", nameEn: "Xinchang Human Resources and Social Security Bureau", kind: .department,
                users: [("hrss.provider", "人社局数据专员", [.provider])]),
        OrgSpec(key: "medinsure", name: "新昌县医疗保障局", nameEn: "Xinchang Healthcare Security Bureau", kind: .department,
                users: [("medinsure.provider", "医保局数据专员", [.provider])]),
        OrgSpec(key: "power", name: "国网新昌县供电公司", nameEn: "State Grid Xinchang Power Supply", kind: .department,
                users: [("power.provider", "供电公司数据专员", [.provider])]),
        OrgSpec(key: "weather", name: "新昌县气象局", nameEn: "Xinchang Meteorological Bureau", kind: .department,
                users: [("weather.provider", "气象局数据专员", [.provider])]),
        OrgSpec(key: "police", name: "新昌县公安局", nameEn: "Xinchang Public Security Bureau", kind: .department, coordinationMember: true,
                users: [("police.provider", "公安局数据专员", [.provider, .coordinationMember])]),
        OrgSpec(key: "drc", name: "新昌县发展和改革局", nameEn: "Xinchang Development and Reform Bureau", kind: .department, coordinationMember: true,
                users: [("drc.member", "发改局协调员", [.coordinationMember])]),
        OrgSpec(key: "economy", name: "新昌县经济和信息化局", nameEn: "Xinchang Economy and Information Technology Bureau", kind: .department,
                coordinationMember: true, users: [("economy.member", "经信局协调员", [.coordinationMember])]),
        OrgSpec(key: "justice", name: "新昌县司法局", nameEn: "Xinchang Justice Bureau", kind: .department, coordinationMember: true,
                users: [("justice.member", "司法局协调员", [.coordinationMember])]),
        OrgSpec(key: "fiscal", name: "新昌县财政局", nameEn: "Xinchang Finance Bureau", kind: .department, coordinationMember: true,
                users: [("fiscal.member", "财政局协调员", [.coordinationMember])]),
        OrgSpec(key: "experts", name: "新昌县公共数据授权运营专家咨询委员会", nameEn: "Xinchang Expert Advisory Committee on Public Data Operation",
                kind: .expertCommittee,
                users: [("expert.li", "李明（数据安全）", [.expert]), ("expert.wang", "王芳（个人信息保护）", [.expert]),
                        ("expert.zhang", "张伟（数据要素市场）", [.expert]), ("expert.chen", "陈静（隐私计算）", [.expert]),
                        ("expert.zhao", "赵磊（法律合规）", [.expert])]),
        OrgSpec(key: "province", name: "浙江省数据局", nameEn: "Zhejiang Provincial Data Bureau", kind: .province,
                users: [("province", "省数据局联络员", [.province])]),
        OrgSpec(key: "cac", name: "中共新昌县委网络安全和信息化委员会办公室", nameEn: "Xinchang Cyberspace Affairs Office", kind: .regulator,
                coordinationMember: true, users: [("cac.regulator", "县委网信办监管员", [.regulator, .coordinationMember])]),
        OrgSpec(key: "netsec", name: "新昌县公安局网络安全保卫大队", nameEn: "Xinchang Cyber Security Police Brigade", kind: .regulator,
                users: [("netsec.regulator", "网安大队监管员", [.regulator])]),
        OrgSpec(key: "op1", name: "新昌数智运营有限公司", nameEn: "Xinchang Digital Operations Co., Ltd.", kind: .operator,
                users: [("op1.manager", "数智运营负责人", [.operatorManager]), ("op1.tech", "数智运营技术员", [.operatorTechnical]),
                        ("op1.ops", "数智运营运维员", [.operatorOperations])], creditSerial: "MA2D8K3X5"),
        OrgSpec(key: "op2", name: "浙东信用科技有限公司", nameEn: "Zhedong Credit Technology Co., Ltd.", kind: .operator,
                users: [("op2.manager", "浙东信用负责人", [.operatorManager]), ("op2.tech", "浙东信用技术员", [.operatorTechnical]),
                        ("op2.ops", "浙东信用运维员", [.operatorOperations])], creditSerial: "MA2E1P7Q0"),
        OrgSpec(key: "op3", name: "天姥文旅数据服务有限公司", nameEn: "Tianmu Culture and Tourism Data Services Co., Ltd.", kind: .operator,
                users: [("op3.manager", "天姥文旅负责人", [.operatorManager]), ("op3.tech", "天姥文旅技术员", [.operatorTechnical]),
                        ("op3.ops", "天姥文旅运维员", [.operatorOperations])], creditSerial: "MA2F4R9T2"),
        OrgSpec(key: "buyer1", name: "越州普惠银行新昌支行", nameEn: "Yuezhou Inclusive Bank, Xinchang Branch", kind: .buyer,
                users: [("buyer.bank", "普惠银行数据采购员", [.buyer])], creditSerial: "MA2G6W1Y8"),
        OrgSpec(key: "buyer2", name: "新昌县智慧医疗科技有限公司", nameEn: "Xinchang Smart Healthcare Technology Co., Ltd.", kind: .buyer,
                users: [("buyer.health", "智慧医疗数据采购员", [.buyer])], creditSerial: "MA2H3N5U4"),
    ]

    static let courseTitles: [(Role, String)] = [
        (.operatorManager, "授权运营主体负责人岗前培训：法规、责任与协议义务"),
        (.operatorTechnical, "技术人员岗前培训：可用不可见、隐私计算与数据安全"),
        (.operatorOperations, "运维人员岗前培训：平台运维、应急处置与日志管理"),
    ]
    static let courseSyllabus = "《数据安全法》《个人信息保护法》；浙江省公共数据授权运营管理办法；平台安全规范；应急预案与演练。"

    static let experts = ["expert.li": "数据安全", "expert.wang": "个人信息保护", "expert.zhang": "数据要素市场",
                          "expert.chen": "隐私计算", "expert.zhao": "法律合规"]

    /// Xinchang's administrative division code, for fictitious but well-formed credit codes.
    static func creditCode(_ serial: String) -> String {
        let first17 = "91330624" + serial
        return first17 + String(CreditCode.checkCharacter(for: first17)!)
    }

    /// The demo logins, for `pdop serve --demo` to print.
    public static var logins: [(username: String, organization: String)] {
        organizations.flatMap { org in org.users.map { ($0.username, org.name) } }
    }

    /// An open announcement over the demo's scenario domains, and the two security reviews of the
    /// first two operators on record (R7, R9.1), so the lifecycle can be walked from the start.
    static func openAuthorization(into services: PlatformServices, operators: [OrganizationID], actor: Actor) async throws {
        let now = services.clock.now()
        for operatorID in operators {
            for kind in QualificationKind.allCases {
                _ = try await services.lifecycle.recordQualification(operator: operatorID, kind: kind, passedOn: now.addingMonths(-3),
                                                                     reference: "浙数安审〔2026〕\(kind == .basicSecurity ? "基" : "技")字", by: actor)
            }
        }
        let draft = try await services.lifecycle.draftAnnouncement(AnnouncementDraft(
            title: "新昌县公共数据授权运营通告（2026年第1号）", method: .applicationReview,
            domains: ["medical", "medical_insurance", "social_security", "finance", "enterprise_registration", "transport", "tourism", "meteorology"],
            resourceIDs: [], conditions: "在新昌县依法登记的企业法人；具备省级办法规定的基础安全审查和技术与安全审查结果；具备数据安全管理制度。",
            criteria: "场景价值、数据最小化、安全保障能力、运营方案可行性。", requirements: "每个场景单独列明数据清单；提交应急预案；第一责任人签署承诺书。",
            opensAt: now.addingTimeInterval(-86_400), closesAt: now.addingMonths(2)), by: actor)
        _ = try await services.lifecycle.publishAnnouncement(draft.id, version: draft.version, by: actor)
    }

    /// Catalogues and publishes the demo datasets, each under its department (R3).
    static func catalogue(into services: PlatformServices, providers: [String: OrganizationID], actor: Actor) async throws {
        let catalog = CatalogService(store: services.store, clock: services.clock, ids: SequentialIdentifiers(namespace: "demo"))
        for dataset in DemoDatasets.all {
            guard let provider = providers[dataset.provider] else { continue }
            let resource = try await catalog.create(dataset.resourceDraft, provider: provider, scope: .all, by: actor)
            _ = try await catalog.changeState(resource.id, to: .published, version: resource.version, reason: "", by: actor)
        }
    }

    /// Generates the demo datasets at `scale` and loads each into the domain store under its
    /// catalogued resource (once: a resource that already has data is skipped). Returns rows loaded.
    @discardableResult
    public static func loadDatasets(into services: PlatformServices, scale: Double, logger: Logger) async throws -> Int {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pdop-demo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generator = DemoGenerator(scale: scale)
        let loader = DataLoadService(services: services)
        let loaded = DomainDataLoader(database: services.stores.domain)
        var total = 0
        for dataset in DemoDatasets.all {
            let found = try await services.catalog.search(CatalogFilter(text: dataset.name), page: .first, scope: .all)
            guard let resource = found.items.first(where: { $0.name == dataset.name }),
                  try await loaded.currentRowCount(resource.id) == nil else { continue }
            let path = (directory as NSString).appendingPathComponent("\(dataset.key.rawValue).csv")
            try generator.writeCSV(dataset.key, to: path)
            let load = try await loader.load(resource.id, mode: .replace, format: .csv, encoding: .utf8, scope: .all,
                                             by: .system("demo"), chunks: FileChunks(path: path))
            guard load.state == .succeeded else {
                throw DomainError.invalid("demo", "loading \(dataset.key.rawValue) failed: \(load.error ?? "")")
            }
            total += load.rowCount ?? 0
            logger.info("demo data loaded", metadata: ["dataset": .string(dataset.key.rawValue), "rows": .stringConvertible(load.rowCount ?? 0)])
            try? FileManager.default.removeItem(atPath: path)
        }
        return total
    }

    /// Loads the county unless it is there already. Returns false when it was.
    @discardableResult
    public static func load(into services: PlatformServices, stores: OpenedStores, logger: Logger) async throws -> Bool {
        let actor = Actor.system("demo")
        let parties = PartyService(store: services.store, clock: services.clock, ids: SequentialIdentifiers(namespace: "demo"),
                                   hasher: BcryptHasher(cost: 10), policy: services.policy)
        let existing = try await services.parties.organizations(OrganizationFilter(text: organizations[0].name), page: .first, scope: .all)
        if existing.total > 0 { return false }
        logger.info("loading the demo county")
        var userIDs: [String: UserID] = [:]
        var organizationIDs: [String: OrganizationID] = [:]
        var courses: [Role: String] = [:]
        for (role, title) in courseTitles {
            courses[role] = try await services.lifecycle.createCourse(staffRole: role, title: title, syllabus: courseSyllabus, passingScore: 80,
                                                                      by: actor).id
        }
        for spec in organizations {
            let organization = try await parties.createOrganization(NewOrganization(
                name: spec.name, nameEn: spec.nameEn, kind: spec.kind, creditCode: spec.creditSerial.map(creditCode)), by: actor)
            organizationIDs[spec.key] = organization.id
            if spec.coordinationMember {
                _ = try await parties.addCoordinationMember(organization.id, basis: "新昌县公共数据授权运营工作协调机制成员单位（实施方案三（一）1）",
                                                            by: actor)
            }
            for user in spec.users {
                let created = try await parties.createUser(NewUser(
                    organizationID: organization.id, username: user.username, displayName: user.name, password: password,
                    roles: user.roles), by: actor)
                // Operator staff start pending and are activated by passing their course's exam (R10).
                for role in user.roles where role.isOperatorStaff {
                    _ = try await services.lifecycle.recordExam(user: created.id, course: courses[role]!, score: 92,
                                                                takenOn: services.clock.now(), by: actor)
                }
                userIDs[user.username] = created.id
            }
        }
        for (username, field) in experts.sorted(by: { $0.key < $1.key }) {
            _ = try await parties.addExpert(userIDs[username]!, field: field, by: actor)
        }
        try await catalogue(into: services, providers: organizationIDs, actor: actor)
        try await openAuthorization(into: services, operators: ["op1", "op2"].compactMap { organizationIDs[$0] }, actor: actor)
        try await prepareSandbox(into: services, organizations: organizationIDs, users: userIDs)
        return true
    }
}

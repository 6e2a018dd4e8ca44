import Foundation
import Hummingbird
import HummingbirdTesting
import PDOPDomain
import PDOPSandbox
import PDOPServer
import PDOPTestSupport

/// A platform ready for the sandbox: two departments' datasets of the same people (hospital visits
/// and pension enrolment, with valid-looking ID numbers, mobiles and credit codes), their column
/// policies, and the operator holding an active agreement whose scenario lists both.
struct SandboxFixture {
    let lifecycle: LifecycleFixture
    var platform: TestPlatform { lifecycle.platform }
    var services: PlatformServices { platform.services }
    var sandbox: SandboxService { services.sandbox }
    let visits: DataResource
    let pensions: DataResource
    let secondProvider: User
    let agreement: Agreement
    let persons: [Person]

    struct Person {
        var id: String
        var name: String
        var phone: String
        var district: String
        var age: Int
        var employer: String
    }

    /// District sizes: three large ones and 羽林 with a single person, whom nothing may single out.
    static let districts: [(String, Int)] = [("城关", 80), ("南明", 70), ("七星", 60), ("羽林", 1)]
    static let tinyDistrict = "羽林"

    static func people() -> [Person] {
        var result: [Person] = []
        var serial = 0
        for (district, count) in districts {
            for index in 0..<count {
                serial += 1
                let birthYear = 1950 + serial % 50
                let first17 = String(format: "330624%04d0101%03d", birthYear, serial % 1000)
                let id = first17 + String(ResidentID.checkCharacter(for: first17)!)
                let employer17 = String(format: "91330624MA2D%05d", serial)
                // In 城关 exactly one person is under 20: a filter "age ≥ 20" differs from "everyone" by that one person.
                let age = district == "城关" && index == 0 ? 18 : 20 + serial % 60
                result.append(Person(id: id, name: "测试人\(serial)", phone: String(format: "138%08d", serial), district: district, age: age,
                                     employer: employer17 + String(CreditCode.checkCharacter(for: employer17)!)))
            }
        }
        return result
    }

    var operatorActor: Actor { lifecycle.actor(.operatorTechnical) }
    var authority: Actor { lifecycle.actor(.authority) }
    var provider: Actor { lifecycle.actor(.provider) }
    var provider2: Actor {
        Actor(userID: secondProvider.id, username: secondProvider.username, organizationID: secondProvider.organizationID, roles: secondProvider.roles)
    }
    var operatorScope: AccessScope { .organization(lifecycle.operatorID) }

    static func make() async throws -> SandboxFixture {
        let lifecycle = try await LifecycleFixture.make()
        do {
            return try await make(on: lifecycle)
        } catch {
            await lifecycle.dispose()
            throw error
        }
    }

    private static func make(on lifecycle: LifecycleFixture) async throws -> SandboxFixture {
        let platform = lifecycle.platform
        let system = Actor.system("test")
        let department2 = try await platform.services.parties.createOrganization(NewOrganization(name: "测试-人社局", kind: .department), by: system)
        let provider2 = try await platform.services.parties.createUser(NewUser(
            organizationID: department2.id, username: "u.provider2", displayName: "人社局数据专员", password: TestPlatform.password,
            roles: [.provider]), by: system)
        func resource(_ name: String, provider: OrganizationID, _ columns: [ColumnSpec]) async throws -> DataResource {
            let draft = ResourceDraft(domain: "medical", name: name, description: name, keywords: [name], grade: .l3, openAttribute: .conditional,
                                      origin: .county, updateFrequency: .daily, columns: columns)
            let created = try await platform.services.catalog.create(draft, provider: provider, scope: .all, by: system)
            return try await platform.services.catalog.changeState(created.id, to: .published, version: created.version, reason: "test", by: system)
        }
        let visits = try await resource("沙箱就诊记录", provider: lifecycle.departmentID, [
            ColumnSpec(name: "person_id", type: .text, description: "身份证号", sensitivity: .directIdentifier),
            ColumnSpec(name: "name", type: .text, description: "姓名", sensitivity: .directIdentifier),
            ColumnSpec(name: "phone", type: .text, description: "手机", sensitivity: .directIdentifier),
            ColumnSpec(name: "district", type: .text, description: "乡镇", sensitivity: .quasiIdentifier),
            ColumnSpec(name: "age", type: .integer, description: "年龄", sensitivity: .quasiIdentifier),
            ColumnSpec(name: "visit_day", type: .date, description: "就诊日期", sensitivity: .quasiIdentifier),
            ColumnSpec(name: "cost", type: .decimal, description: "费用", sensitivity: .sensitive),
            ColumnSpec(name: "visit_no", type: .text, description: "就诊流水号", sensitivity: .quasiIdentifier),
        ])
        let pensions = try await resource("沙箱参保信息", provider: department2.id, [
            ColumnSpec(name: "person_id", type: .text, description: "身份证号", sensitivity: .directIdentifier),
            ColumnSpec(name: "phone", type: .text, description: "手机", sensitivity: .directIdentifier),
            ColumnSpec(name: "status", type: .text, description: "参保状态", sensitivity: .ordinary),
            ColumnSpec(name: "base", type: .decimal, description: "缴费基数", sensitivity: .sensitive),
            ColumnSpec(name: "employer_code", type: .text, description: "单位信用代码", sensitivity: .quasiIdentifier),
        ])
        let persons = people()
        var visitRows = ["person_id,name,phone,district,age,visit_day,cost,visit_no"]
        var pensionRows = ["person_id,phone,status,base,employer_code"]
        for (index, person) in persons.enumerated() {
            for visit in 0..<(1 + index % 3) {
                let cost = 100 + (index * 37 + visit * 11) % 900
                visitRows.append("\(person.id),\(person.name),\(person.phone),\(person.district),\(person.age),2024-0\(1 + visit)-1\(index % 10),\(cost).50,V\(index)-\(visit)")
            }
            pensionRows.append("\(person.id),\(person.phone),\(index % 4 == 0 ? "暂停缴费" : "正常参保"),\(3000 + index * 13 % 5000),\(person.employer)")
        }
        let loader = DataLoadService(services: platform.services)
        for (resource, rows) in [(visits, visitRows), (pensions, pensionRows)] {
            let bytes = Array((rows.joined(separator: "\n") + "\n").utf8)
            let load = try await loader.load(resource.id, mode: .replace, format: .csv, encoding: .utf8, scope: .all, by: system,
                                             chunks: AsyncStream<[UInt8]> { continuation in continuation.yield(bytes); continuation.finish() })
            precondition(load.state == .succeeded, "fixture load failed: \(load.error ?? "")")
        }
        let sandbox = platform.services.sandbox
        _ = try await sandbox.setColumnPolicy(for: visits.id, unitColumn: "person_id", unitDomain: "natural_person", minUnits: 10, columns: [
            ColumnPolicy(name: "person_id", level: .joinOnly, keySpace: "resident_id"),
            ColumnPolicy(name: "name", level: .deny), ColumnPolicy(name: "phone", level: .deny),
            ColumnPolicy(name: "district", level: .groupBy), ColumnPolicy(name: "age", level: .groupBy, lower: 0, upper: 120),
            ColumnPolicy(name: "visit_day", level: .groupBy, bucketWidth: 1), ColumnPolicy(name: "cost", level: .aggregate, lower: 0, upper: 2000),
            // A careless provider let a unique key be grouped on: the output guard must still release nothing.
            ColumnPolicy(name: "visit_no", level: .groupBy),
        ], version: nil, scope: .all, by: system)
        _ = try await sandbox.setColumnPolicy(for: pensions.id, unitColumn: "person_id", unitDomain: "natural_person", minUnits: 10, columns: [
            ColumnPolicy(name: "person_id", level: .joinOnly, keySpace: "resident_id"), ColumnPolicy(name: "phone", level: .deny),
            ColumnPolicy(name: "status", level: .groupBy), ColumnPolicy(name: "base", level: .aggregate, lower: 0, upper: 20000),
            ColumnPolicy(name: "employer_code", level: .joinOnly, keySpace: "credit_code"),
        ], version: nil, scope: .all, by: system)
        let agreement = try await activeAgreement(lifecycle, visits: visits, pensions: pensions, provider2: provider2)
        return SandboxFixture(lifecycle: lifecycle, visits: visits, pensions: pensions, secondProvider: provider2, agreement: agreement,
                              persons: persons)
    }

    /// Applies for the two-department scenario and walks it to an active agreement.
    static func activeAgreement(_ fixture: LifecycleFixture, visits: DataResource, pensions: DataResource, provider2: User) async throws -> Agreement {
        let service = fixture.service
        let announcement = try await service.draftAnnouncement(fixture.announcementDraft(resources: [visits.id, pensions.id]), by: fixture.actor(.authority))
        _ = try await service.publishAnnouncement(announcement.id, version: announcement.version, by: fixture.actor(.authority))
        let scenario = ScenarioDraft(domain: "health", title: "医疗费用与参保分析", description: "分乡镇分析",
                                     dataList: [DataListItem(resourceID: visits.id, columns: ["person_id", "name", "district", "age", "visit_day", "cost", "visit_no"], purpose: "费用统计"),
                                                DataListItem(resourceID: pensions.id, columns: ["person_id", "phone", "status", "base", "employer_code"], purpose: "参保关联")],
                                     intendedProducts: "费用负担指数")
        var application = try await service.apply(fixture.applicationDraft(announcement: announcement.id, scenarios: [scenario]),
                                                  by: fixture.actor(.operatorManager))
        application = try await service.openReview(application.id, coordinationMembers: [fixture.departmentID], version: application.version,
                                                   by: fixture.actor(.authority))
        let second = Actor(userID: provider2.id, username: provider2.username, organizationID: provider2.organizationID, roles: provider2.roles)
        for actor in [fixture.actor(.authority), fixture.actor(.provider), second, fixture.actor(.coordinationMember)] {
            let current = application.scenarios[0]
            application = try await service.decideScenario(application.id, scenarioID: current.id, listVersion: current.listVersion,
                                                           decision: .approved, opinion: "同意", by: actor)
        }
        application = try await service.decideNetworkSecurity(application.id, decision: .approved, opinion: "通过", by: fixture.actor(.regulator))
        _ = try await service.approveEmergencyPlan(application.emergencyPlanID, revision: 1, by: fixture.actor(.authority))
        _ = try await service.deliberate(caseID: application.id, fixture.deliberation(.grant), by: fixture.actor(.authority))
        var agreement = try await service.draftAgreement(application: application.id, trialMonths: 0, startsOn: fixture.clock.now(),
                                                         by: fixture.actor(.authority))
        agreement = try await service.signAgreement(agreement.id, version: agreement.version, scope: .organization(fixture.operatorID),
                                                    by: fixture.actor(.operatorManager))
        agreement = try await service.sealAgreement(agreement.id, version: agreement.version, by: fixture.actor(.authority))
        try await fixture.advance(days: 1)
        return try await service.agreement(agreement.id, scope: .all)
    }

    var scenarioID: String { agreement.scenarios[0].id }

    /// Requests both datasets and has every party approve: the workspace is open.
    func grantedWorkspace(epsilonBudget: Double = 3) async throws -> Workspace {
        var request = try await sandbox.requestData(
            agreementID: agreement.id, scenarioID: scenarioID, purpose: "分乡镇统计",
            items: [DataRequestItem(resourceID: visits.id, columns: []), DataRequestItem(resourceID: pensions.id, columns: [])],
            epsilonBudget: epsilonBudget, scope: operatorScope, by: operatorActor)
        for actor in [authority, provider, provider2] {
            request = try await sandbox.decideDataRequest(request.id, approve: true, reason: nil, narrowed: [:], epsilonBudget: nil,
                                                          version: request.version, by: actor)
        }
        precondition(request.state == .granted)
        return try await sandbox.workspaces(scope: operatorScope, page: .first).items[0]
    }

    func dispose() async { await lifecycle.dispose() }
}

/// Runs a test body with a sandbox fixture and the platform's router.
func withSandbox(_ body: @Sendable (SandboxFixture, any TestClientProtocol) async throws -> Void) async throws {
    let fixture = try await SandboxFixture.make()
    let app = Application(router: buildRouter(fixture.services))
    do {
        try await app.test(.router) { client in try await body(fixture, client) }
        await fixture.dispose()
    } catch {
        await fixture.dispose()
        throw error
    }
}

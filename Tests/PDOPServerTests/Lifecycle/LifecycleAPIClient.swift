import Foundation
import HTTPTypes
import HummingbirdTesting
import PDOPAPI
import PDOPDomain
import PDOPServer
import Testing

/// Drives the lifecycle through the HTTP router as the platform's roles, with bearer tokens.
final class LifecycleAPIClient {
    let platform: TestPlatform
    let client: any TestClientProtocol
    private var tokens: [String: String] = [:]

    init(platform: TestPlatform, client: any TestClientProtocol) {
        self.platform = platform
        self.client = client
    }

    /// A catalogued, published resource of the department with three columns, the department in the
    /// coordination mechanism and the expert on the committee: what an announcement needs.
    static func prepare(_ platform: TestPlatform, resourceName: String = "医院就诊记录") async throws -> DataResource {
        let system = Actor.system("test")
        let department = platform.organizations["department"]!.id
        let draft = ResourceDraft(domain: "medical", name: resourceName, description: "就诊记录", keywords: ["就诊"], grade: .l3,
                                  openAttribute: .conditional, origin: .county, updateFrequency: .daily,
                                  columns: [ColumnSpec(name: "person_id", type: .text, description: "身份证号", sensitivity: .directIdentifier),
                                            ColumnSpec(name: "district", type: .text, description: "街道", sensitivity: .ordinary),
                                            ColumnSpec(name: "cost", type: .decimal, description: "费用", sensitivity: .ordinary)])
        let created = try await platform.services.catalog.create(draft, provider: department, scope: .all, by: system)
        _ = try await platform.services.parties.addCoordinationMember(department, basis: "县政府办文件", by: system)
        _ = try await platform.services.parties.addExpert(platform.user(.expert).id, field: "数据安全", by: system)
        return try await platform.services.catalog.changeState(created.id, to: .published, version: created.version, reason: "test", by: system)
    }

    /// The signed-in token of a role ("other" for the second operator's manager), issued once.
    func token(_ who: String) async throws -> String {
        if let token = tokens[who] { return token }
        let user = platform.users[who]!
        let token = try await platform.token(for: user)
        tokens[who] = token
        return token
    }

    /// Forgets a role's token, after the platform revoked it (a suspension or an ending).
    func reissue(_ who: String) { tokens[who] = nil }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, as who: String?, _ body: [String: Any]? = nil,
              expect status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let json = try body.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        return try await raw(method, uri, as: who, json: json, expect: status, sourceLocation: sourceLocation)
    }

    @discardableResult
    func raw(_ method: HTTPRequest.Method, _ uri: String, as who: String?, json: String?, expect status: HTTPResponse.Status,
             sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var token: String?
        if let who { token = try await self.token(who) }
        let response = try await client.api(method, uri, token: token, json: json)
        #expect(response.status == status, "\(method) \(uri) as \(who ?? "anonymous"): \(response.text)", sourceLocation: sourceLocation)
        return try response.json()
    }

    func now(plus seconds: TimeInterval = 0) -> String { APIDates.format(platform.clock.now().addingTimeInterval(seconds)) }

    var operatorID: String { platform.organizations["operator"]!.id.rawValue }
    var departmentID: String { platform.organizations["department"]!.id.rawValue }

    func announcementBody(resource: ResourceID) -> [String: Any] {
        ["title": "新昌县公共数据授权运营通告（医疗健康）", "method": "application_review", "resourceIds": [resource.rawValue],
         "conditions": "具备数据安全能力", "criteria": "场景价值与安全能力", "requirements": "提交应急预案",
         "opensAt": now(plus: -3600), "closesAt": now(plus: 30 * 86_400)]
    }

    func applicationBody(announcement: String, resource: String, scenarios: Int = 1) -> [String: Any] {
        ["announcementId": announcement, "organizationFacts": "新昌数智科技有限公司",
         "principal": ["name": "张伟", "title": "总经理", "phone": "0575-86000000"],
         "scenarios": (0..<scenarios).map { index in
             ["domain": "finance_insurance", "title": "商业健康险核保\(index + 1)", "description": "以就诊数据辅助核保",
              "intendedProducts": "核保评分服务",
              "dataList": [["resourceId": resource, "columns": ["district", "cost"], "purpose": "核保风险评估"]]]
         },
         "emergencyPlan": "数据泄露应急处置预案"]
    }

    /// A published announcement, as the authority; returns its id.
    func publishedAnnouncement(resource: ResourceID) async throws -> String {
        let draft = try await call(.post, "/api/v1/announcements", as: "authority", announcementBody(resource: resource), expect: .created)
        let id = draft["id"] as! String
        try await call(.post, "/api/v1/announcements/\(id)/publish", as: "authority", ["version": 1], expect: .ok)
        return id
    }

    static func problemPointer(_ body: [String: Any]) -> String? {
        ((body["errors"] as? [[String: Any]])?.first?["pointer"]) as? String
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PDOPAPI
import PDOPDomain
import PDOPServer
import Testing

/// Issue 2 item 6 / AUD-10: every state-changing request writes an audit entry in the same
/// transaction as the change, and every refused attempt writes one too.
@Suite("Audit coverage")
struct AuditCoverageTests {
    /// One successful call per state-changing API route; the test fails if a route is added without one.
    @Test("AUD-10 every state-changing API route writes an entry when it succeeds, and a denied entry when refused")
    func everyChangeAudited() async throws {
        try await TestPlatform.run { platform, client in
            let token = try await platform.token(.authority)
            let operatorOrg = platform.organizations["operator"]!
            let department = platform.organizations["department"]!
            let buyer = platform.user(.buyer)
            let expert = platform.user(.expert)
            var exercised: Set<String> = []

            /// `entries`: a deliberation writes its own record and the decision's (approval and filing).
            func succeed(_ method: HTTPRequest.Method, _ template: String, _ uri: String, _ json: String?,
                         token: String, entries: Int64 = 1) async throws -> TestResponse {
                let before = try await platform.auditHead()
                let response = try await client.api(method, uri, token: token, json: json)
                #expect((200..<300).contains(Int(response.status.code)), "\(method) \(template): \(response.status) \(response.text)")
                #expect(try await platform.auditHead() == before + entries, "\(method) \(template) writes exactly \(entries) entries")
                exercised.insert("\(method.rawValue) \(template)")
                return response
            }

            let created = try await succeed(.post, "/api/v1/organizations", "/api/v1/organizations",
                                            #"{"name":"新昌县审计覆盖局","kind":"department"}"#, token: token)
            let newOrg = try created.json()["id"] as! String
            _ = try await succeed(.patch, "/api/v1/organizations/{organizationId}", "/api/v1/organizations/\(newOrg)",
                                  #"{"name":"新昌县审计覆盖局（更名）","version":1}"#, token: token)
            _ = try await succeed(.post, "/api/v1/organizations/{organizationId}/state", "/api/v1/organizations/\(operatorOrg.id)/state",
                                  #"{"state":"suspended","version":\#(operatorOrg.version),"reason":"检查"}"#, token: token)
            let user = try await succeed(.post, "/api/v1/users", "/api/v1/users",
                                         #"{"organizationId":"\#(department.id)","username":"audit.cover","displayName":"审计覆盖","password":"coverage-pass-2026","roles":["provider"]}"#,
                                         token: token)
            let userID = try user.json()["id"] as! String
            _ = try await succeed(.put, "/api/v1/users/{userId}/roles", "/api/v1/users/\(userID)/roles",
                                  #"{"roles":["provider","domain_lead"],"version":1}"#, token: token)
            _ = try await succeed(.post, "/api/v1/users/{userId}/state", "/api/v1/users/\(userID)/state",
                                  #"{"state":"suspended","version":2,"reason":"调岗"}"#, token: token)
            _ = try await succeed(.post, "/api/v1/coordination-members", "/api/v1/coordination-members",
                                  #"{"organizationId":"\#(department.id)","basis":"县政府办公室文件"}"#, token: token)
            _ = try await succeed(.post, "/api/v1/experts", "/api/v1/experts", #"{"userId":"\#(expert.id)","field":"隐私计算"}"#, token: token)
            let buyerToken = try await platform.token(for: buyer)
            let issued = try await succeed(.post, "/api/v1/me/tokens", "/api/v1/me/tokens", #"{"name":"脚本"}"#, token: buyerToken)
            let tokenID = (try issued.json()["token"] as! [String: Any])["id"] as! String
            _ = try await succeed(.delete, "/api/v1/me/tokens/{tokenId}", "/api/v1/me/tokens/\(tokenID)", nil, token: buyerToken)
            _ = try await succeed(.post, "/api/v1/me/password", "/api/v1/me/password",
                                  #"{"currentPassword":"\#(TestPlatform.password)","newPassword":"another-passphrase-2026"}"#, token: buyerToken)
            let providerToken = try await platform.token(.provider)
            let resource = try await succeed(.post, "/api/v1/catalog/resources", "/api/v1/catalog/resources", CatalogTests.visits,
                                             token: providerToken)
            let resourceID = try resource.json()["id"] as! String
            let edited = CatalogTests.visits.replacingOccurrences(of: "\"domain\":\"medical\"", with: "\"version\":1,\"domain\":\"medical\"")
            _ = try await succeed(.put, "/api/v1/catalog/resources/{resourceId}", "/api/v1/catalog/resources/\(resourceID)", edited,
                                  token: providerToken)
            _ = try await succeed(.post, "/api/v1/catalog/resources/{resourceId}/state", "/api/v1/catalog/resources/\(resourceID)/state",
                                  #"{"state":"published","version":2}"#, token: token)
            let uploadHead = try await platform.auditHead()
            let upload = try await client.execute(uri: "/api/v1/catalog/resources/\(resourceID)/data", method: .put,
                                                  headers: [.authorization: "Bearer \(providerToken)"],
                                                  body: ByteBuffer(string: "身份证号,就诊日期,费用\nA1,2025-01-01,12.5\n"))
            #expect(upload.status == .created)
            #expect(try await platform.auditHead() == uploadHead + 2, "a load is audited when it starts and when it ends")
            exercised.insert("PUT /api/v1/catalog/resources/{resourceId}/data")
            let loadID = try upload.json()["id"] as! String
            _ = try await succeed(.post, "/api/v1/catalog/resources/{resourceId}/schema", "/api/v1/catalog/resources/\(resourceID)/schema",
                                  #"{"loadId":"\#(loadID)","version":3}"#, token: providerToken)
            _ = try await succeed(.post, "/api/v1/catalog/categories", "/api/v1/catalog/categories",
                                  #"{"code":"theme.audit","nameZh":"审计覆盖","nameEn":"Audit coverage","parentCode":"theme"}"#, token: token)
            _ = try await succeed(.put, "/api/v1/catalog/categories/{categoryCode}", "/api/v1/catalog/categories/theme.audit",
                                  #"{"nameZh":"审计覆盖（改）","nameEn":"Audit coverage","version":1}"#, token: token)
            _ = try await succeed(.delete, "/api/v1/catalog/categories/{categoryCode}", "/api/v1/catalog/categories/theme.audit", nil,
                                  token: token)
            // The first operator was suspended above; the other one posts.
            let operatorToken = try await platform.token(for: platform.users["other"]!)
            let demand = try await succeed(.post, "/api/v1/demands", "/api/v1/demands",
                                           #"{"domain":"finance","title":"企业用电","description":"信用评估"}"#, token: operatorToken)
            let demandID = try demand.json()["id"] as! String
            _ = try await succeed(.post, "/api/v1/demands/{demandId}/route", "/api/v1/demands/\(demandID)/route",
                                  #"{"providerId":"\#(platform.user(.provider).organizationID)","version":1}"#, token: token)
            _ = try await succeed(.post, "/api/v1/demands/{demandId}/answer", "/api/v1/demands/\(demandID)/answer",
                                  #"{"answer":"available","version":2}"#, token: providerToken)
            let objection = try await succeed(.post, "/api/v1/catalog/resources/{resourceId}/objections",
                                              "/api/v1/catalog/resources/\(resourceID)/objections",
                                              #"{"reason":"wrong","evidence":"数据有误"}"#, token: operatorToken)
            let objectionID = try objection.json()["id"] as! String
            _ = try await succeed(.post, "/api/v1/objections/{objectionId}/answer", "/api/v1/objections/\(objectionID)/answer",
                                  #"{"resolution":"explained","response":"口径说明","version":1}"#, token: providerToken)
            try await LifecycleAuditWalk.run(platform: platform, resourceID: resourceID, authority: token, providerToken: providerToken,
                                             succeed: succeed)
            platform.clock.advance(by: 400 * 86_400)
            let freshToken = try await platform.token(.authority)
            let purge = try await succeed(.post, "/api/v1/audit/purge", "/api/v1/audit/purge",
                                          #"{"before":"\#(APIDates.format(platform.clock.now().addingTimeInterval(-370 * 86_400)))"}"#,
                                          token: freshToken)
            #expect((try purge.json()["removed"] as? Int ?? 0) > 0)

            // The sandbox's routes need granted data first; SandboxAuditTests walks them.
            let stateChanging = Set(routeTable(platform.services).filter { $0.spec.audience == .api && $0.spec.changesState
                                                                           && !$0.spec.path.hasPrefix("/api/v1/sandbox/") }
                .map(\.spec.description))
            #expect(stateChanging == exercised, "untested: \(stateChanging.subtracting(exercised))")

            // Refusals: a rule refusal, a forbidden role and a bad body each leave a denied entry.
            for (json, who) in [(#"{"before":"\#(APIDates.format(platform.clock.now()))"}"#, freshToken),
                                (#"{"before":"2020-01-01T00:00:00Z"}"#, try await platform.token(.regulator)),
                                (#"{"before":"not a date"}"#, freshToken)] {
                let denied = try await platform.auditCount(outcome: .denied)
                let response = try await client.api(.post, "/api/v1/audit/purge", token: who, json: json)
                #expect(response.status.code >= 400)
                #expect(try await platform.auditCount(outcome: .denied) == denied + 1)
            }
            let verification = try await platform.services.integrity.verify()
            #expect(verification.ok, "\(verification.summary)")
        }
    }

    @Test("a console form change is audited with who, where and what, and shows on the audit page")
    func consoleChangeShowsInAuditPage() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            let form = try await session.get(client, "/console/users/new")
            #expect(form.status == .ok)
            let created = try await session.post(client, "/console/users", [
                "_csrf": ConsoleSession.csrf(in: form)!, "org_id": platform.organizations["operator"]!.id.rawValue,
                "username": "console.made", "display_name": "控制台新建", "password": "console-pass-2026", "role": "operator_technical",
            ])
            #expect(created.status == .seeOther)
            let detail = try await session.get(client, created.headers[.location]!)
            #expect(detail.text.contains("console.made"))
            #expect(detail.text.contains("待激活"), "operator staff start pending (R10)")
            let audit = try await session.get(client, "/console/audit?q=console.made")
            #expect(audit.status == .ok)
            #expect(audit.text.contains("user.create"))
            #expect(audit.text.contains("u.authority"))
            // The regulator can read the log; an operator cannot.
            var regulator = ConsoleSession()
            try await regulator.login(client, username: "u.regulator")
            #expect(try await regulator.get(client, "/console/audit?q=console.made").text.contains("console.made"))
            var operatorSession = ConsoleSession()
            try await operatorSession.login(client, username: "u.operator_manager")
            #expect(try await operatorSession.get(client, "/console/audit").status == .forbidden)
        }
    }

    @Test("a failed form keeps the typed values (never the password) and says which rule refused")
    func formErrors() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            let form = try await session.get(client, "/console/users/new")
            let response = try await session.post(client, "/console/users", [
                "_csrf": ConsoleSession.csrf(in: form)!, "org_id": platform.organizations["operator"]!.id.rawValue,
                "username": "typed.name", "display_name": "填写的姓名", "password": "password123", "role": "operator_technical",
            ])
            #expect(response.status == .badRequest)
            #expect(response.text.contains("typed.name"))
            #expect(response.text.contains("填写的姓名"))
            #expect(!response.text.contains("password123"))
            #expect(response.text.contains("role=\"alert\""))
        }
    }
}

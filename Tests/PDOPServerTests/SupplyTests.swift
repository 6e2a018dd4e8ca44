import Foundation
import Hummingbird
import HummingbirdTesting
import PDOPDomain
import PDOPServer
import Testing

/// Issue 3 items 7 and 8: demands and objections with deadlines applied by the scheduler (R4).
@Suite("Supply and demand")
struct SupplyTests {
    static func publishedResource(_ platform: TestPlatform, _ client: any TestClientProtocol) async throws -> String {
        let id = try await client.api(.post, "/api/v1/catalog/resources", token: try await platform.token(.provider),
                                      json: CatalogTests.visits).json()["id"] as! String
        _ = try await client.api(.post, "/api/v1/catalog/resources/\(id)/state", token: try await platform.token(.authority),
                                 json: #"{"state":"published","version":1}"#)
        return id
    }

    @Test("R4 a demand is posted, routed, answered in time; the answer cancels its deadline")
    func demandAnsweredInTime() async throws {
        try await TestPlatform.run { platform, client in
            let operatorToken = try await platform.token(.operatorTechnical)
            let posted = try await client.api(.post, "/api/v1/demands", token: operatorToken,
                                              json: #"{"domain":"finance","title":"企业纳税与用电数据","description":"用于小微企业信用评估","wantedFields":"纳税等级, 月用电量"}"#)
            #expect(posted.status == .created, "\(posted.text)")
            let id = try posted.json()["id"] as! String
            let provider = platform.user(.provider).organizationID
            #expect(try await client.api(.post, "/api/v1/demands/\(id)/answer", token: try await platform.token(.provider),
                                         json: #"{"answer":"available","version":1}"#).status == .notFound, "not routed to it yet")
            let routed = try await client.api(.post, "/api/v1/demands/\(id)/route", token: try await platform.token(.authority),
                                              json: #"{"providerId":"\#(provider)","version":1}"#)
            #expect(routed.status == .ok)
            #expect(try routed.json()["dueAt"] != nil)
            platform.clock.advance(by: 14 * 86_400)
            #expect(try await platform.services.scheduler.runDue() == 0)
            let answered = try await client.api(.post, "/api/v1/demands/\(id)/answer", token: try await platform.token(.provider),
                                                json: #"{"answer":"planned","reason":"用电数据下季度接入","version":2}"#)
            #expect(answered.status == .ok)
            #expect(try answered.json()["overdue"] as? Bool == false)
            platform.clock.advance(by: 30 * 86_400)
            #expect(try await platform.services.scheduler.runDue() == 0, "the answered demand's deadline was cancelled")
            // Another operator does not see it.
            let other = try await platform.token(for: platform.users["other"]!)
            #expect(try await client.api(.get, "/api/v1/demands/\(id)", token: other).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/demands", token: other).json()["total"] as? Int == 0)
        }
    }

    @Test("R4 a provider that does not answer in time is flagged overdue by the scheduler, once")
    func demandOverdue() async throws {
        try await TestPlatform.run { platform, client in
            let id = try await client.api(.post, "/api/v1/demands", token: try await platform.token(.operatorManager),
                                          json: #"{"domain":"tourism","title":"景区客流","description":"节假日客流预测"}"#).json()["id"] as! String
            _ = try await client.api(.post, "/api/v1/demands/\(id)/route", token: try await platform.token(.authority),
                                     json: #"{"providerId":"\#(platform.user(.provider).organizationID)","version":1}"#)
            platform.clock.advance(by: TimeInterval(platform.services.policy.demandAnswerDays * 86_400 + 60))
            #expect(try await platform.services.scheduler.runDue() == 1)
            #expect(try await platform.services.scheduler.runDue() == 0, "applied once")
            let demand = try await client.api(.get, "/api/v1/demands/\(id)", token: try await platform.token(.authority)).json()
            #expect(demand["overdue"] as? Bool == true)
            #expect(try await platform.auditCount(action: "demand.overdue") == 1)
            let overdue = try await client.api(.get, "/api/v1/demands?overdue=true", token: try await platform.token(.regulator))
            #expect(try overdue.json()["total"] as? Int == 1)
            // A late answer is still recorded, marked late.
            let late = try await client.api(.post, "/api/v1/demands/\(id)/answer", token: try await platform.token(.provider),
                                            json: #"{"answer":"unavailable","reason":"涉及个人隐私","version":3}"#)
            #expect(late.status == .ok)
            // Answering twice is a state conflict.
            let again = try await client.api(.post, "/api/v1/demands/\(id)/answer", token: try await platform.token(.provider),
                                             json: #"{"answer":"available","version":4}"#)
            #expect(again.status == .conflict)
            #expect(try again.json()["state"] as? String == "answered")
        }
    }

    @Test("R4 objections: raised by anyone who sees the resource, answered by its provider, counted in quality figures, flagged when late")
    func objections() async throws {
        try await TestPlatform.run { platform, client in
            let resource = try await Self.publishedResource(platform, client)
            let buyer = try await platform.token(.buyer)
            let raised = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/objections", token: buyer,
                                              json: #"{"reason":"stale","evidence":"最近一次更新是三个月前，与“每日更新”不符"}"#)
            #expect(raised.status == .created, "\(raised.text)")
            let first = try raised.json()["id"] as! String
            let second = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/objections", token: buyer,
                                              json: #"{"reason":"wrong","evidence":"费用字段出现负数"}"#).json()["id"] as! String
            let answered = try await client.api(.post, "/api/v1/objections/\(first)/answer", token: try await platform.token(.provider),
                                                json: #"{"resolution":"corrected","response":"已恢复每日同步","version":1}"#)
            #expect(answered.status == .ok)
            // The buyer cannot answer; the other operator cannot see.
            #expect(try await client.api(.post, "/api/v1/objections/\(second)/answer", token: buyer,
                                         json: #"{"resolution":"rejected","response":"x","version":1}"#).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/objections/\(second)", token: try await platform.token(for: platform.users["other"]!))
                .status == .notFound)
            platform.clock.advance(by: TimeInterval(platform.services.policy.objectionAnswerDays * 86_400 + 1))
            #expect(try await platform.services.scheduler.runDue() == 1)
            let figures = try await platform.services.supply.objectionFigures(ResourceID(resource))
            #expect(figures == ObjectionFigures(total: 2, open: 1, overdue: 1, corrected: 1))
            // An unpublished resource of another provider cannot be objected to (it is not visible).
            let draft = try await client.api(.post, "/api/v1/catalog/resources", token: try await platform.token(.provider),
                                             json: CatalogTests.visits.replacingOccurrences(of: "医院就诊记录", with: "草稿资源")).json()["id"] as! String
            #expect(try await client.api(.post, "/api/v1/catalog/resources/\(draft)/objections", token: buyer,
                                         json: #"{"reason":"missing","evidence":"x"}"#).status == .notFound)
        }
    }

    @Test("R4 bad supply input is refused naming the field")
    func badInput() async throws {
        try await TestPlatform.run { platform, client in
            let operatorToken = try await platform.token(.operatorTechnical)
            for (json, pointer) in [(#"{"domain":"moon","title":"t","description":"d"}"#, "/domain"),
                                    (#"{"domain":"finance","title":"","description":"d"}"#, "/title"),
                                    (#"{"domain":"finance","title":"t","description":"d","budget":1}"#, "/budget")] {
                let response = try await client.api(.post, "/api/v1/demands", token: operatorToken, json: json)
                #expect(response.status == .badRequest, "\(json)")
                #expect((try response.json()["errors"] as? [[String: Any]])?.first?["pointer"] as? String == pointer)
            }
            let resource = try await Self.publishedResource(platform, client)
            let bad = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/objections", token: operatorToken,
                                           json: #"{"reason":"boring","evidence":"x"}"#)
            #expect((try bad.json()["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/reason")
            // Providers do not post demands.
            #expect(try await client.api(.post, "/api/v1/demands", token: try await platform.token(.provider),
                                         json: #"{"domain":"finance","title":"t","description":"d"}"#).status == .forbidden)
        }
    }
}

@Suite("Supply console")
struct SupplyConsoleTests {
    @Test("R4 in the console: an operator posts a demand, the authority routes it, the provider answers; an objection is raised and resolved")
    func consoleFlow() async throws {
        try await TestPlatform.run { platform, client in
            var operatorSession = ConsoleSession()
            try await operatorSession.login(client, username: "u.operator_technical")
            let list = try await operatorSession.get(client, "/console/demands")
            #expect(list.text.contains("demand-form"))
            let posted = try await operatorSession.post(client, "/console/demands", [
                "_csrf": ConsoleSession.csrf(in: list)!, "title": "景区客流预测数据", "domain": "tourism",
                "description": "用于节假日客流预警", "wanted_fields": "景区名称, 游客人次"])
            #expect(posted.status == .seeOther)
            let path = posted.headers[.location]!

            var authority = ConsoleSession()
            try await authority.login(client, username: "u.authority")
            let page = try await authority.get(client, path)
            #expect(page.text.contains("route-form"))
            let routed = try await authority.post(client, path + "/route", [
                "_csrf": ConsoleSession.csrf(in: page)!, "provider_id": platform.user(.provider).organizationID.rawValue, "version": "1"])
            #expect(routed.status == .seeOther)

            var provider = ConsoleSession()
            try await provider.login(client, username: "u.provider")
            let toAnswer = try await provider.get(client, path)
            #expect(toAnswer.text.contains("answer-form"))
            let answered = try await provider.post(client, path + "/answer", [
                "_csrf": ConsoleSession.csrf(in: toAnswer)!, "answer": "planned", "reason": "下月接入", "version": "2"])
            #expect(answered.status == .seeOther)
            #expect(try await operatorSession.get(client, path).text.contains("下月接入"))

            let resource = try await SupplyTests.publishedResource(platform, client)
            let resourcePage = try await operatorSession.get(client, "/console/catalog/\(resource)")
            #expect(resourcePage.text.contains("objection-form"))
            let raised = try await operatorSession.post(client, "/console/catalog/\(resource)/objections", [
                "_csrf": ConsoleSession.csrf(in: resourcePage)!, "reason": "stale", "evidence": "三个月未更新"])
            #expect(raised.status == .seeOther)
            let objections = try await provider.get(client, "/console/objections")
            #expect(objections.text.contains("三个月未更新"))
            let objection = try await platform.services.supply.objections(resource: ResourceID(resource), overdueOnly: false,
                                                                          page: .first, scope: .all).items.first!
            let detail = try await provider.get(client, "/console/objections/\(objection.id)")
            let resolved = try await provider.post(client, "/console/objections/\(objection.id)/answer", [
                "_csrf": ConsoleSession.csrf(in: detail)!, "resolution": "corrected", "response": "已补录", "version": "1"])
            #expect(resolved.status == .seeOther)
            #expect(try await platform.services.supply.objectionFigures(ResourceID(resource)).corrected == 1)
        }
    }
}

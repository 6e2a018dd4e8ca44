import Foundation
import Hummingbird
import HummingbirdTesting
import PDOPDomain
import PDOPServer
import Testing

/// Issue 3 items 1, 2 and 9: the catalog (R3) and the rule that prohibited-open data is never grantable (R21).
@Suite("Catalog")
struct CatalogTests {
    static let visits = #"""
    {"domain":"medical","name":"医院就诊记录","description":"全县医疗机构门诊与住院就诊明细","keywords":["就诊","医院","hospital"],
     "grade":"L3","openAttribute":"conditional","origin":"county","updateFrequency":"daily",
     "columns":[{"name":"身份证号","type":"text","description":"患者公民身份号码","sensitivity":"direct_identifier"},
                {"name":"就诊日期","type":"date","description":"就诊日期","sensitivity":"quasi_identifier"},
                {"name":"费用","type":"decimal","description":"总费用（元）","sensitivity":"ordinary"}]}
    """#

    @Test("R3 a provider catalogues a draft, the authority publishes it, and everyone signed in then finds it in Chinese")
    func lifecycleAndSearch() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let created = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: Self.visits)
            #expect(created.status == .created, "\(created.text)")
            let body = try created.json()
            let id = body["id"] as! String
            #expect(body["providerId"] as? String == platform.user(.provider).organizationID.rawValue)
            #expect(body["state"] as? String == "draft")
            let columns = body["columns"] as! [[String: Any]]
            #expect(columns.map { $0["level"] as? String } == ["JOIN_ONLY", "GROUP_BY", "AGGREGATE"], "levels proposed from sensitivity")

            // A draft is visible to its provider and the authority only.
            let buyer = try await platform.token(.buyer)
            #expect(try await client.api(.get, "/api/v1/catalog/resources/\(id)", token: buyer).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/catalog/resources?q=就诊", token: buyer).json()["total"] as? Int == 0)

            let authority = try await platform.token(.authority)
            let published = try await client.api(.post, "/api/v1/catalog/resources/\(id)/state", token: authority,
                                                 json: #"{"state":"published","version":1}"#)
            #expect(published.status == .ok)
            #expect(try published.json()["grantable"] as? Bool == true)
            for query in ["就诊", "院就", "费用", "HOSPITAL", "身份证 日期"] {
                let found = try await client.api(.get, "/api/v1/catalog/resources?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                                 token: buyer)
                #expect(try found.json()["total"] as? Int == 1, "search \(query)")
            }
            #expect(try await client.api(.get, "/api/v1/catalog/resources?q=%E5%A4%A9%E6%B0%94", token: buyer).json()["total"] as? Int == 0)
            #expect(try await client.api(.get, "/api/v1/catalog/resources?domain=medical&grade=L3&openAttribute=conditional",
                                         token: buyer).json()["total"] as? Int == 1)
            #expect(try await client.api(.get, "/api/v1/catalog/resources?domain=weather", token: buyer).json()["total"] as? Int == 0)

            // Only the authority publishes.
            #expect(try await client.api(.post, "/api/v1/catalog/resources/\(id)/state", token: provider,
                                         json: #"{"state":"retired","version":2,"reason":"停用"}"#).status == .forbidden)
            // Retiring needs a reason.
            let noReason = try await client.api(.post, "/api/v1/catalog/resources/\(id)/state", token: authority,
                                                json: #"{"state":"retired","version":2}"#)
            #expect(noReason.status == .badRequest)
        }
    }

    @Test("R3 schema changes are versioned and every revision is kept")
    func versioning() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let id = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: Self.visits).json()["id"] as! String
            var update = Self.visits.replacingOccurrences(of: "\"domain\":\"medical\"", with: "\"version\":1,\"domain\":\"medical\"")
            update = update.replacingOccurrences(of: "总费用（元）", with: "总费用（人民币元）")
            let updated = try await client.api(.put, "/api/v1/catalog/resources/\(id)", token: provider, json: update)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.json()["schemaVersion"] as? Int == 2)
            let stale = try await client.api(.put, "/api/v1/catalog/resources/\(id)", token: provider, json: update)
            #expect(stale.status == .conflict)
            let revisions = try await client.api(.get, "/api/v1/catalog/resources/\(id)/revisions", token: provider)
            let list = try JSONSerialization.jsonObject(with: Data(buffer: revisions.body)) as! [[String: Any]]
            #expect(list.map { $0["version"] as? Int } == [2, 1])
            #expect(list.first?["change"] as? String == "schema changed")
        }
    }

    @Test("R3 a provider cannot catalogue or edit another organization's data")
    func providerScope() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let authority = try await platform.token(.authority)
            let otherDepartment = try await platform.services.parties.createOrganization(
                NewOrganization(name: "新昌县另一局", kind: .department), by: .system("test"))
            let forOther = Self.visits.replacingOccurrences(of: "{\"domain\"", with: "{\"providerId\":\"\(otherDepartment.id)\",\"domain\"")
            let refused = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: forOther)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.json()["rule"] as? String == "R3")
            let theirs = try await client.api(.post, "/api/v1/catalog/resources", token: authority, json: forOther)
            #expect(theirs.status == .created)
            let id = try theirs.json()["id"] as! String
            let edit = forOther.replacingOccurrences(of: "{\"providerId\"", with: "{\"version\":1,\"providerId\"")
            #expect(try await client.api(.put, "/api/v1/catalog/resources/\(id)", token: provider, json: edit).status == .notFound)
            // Operators are not providers.
            #expect(try await client.api(.post, "/api/v1/catalog/resources", token: try await platform.token(.operatorManager),
                                         json: Self.visits).status == .forbidden)
        }
    }

    @Test("R3 bad resource descriptions are refused naming the field")
    func badInput() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let cases: [(String, String, String)] = [
                ("\"domain\":\"medical\"", "\"domain\":\"astrology\"", "/domain"),
                ("\"grade\":\"L3\"", "\"grade\":\"L9\"", "/grade"),
                ("{\"name\":\"费用\"", "{\"name\":\"select\"", "/columns/2/name"),
                ("{\"name\":\"费用\"", "{\"name\":\"身份证号\"", "/columns/2/name"),
                ("{\"name\":\"费用\"", "{\"name\":\"fee; drop\"", "/columns/2/name"),
                ("\"type\":\"decimal\"", "\"type\":\"money\"", "/columns/2/type"),
                ("\"sensitivity\":\"ordinary\"", "\"sensitivity\":\"ordinary\",\"secret\":1", "/columns/2/secret"),
            ]
            for (from, to, pointer) in cases {
                let response = try await client.api(.post, "/api/v1/catalog/resources", token: provider,
                                                     json: Self.visits.replacingOccurrences(of: from, with: to))
                #expect(response.status == .badRequest, "\(to)")
                let errors = try response.json()["errors"] as? [[String: Any]] ?? []
                #expect(errors.first?["pointer"] as? String == pointer, "\(to)")
            }
            #expect(try await platform.services.catalog.search(CatalogFilter(), page: .first, scope: .all).total == 0)
        }
    }

    @Test("R21 a prohibited-open resource can be catalogued but never enters a grantable list")
    func prohibitedNeverGrantable() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let authority = try await platform.token(.authority)
            let prohibited = Self.visits.replacingOccurrences(of: "\"conditional\"", with: "\"prohibited\"")
            let id = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: prohibited).json()["id"] as! String
            let published = try await client.api(.post, "/api/v1/catalog/resources/\(id)/state", token: authority,
                                                 json: #"{"state":"published","version":1}"#)
            #expect(try published.json()["grantable"] as? Bool == false)
            let resource = try await platform.services.catalog.resource(ResourceID(id), scope: .all)
            #expect(throws: DomainError.refused("R21", "\(resource.name) is prohibited from opening and can never be authorized",
                                                field: "resources")) {
                try GrantableResources([resource])
            }
            var open = resource
            open.openAttribute = .conditional
            #expect(try GrantableResources([open]).resources.count == 1)
            open.state = .draft
            #expect(throws: DomainError.self) { try GrantableResources([open]) }
        }
    }
}

@Suite("Catalog console")
struct CatalogConsoleTests {
    @Test("R3 a provider catalogues a resource from the console form; the authority publishes it; a buyer finds it")
    func consoleFlow() async throws {
        try await TestPlatform.run { platform, client in
            var provider = ConsoleSession()
            try await provider.login(client, username: "u.provider")
            let form = try await provider.get(client, "/console/catalog/new")
            #expect(form.status == .ok)
            let fields = [
                "_csrf": ConsoleSession.csrf(in: form)!, "name": "公交刷卡客流", "description": "按线路、站点和小时统计的公交刷卡人次",
                "domain": "transport", "grade": "L2", "open_attribute": "conditional", "origin": "county", "update_frequency": "daily",
                "keywords": "公交，客流, bus",
                "columns": "线路 | text | ordinary | 公交线路\n日期 | date | quasi_identifier | 乘车日期\n人次 | integer | ordinary | 刷卡人次",
            ]
            let bad = try await provider.post(client, "/console/catalog", fields.merging(["columns": "线路 | money | ordinary"]) { $1 })
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("公交刷卡客流"), "the form keeps what was typed")
            let created = try await provider.post(client, "/console/catalog", fields)
            #expect(created.status == .seeOther)
            let detailPath = created.headers[.location]!
            let detail = try await provider.get(client, detailPath)
            #expect(detail.text.contains("JOIN_ONLY") == false)
            #expect(detail.text.contains("GROUP_BY") && detail.text.contains("AGGREGATE"))
            #expect(!detail.text.contains("resource-state-form"), "only the authority publishes")

            var authority = ConsoleSession()
            try await authority.login(client, username: "u.authority")
            let page = try await authority.get(client, detailPath)
            #expect(page.text.contains("resource-state-form"))
            let published = try await authority.post(client, detailPath + "/state",
                                                     ["_csrf": ConsoleSession.csrf(in: page)!, "state": "published", "version": "1"])
            #expect(published.status == .seeOther)

            var buyer = ConsoleSession()
            try await buyer.login(client, username: "u.buyer")
            let search = try await buyer.get(client, "/console/catalog?q=" + "刷卡".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(search.status == .ok)
            #expect(search.text.contains("公交刷卡客流"))
            #expect(!search.text.contains("role=\"alert\""))
            #expect(try await buyer.get(client, "/console/catalog/new").status == .forbidden)
        }
    }
}

@Suite("Resource map")
struct ResourceMapTests {
    @Test("R3 the map links providers to resources to domains, as JSON and as an SVG drawn on the server")
    func map() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let authority = try await platform.token(.authority)
            let tricky = CatalogTests.visits.replacingOccurrences(of: "医院就诊记录", with: "就诊<script>&\\\"记录")
            let id = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: tricky).json()["id"] as! String
            _ = try await client.api(.post, "/api/v1/catalog/resources/\(id)/state", token: authority, json: #"{"state":"published","version":1}"#)
            let json = try await client.api(.get, "/api/v1/catalog/map", token: try await platform.token(.buyer)).json()
            let nodes = json["nodes"] as! [[String: Any]]
            #expect(Set(nodes.compactMap { $0["kind"] as? String }) == ["provider", "resource", "domain"])
            #expect((json["edges"] as! [[String: Any]]).count == 2)
            var session = ConsoleSession()
            try await session.login(client, username: "u.buyer")
            let page = try await session.get(client, "/console/catalog/map")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("医疗"))
            #expect(!page.text.contains("<script>"), "labels are escaped inside the SVG")
            #expect(page.text.contains("就诊&lt;script&gt;&amp;"))
        }
    }
}

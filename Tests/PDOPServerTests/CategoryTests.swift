import Foundation
import Hummingbird
import HummingbirdTesting
import PDOPDomain
import PDOPServer
import Testing

/// Issue 3, data supply: the catalog's configurable category tree (R3 分类).
@Suite("Catalog categories")
struct CategoryTests {
    static func pointer(_ response: TestResponse) throws -> String? {
        (try response.json()["errors"] as? [[String: Any]])?.first?["pointer"] as? String
    }

    @Test("R3 the default tree is there; the authority adds, renames and moves categories; others may only read")
    func manageTree() async throws {
        try await TestPlatform.run { platform, client in
            let authority = try await platform.token(.authority)
            let provider = try await platform.token(.provider)
            let listed = try await client.api(.get, "/api/v1/catalog/categories?limit=200", token: provider).json()
            let codes = (listed["items"] as! [[String: Any]]).compactMap { $0["code"] as? String }
            #expect(codes.starts(with: ["basic", "basic.credit"]))
            #expect(Set(["theme", "theme.health", "department", "department.other"]).isSubset(of: Set(codes)))

            let created = try await client.api(.post, "/api/v1/catalog/categories", token: authority,
                                               json: #"{"code":"theme.housing","nameZh":"住房保障","nameEn":"Housing","parentCode":"theme"}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(try created.json()["depth"] as? Int == 1)
            #expect(try await platform.auditCount(action: "catalog.category.create") == 1)
            #expect(try await client.api(.post, "/api/v1/catalog/categories", token: provider,
                                         json: #"{"code":"x","nameZh":"甲","nameEn":"X"}"#).status == .forbidden)

            let moved = try await client.api(.put, "/api/v1/catalog/categories/theme.housing", token: authority,
                                             json: #"{"nameZh":"住房","nameEn":"Housing","parentCode":"basic","version":1}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try moved.json()["parentCode"] as? String == "basic")
            #expect(try await client.api(.put, "/api/v1/catalog/categories/theme.housing", token: authority,
                                         json: #"{"nameZh":"住房","nameEn":"Housing","version":1}"#).status == .conflict, "stale version")
        }
    }

    @Test("R3 bad categories are refused naming the field: code, unknown parent, a cycle, a duplicate")
    func refusals() async throws {
        try await TestPlatform.run { platform, client in
            let authority = try await platform.token(.authority)
            let badCode = try await client.api(.post, "/api/v1/catalog/categories", token: authority,
                                               json: #"{"code":"Theme Health","nameZh":"甲","nameEn":"X"}"#)
            #expect(badCode.status == .badRequest)
            #expect(try Self.pointer(badCode) == "/code")
            let noParent = try await client.api(.post, "/api/v1/catalog/categories", token: authority,
                                                json: #"{"code":"orphan","nameZh":"甲","nameEn":"X","parentCode":"nowhere"}"#)
            #expect(noParent.status == .badRequest)
            #expect(try Self.pointer(noParent) == "/parentCode")
            let cycle = try await client.api(.put, "/api/v1/catalog/categories/theme", token: authority,
                                             json: #"{"nameZh":"主题信息","nameEn":"Themes","parentCode":"theme.health","version":1}"#)
            #expect(cycle.status == .badRequest)
            #expect(try Self.pointer(cycle) == "/parentCode")
            let duplicate = try await client.api(.post, "/api/v1/catalog/categories", token: authority,
                                                 json: #"{"code":"theme","nameZh":"甲","nameEn":"X"}"#)
            #expect(duplicate.status == .conflict)
            #expect(try await client.api(.put, "/api/v1/catalog/categories/nowhere", token: authority,
                                         json: #"{"nameZh":"甲","nameEn":"X","version":1}"#).status == .notFound)
        }
    }

    @Test("R3 a resource's category must be in the tree; left out it follows the domain; a category in use or with children stays")
    func resourcesAndDeletion() async throws {
        try await TestPlatform.run { platform, client in
            let authority = try await platform.token(.authority)
            let provider = try await platform.token(.provider)
            let defaulted = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: CatalogTests.visits)
            #expect(try defaulted.json()["category"] as? String == "theme.health", "medical files under 医疗健康 by default")
            let unknown = CatalogTests.visits.replacingOccurrences(of: "{\"domain\"", with: "{\"category\":\"nowhere\",\"domain\"")
            let refused = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: unknown)
            #expect(refused.status == .unprocessableContent)
            #expect(try Self.pointer(refused) == "/category")
            #expect(try refused.json()["rule"] as? String == "R3")

            let inUse = try await client.api(.delete, "/api/v1/catalog/categories/theme.health", token: authority)
            #expect(inUse.status == .conflict)
            #expect(try inUse.json()["state"] as? String == "in_use")
            let parent = try await client.api(.delete, "/api/v1/catalog/categories/theme", token: authority)
            #expect(parent.status == .conflict)
            #expect(try parent.json()["state"] as? String == "has_children")
            let deleted = try await client.api(.delete, "/api/v1/catalog/categories/basic.population", token: authority)
            #expect(deleted.status == .noContent)
            #expect(try await platform.auditCount(action: "catalog.category.delete") == 1)
            #expect(try await client.api(.delete, "/api/v1/catalog/categories/basic.population", token: authority).status == .notFound)
        }
    }

    @Test("R3 filtering the catalog by a category takes everything below it; an unknown category is refused")
    func filterByNode() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let health = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: CatalogTests.visits)
            #expect(health.status == .created)
            let credit = CatalogTests.visits.replacingOccurrences(of: "医院就诊记录", with: "企业信用评价")
                .replacingOccurrences(of: "{\"domain\"", with: "{\"category\":\"basic.credit\",\"domain\"")
            #expect(try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: credit).status == .created)
            func total(_ query: String) async throws -> Int? {
                try await client.api(.get, "/api/v1/catalog/resources?\(query)", token: provider).json()["total"] as? Int
            }
            #expect(try await total("category=theme") == 1)
            #expect(try await total("category=theme.health") == 1)
            #expect(try await total("category=basic") == 1)
            #expect(try await total("category=department") == 0)
            let unknown = try await client.api(.get, "/api/v1/catalog/resources?category=nowhere", token: provider)
            #expect(unknown.status == .badRequest)
            #expect(try Self.pointer(unknown) == "/category")
            // Moving a resource to another category through an update.
            let id = try health.json()["id"] as! String
            let moved = CatalogTests.visits.replacingOccurrences(of: "{\"domain\"", with: "{\"version\":1,\"category\":\"department.other\",\"domain\"")
            #expect(try await client.api(.put, "/api/v1/catalog/resources/\(id)", token: provider, json: moved).json()["category"] as? String
                    == "department.other")
            #expect(try await total("category=theme") == 0)
        }
    }

    @Test("R3 the authority keeps the tree from the console; the catalog page filters by category")
    func console() async throws {
        try await TestPlatform.run { platform, client in
            var authority = ConsoleSession()
            try await authority.login(client, username: "u.authority")
            let page = try await authority.get(client, "/console/catalog/categories")
            #expect(page.status == .ok)
            #expect(page.text.contains("主题信息") && page.text.contains("category-form"))
            let created = try await authority.post(client, "/console/catalog/categories", [
                "_csrf": ConsoleSession.csrf(in: page)!, "code": "theme.water", "name_zh": "水利", "name_en": "Water", "parent_code": "theme",
            ])
            #expect(created.status == .seeOther)
            let again = try await authority.get(client, "/console/catalog/categories")
            #expect(again.text.contains("theme.water"))
            let refused = try await authority.post(client, "/console/catalog/categories/theme/delete", ["_csrf": ConsoleSession.csrf(in: again)!])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("role=\"alert\""))
            let catalog = try await authority.get(client, "/console/catalog?category=theme")
            #expect(catalog.status == .ok && catalog.text.contains("水利"))
            var provider = ConsoleSession()
            try await provider.login(client, username: "u.provider")
            #expect(try await provider.get(client, "/console/catalog/categories").status == .forbidden)
            #expect(try await provider.get(client, "/console/catalog/new").text.contains("name=\"category\""))
        }
    }
}

import Foundation
import HummingbirdTesting
import PDOPAPI
import PDOPDomain
import PDOPServer
import PDOPStore
import PDOPTestSupport
import Testing

@Suite("System endpoints, API description and console")
struct SystemTests {
    @Test("healthz, readyz and metrics answer without login; metrics count requests per route")
    func health() async throws {
        try await TestPlatform.run { platform, client in
            #expect(try await client.api(.get, "/healthz", token: nil).status == .ok)
            #expect(try await client.api(.get, "/readyz", token: nil).text.contains("ready"))
            _ = try await client.api(.get, "/api/v1/me", token: nil)
            let metrics = try await client.api(.get, "/metrics", token: nil)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("pdop_http_requests_total"))
            #expect(metrics.text.contains("/api/v1/me"))
        }
    }

    @Test("openapi.yaml is served and documents exactly the API routes of the route table")
    func openAPIMatchesRoutes() async throws {
        try await TestPlatform.run { platform, client in
            let served = try await client.api(.get, "/api/openapi.yaml", token: nil)
            #expect(served.status == .ok)
            #expect(served.text == APISpec.yaml)
            #expect(APISpec.yaml.hasPrefix("openapi: 3."))
            var documented: Set<String> = []
            var currentPath: String?
            for line in APISpec.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  /"), line.hasSuffix(":") {
                    currentPath = String(line.dropFirst(2).dropLast())
                } else if line.hasPrefix("  "), !line.hasPrefix("   ") {
                    currentPath = nil
                } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "),
                          let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
                if line.hasPrefix("components:") { break }
            }
            let routes = Set(routeTable(platform.services).filter { $0.spec.audience != .console }.map(\.spec.description))
            #expect(documented == routes, "undocumented: \(routes.subtracting(documented)); stale: \(documented.subtracting(routes))")
        }
    }

    @Test("every console page renders for the authority, in Chinese by default and in English on request")
    func consolePages() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: try await platform.token(.provider),
                                                json: DataLoadTests.insurance).json()["id"] as! String
            let pages = ["/console/catalog/categories", "/console/catalog/\(resource)", "/console/catalog/\(resource)/loads",
                         "/console/catalog/\(resource)/sample", "/console/catalog/\(resource)/edit",
                         "/console", "/console/organizations", "/console/organizations/new", "/console/users", "/console/users/new",
                         "/console/governance", "/console/audit", "/console/account", "/console/catalog", "/console/catalog/map",
                         "/console/catalog/new", "/console/demands", "/console/objections",
                         "/console/organizations/\(platform.organizations["department"]!.id)",
                         "/console/users/\(platform.user(.provider).id)"]
            for page in pages {
                let response = try await session.get(client, page)
                #expect(response.status == .ok, "\(page)")
                #expect(response.text.contains("lang=\"zh-CN\""), "\(page)")
                #expect(response.text.contains("id=\"nav\""), "\(page)")
                #expect(!response.text.contains("{{"), "\(page) has an unrendered tag")
                #expect(!response.text.contains("role=\"alert\""), "\(page) shows an error box with no error")
                #expect(!response.text.contains("id=\"new-token\""), "\(page) shows a token notice with no token")
            }
            #expect(try await session.get(client, "/console").text.contains("组织机构"))
            let switched = try await session.get(client, "/lang/en?next=/console")
            #expect(switched.status == .seeOther)
            let english = try await session.get(client, "/console")
            #expect(english.text.contains("Organizations"))
            #expect(english.text.contains("Welcome, "))
            #expect(!english.text.contains("、") && !english.text.contains("，"), "no Chinese punctuation in English pages")
            #expect(english.text.contains("lang=\"en\""))
            // An open redirect is not possible through the language switch.
            #expect(try await session.get(client, "/lang/en?next=//evil.example").headers[.location] == "/console")
        }
    }

    @Test("navigation shows each role only what its routes admit")
    func roleAwareNavigation() async throws {
        try await TestPlatform.run { platform, client in
            var operatorSession = ConsoleSession()
            try await operatorSession.login(client, username: "u.operator_technical")
            let page = try await operatorSession.get(client, "/console")
            #expect(!page.text.contains("href=\"/console/audit\""))
            #expect(page.text.contains("href=\"/console/account\""))
            var regulator = ConsoleSession()
            try await regulator.login(client, username: "u.regulator")
            #expect(try await regulator.get(client, "/console").text.contains("href=\"/console/audit\""))
        }
    }

    @Test("the demo county loads once, deterministically, with every party the issue names")
    func demoCounty() async throws {
        let stores = try await TestStores.open()
        let services = PlatformServices(stores: stores, policy: .plan, clock: ManualClock(), ids: SequentialIdentifiers(),
                                        hasher: BcryptHasher(cost: 4), views: try await ViewRenderer.load(), secureCookies: false)
        #expect(try await DemoCounty.load(into: services, stores: stores, logger: .init(label: "test")))
        #expect(try await !DemoCounty.load(into: services, stores: stores, logger: .init(label: "test")))
        func count(_ role: Role) async throws -> Int {
            try await services.parties.users(UserFilter(role: role), page: PageRequest(limit: 200), scope: .all).total
        }
        #expect(try await count(.provider) >= 8)
        #expect(try await count(.expert) == 5)
        #expect(try await count(.regulator) == 2)
        #expect(try await count(.province) == 1)
        #expect(try await count(.buyer) == 2)
        for role in [Role.operatorManager, .operatorTechnical, .operatorOperations] { #expect(try await count(role) == 3) }
        #expect(try await count(.coordinationMember) >= 5)
        let operators = try await services.parties.organizations(OrganizationFilter(kind: .operator), page: .first, scope: .all)
        #expect(operators.total == 3)
        #expect(operators.items.allSatisfy { $0.creditCode.map(CreditCode.isValid) ?? false })
        let authority = try await services.parties.organization(OrganizationID("org_demo000001"), scope: .all)
        #expect(authority.name == "新昌县数据局")
        #expect(try await services.parties.experts().count == 5)
        #expect(try await services.parties.coordinationMembers().count >= 8)
        // R3: the demo datasets are catalogued and published under their departments, searchable in Chinese.
        let published = try await services.catalog.search(CatalogFilter(state: .published), page: .first, scope: .all)
        #expect(published.total == 10)
        let visits = try await services.catalog.search(CatalogFilter(text: "就诊"), page: .first, scope: .all)
        #expect(visits.items.contains { $0.name.contains("就诊") })
        #expect(try await services.catalog.search(CatalogFilter(text: "统一社会信用代码"), page: .first, scope: .all).total >= 3)
        // Issue 3 item 10: the generated datasets load into the domain store, once.
        let rows = try await DemoCounty.loadDatasets(into: services, scale: 0.0005, logger: .init(label: "test"))
        #expect(rows > 1000)
        #expect(try await DemoCounty.loadDatasets(into: services, scale: 0.0005, logger: .init(label: "test")) == 0)
        #expect(try await services.integrity.verify().ok)
        await TestStores.dispose(stores)
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PDOPDomain
import PDOPServer
import PDOPStore
import Testing

/// Issue 3, data supply: quality figures and freshness (R3), masked samples, and applying a
/// load's detected schema with the catalog-schema check on uploads (R3, R5).
@Suite("Data supply: quality, samples, detected schema")
struct DataSupplyTests {
    static func upload(_ client: any TestClientProtocol, _ resource: String, _ text: String, token: String,
                       query: String = "") async throws -> TestResponse {
        try await DataLoadTests.upload(client, resource, Array(text.utf8), token: token, query: query)
    }

    static func quality(_ client: any TestClientProtocol, _ resource: String, token: String) async throws -> [String: Any] {
        try await client.api(.get, "/api/v1/catalog/resources/\(resource)", token: token).json()["quality"] as? [String: Any] ?? [:]
    }

    static func freshness(_ quality: [String: Any]) -> String? { (quality["freshness"] as? [String: Any])?["state"] as? String }

    @Test("R3 quality figures: rows and completeness of the current version, last load, and freshness against the frequency by the clock")
    func qualityFigures() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: DataLoadTests.insurance)
                .json()["id"] as! String
            var quality = try await Self.quality(client, resource, token: provider)
            #expect(Self.freshness(quality) == "no_data")
            #expect(quality["rowCount"] == nil)
            #expect((quality["objections"] as? [String: Any])?["total"] as? Int == 0)

            #expect(try await Self.upload(client, resource, "乡镇,人数\n南明街道,12\n七星街道,\n", token: provider).status == .created)
            quality = try await Self.quality(client, resource, token: provider)
            #expect(quality["rowCount"] as? Int == 2)
            #expect(abs((quality["completeness"] as? Double ?? 0) - 0.75) < 0.0001, "one of four cells is null")
            #expect(try await Self.upload(client, resource, "乡镇,人数\n回山镇,3\n", token: provider, query: "?mode=append").status == .created)
            quality = try await Self.quality(client, resource, token: provider)
            #expect(quality["rowCount"] as? Int == 3, "an append adds to the current version")
            #expect(abs((quality["completeness"] as? Double ?? 0) - 0.8333) < 0.0001, "weighted by each load's rows")
            #expect(quality["dataVersion"] as? Int == 1)
            let freshness = quality["freshness"] as? [String: Any] ?? [:]
            #expect(freshness["state"] as? String == "fresh")
            #expect(freshness["ageDays"] as? Int == 0)
            #expect(freshness["limitDays"] as? Int == 32, "monthly")
            #expect(freshness["lastLoadedAt"] as? String != nil)

            platform.clock.advance(by: 26 * 86_400)
            #expect(Self.freshness(try await Self.quality(client, resource, token: provider)) == "due")
            platform.clock.advance(by: 7 * 86_400)
            let renewed = try await platform.token(.provider) // the first token expired after 30 days
            let listed = try await client.api(.get, "/api/v1/catalog/resources?q=%E5%8F%82%E4%BF%9D", token: renewed).json()
            let item = (listed["items"] as? [[String: Any]])?.first { $0["id"] as? String == resource }
            #expect(Self.freshness(item?["quality"] as? [String: Any] ?? [:]) == "stale")

            var session = ConsoleSession()
            try await session.login(client, username: "u.provider")
            let detail = try await session.get(client, "/console/catalog/\(resource)")
            #expect(detail.text.contains("resource-quality"))
            #expect(detail.text.contains("已过期") && detail.text.contains("83.3%"))
            #expect(detail.text.contains("33 天前（时限 32 天）"))
            let list = try await session.get(client, "/console/catalog")
            #expect(list.text.contains("83.3%") && list.text.contains("已过期"))
            // A new version starts the figures afresh.
            #expect(try await Self.upload(client, resource, "乡镇,人数\n南明街道,1\n", token: renewed).status == .created)
            quality = try await Self.quality(client, resource, token: renewed)
            #expect(quality["rowCount"] as? Int == 1 && quality["dataVersion"] as? Int == 2 && quality["completeness"] as? Double == 1)
            #expect(Self.freshness(quality) == "fresh")
        }
    }

    @Test("R5 masked samples of the current version for the provider and the authority; 404 for another department, 403 for other roles")
    func samples() async throws {
        var policy = PolicySettings.plan
        policy.sampleRows = 4
        try await TestPlatform.run(policy: policy) { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: DataLoadTests.insurance)
                .json()["id"] as! String
            let empty = try await client.api(.get, "/api/v1/catalog/resources/\(resource)/sample", token: provider).json()
            #expect((empty["rows"] as? [Any])?.isEmpty == true && empty["dataVersion"] == nil)
            let file = try DataLoadTests.gbkFile()
            #expect(try await DataLoadTests.upload(client, resource, file.bytes, token: provider).status == .created)

            let response = try await client.api(.get, "/api/v1/catalog/resources/\(resource)/sample", token: provider)
            #expect(response.status == .ok)
            let sample = try response.json()
            let rows = sample["rows"] as? [[Any]] ?? []
            #expect(rows.count == 4, "sampleRows of the policy")
            let columns = sample["columns"] as? [[String: Any]] ?? []
            let reasons = Dictionary(uniqueKeysWithValues: columns.map { ($0["name"] as! String, $0["maskReason"] as? String ?? "") })
            #expect(reasons["身份证号"] == "personal_data")
            #expect(reasons["险种"] == "unclassified", "nothing the catalog has not described is shown whole")
            let values = DataLoadTests.personalValues()
            #expect(!DataLoadTests.containsResidentID(response.text))
            #expect(DataLoadTests.leaks(response.text, values) == nil)
            let idIndex = columns.firstIndex { $0["name"] as? String == "身份证号" }!
            #expect((rows[0][idIndex] as? String)?.contains("********") == true)

            #expect(try await client.api(.get, "/api/v1/catalog/resources/\(resource)/sample", token: try await platform.token(.authority))
                .status == .ok)
            #expect(try await client.api(.get, "/api/v1/catalog/resources/\(resource)/sample", token: try await platform.token(.buyer))
                .status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/catalog/resources/\(resource)/sample", token: try await platform.token(.regulator))
                .status == .forbidden)
            let otherDepartment = try await platform.services.parties.createOrganization(
                NewOrganization(name: "新昌县另一局", kind: .department), by: .system("test"))
            let otherProvider = try await platform.services.parties.createUser(NewUser(
                organizationID: otherDepartment.id, username: "u.other.provider", displayName: "other provider",
                password: TestPlatform.password, roles: [.provider]), by: .system("test"))
            #expect(try await client.api(.get, "/api/v1/catalog/resources/\(resource)/sample", token: try await platform.token(for: otherProvider))
                .status == .notFound)

            // Once the schema says which columns are ordinary, those show; identifiers stay masked.
            let load = try await client.api(.get, "/api/v1/catalog/resources/\(resource)/loads", token: provider).json()
            let loadID = (load["items"] as! [[String: Any]])[0]["id"] as! String
            #expect(try await client.api(.post, "/api/v1/catalog/resources/\(resource)/schema", token: provider,
                                         json: #"{"loadId":"\#(loadID)","version":1}"#).status == .ok)
            let after = try await client.api(.get, "/api/v1/catalog/resources/\(resource)/sample", token: provider)
            let afterColumns = try after.json()["columns"] as? [[String: Any]] ?? []
            #expect(afterColumns.first { $0["name"] as? String == "险种" }?["masked"] as? Bool == false)
            #expect(afterColumns.first { $0["name"] as? String == "身份证号" }?["masked"] as? Bool == true)
            #expect(after.text.contains("城乡居民基本养老保险") || after.text.contains("企业职工基本养老保险"))
            #expect(!DataLoadTests.containsResidentID(after.text) && DataLoadTests.leaks(after.text, values) == nil)

            var session = ConsoleSession()
            try await session.login(client, username: "u.provider")
            let page = try await session.get(client, "/console/catalog/\(resource)/sample")
            #expect(page.status == .ok && page.text.contains("sample-rows"))
            #expect(!DataLoadTests.containsResidentID(page.text) && DataLoadTests.leaks(page.text, values) == nil)
            #expect(try await session.get(client, "/console/catalog/\(resource)").text.contains("sample-link"))
            var buyer = ConsoleSession()
            try await buyer.login(client, username: "u.buyer")
            #expect(try await buyer.get(client, "/console/catalog/\(resource)/sample").status == .forbidden)
        }
    }

    @Test("R3 R5 the provider applies a load's detected schema, confirming or rejecting each proposal; audited, versioned, refusals named")
    func applyDetectedSchema() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: DataLoadTests.insurance)
                .json()["id"] as! String
            let file = try DataLoadTests.gbkFile()
            let first = try await DataLoadTests.upload(client, resource, file.bytes, token: provider).json()["id"] as! String
            let applied = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/schema", token: provider,
                                               json: #"{"loadId":"\#(first)","version":1,"rejectedProposals":["手机号码"]}"#)
            #expect(applied.status == .ok, "\(applied.text)")
            let body = try applied.json()
            #expect(body["schemaVersion"] as? Int == 2)
            let columns = body["columns"] as? [[String: Any]] ?? []
            func column(_ name: String) -> [String: Any]? { columns.first { $0["name"] as? String == name } }
            #expect(column("身份证号")?["sensitivity"] as? String == "direct_identifier")
            #expect(column("手机号码")?["sensitivity"] as? String == "ordinary", "rejected")
            #expect(column("累计缴费月数")?["type"] as? String == "integer")
            #expect(try await platform.auditCount(action: "catalog.schema.apply") == 1)
            let revisions = try await client.api(.get, "/api/v1/catalog/resources/\(resource)/revisions", token: provider)
            #expect(revisions.text.contains("schema applied from load \(first)"))

            let stale = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/schema", token: provider,
                                             json: #"{"loadId":"\#(first)","version":1}"#)
            #expect(stale.status == .conflict)
            let noProposal = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/schema", token: provider,
                                                  json: #"{"loadId":"\#(first)","version":2,"rejectedProposals":["险种"]}"#)
            #expect(noProposal.status == .badRequest)
            #expect(try CategoryTests.pointer(noProposal) == "/rejectedProposals/0")
            #expect(try await client.api(.post, "/api/v1/catalog/resources/\(resource)/schema", token: try await platform.token(.buyer),
                                         json: #"{"loadId":"\#(first)","version":2}"#).status == .forbidden)

            // The catalog now has a schema: a file with other columns is refused and the data stays.
            let mismatched = try await Self.upload(client, resource, "身份证号,人口\n1,2\n", token: provider)
            #expect(mismatched.status == .unprocessableContent)
            let problem = try mismatched.json()
            #expect(problem["rule"] as? String == "R5")
            #expect((problem["detail"] as? String ?? "").contains("人口"))
            #expect((problem["detail"] as? String ?? "").contains("累计缴费月数"))
            #expect(try CategoryTests.pointer(mismatched) == "/file")
            let loader = DomainDataLoader(database: platform.stores.domain)
            #expect(try await loader.currentRowCount(ResourceID(resource)) == file.rows, "the previous version is intact")

            // A matching file loads; applying the superseded load is refused.
            #expect(try await DataLoadTests.upload(client, resource, file.bytes, token: provider).status == .created)
            let superseded = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/schema", token: provider,
                                                  json: #"{"loadId":"\#(first)","version":2}"#)
            #expect(superseded.status == .conflict)
            #expect(try superseded.json()["state"] as? String == "superseded")
        }
    }

    @Test("R3 R5 the console's loads page applies the detected schema with a choice per proposal")
    func applyFromConsole() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: DataLoadTests.insurance)
                .json()["id"] as! String
            #expect(try await DataLoadTests.upload(client, resource, try DataLoadTests.gbkFile().bytes, token: provider).status == .created)
            var session = ConsoleSession()
            try await session.login(client, username: "u.provider")
            let page = try await session.get(client, "/console/catalog/\(resource)/loads")
            #expect(page.text.contains("schema-apply-form"))
            let html = page.text
            func hidden(_ name: String) -> String? {
                guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
                return String(html[range.upperBound...].prefix { $0 != "\"" })
            }
            var fields = ["_csrf": ConsoleSession.csrf(in: page)!, "load_id": hidden("load_id")!, "version": hidden("version")!]
            var proposals = 0
            for piece in html.components(separatedBy: "name=\"proposal_name_").dropFirst() {
                let index = String(piece.prefix { $0 != "\"" })
                guard let name = hidden("proposal_name_\(index)") else { continue }
                fields["proposal_name_\(index)"] = name
                fields["proposal_\(index)"] = name == "手机号码" ? "reject" : "confirm"
                proposals += 1
            }
            #expect(proposals >= 2, "ID and mobile numbers are proposed")
            let applied = try await session.post(client, "/console/catalog/\(resource)/schema", fields)
            #expect(applied.status == .seeOther)
            let stored = try await platform.services.catalog.resource(ResourceID(resource), scope: .all)
            #expect(stored.columns.first { $0.name == "手机号码" }?.sensitivity == .ordinary)
            #expect(stored.columns.first { $0.name == "身份证号" }?.sensitivity == .directIdentifier)
            let again = try await session.post(client, "/console/catalog/\(resource)/schema", fields)
            #expect(again.status == .conflict, "the version moved on")
            #expect(again.text.contains("role=\"alert\""))
        }
    }
}

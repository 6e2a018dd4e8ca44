import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PDOPDemoData
import PDOPDomain
import PDOPServer
import PDOPStore
import Testing

/// Issue 3 items 3–5 and 13 through the API: uploads into the domain store (R5).
@Suite("Data loads")
struct DataLoadTests {
    static let insurance = #"""
    {"domain":"social_security","name":"养老保险参保信息","description":"参保人员","grade":"L3","openAttribute":"conditional",
     "origin":"county","updateFrequency":"monthly"}
    """#

    /// A small GB18030 file made by the demo generator, the usual shape of a government export.
    static func gbkFile() throws -> (bytes: [UInt8], rows: Int) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pdop-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rows = try DemoGenerator(scale: 0.0004).writeCSV(.socialInsurance, to: path, encoding: .gb18030)
        return (Array(FileManager.default.contents(atPath: path)!), rows)
    }

    static func upload(_ client: any TestClientProtocol, _ resource: String, _ bytes: [UInt8], token: String,
                       query: String = "") async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/catalog/resources/\(resource)/data\(query)", method: .put,
                                 headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(bytes: bytes))
    }

    @Test("R5 a GBK CSV loads into the domain store with its schema, detected personal data and profiles; no raw identifier comes back")
    func gbkLoad() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: Self.insurance).json()["id"] as! String
            let file = try Self.gbkFile()
            let response = try await Self.upload(client, resource, file.bytes, token: provider)
            #expect(response.status == .created, "\(response.text)")
            let body = try response.json()
            #expect(body["state"] as? String == "succeeded")
            #expect(body["rowCount"] as? Int == file.rows)
            let report = body["report"] as! [String: Any]
            #expect(report["encoding"] as? String == "gb18030")
            let columns = report["columns"] as! [[String: Any]]
            let detected = Dictionary(uniqueKeysWithValues: columns.compactMap { column in
                (column["personalData"] as? String).map { (column["name"] as! String, $0) }
            })
            #expect(detected["身份证号"] == "resident_id")
            #expect(detected["手机号码"] == "mobile")
            #expect(columns.first { $0["name"] as? String == "累计缴费月数" }?["type"] as? String == "integer")
            let loader = DomainDataLoader(database: platform.stores.domain)
            #expect(try await loader.currentRowCount(ResourceID(resource)) == file.rows)
            // Nothing in what the platform answers carries a real ID number or mobile number.
            let history = try await client.api(.get, "/api/v1/catalog/resources/\(resource)/loads", token: provider)
            let values = Self.personalValues()
            #expect(values.count > 100)
            for text in [response.text, history.text] {
                #expect(!Self.containsResidentID(text), "a valid ID number leaked")
                #expect(Self.leaks(text, values) == nil, "a loaded mobile or ID number leaked")
            }
            #expect(try await platform.auditCount(action: "data.load", outcome: .allowed) == 1)
        }
    }

    /// The mobile numbers and ID numbers in the file `gbkFile()` makes, to look for verbatim.
    static func personalValues() -> [String] {
        let dataset = DemoDatasets[.socialInsurance]
        let columns = ["手机号码", "身份证号"].compactMap { name in dataset.columns.firstIndex { $0.name == name } }
        return DemoGenerator(scale: 0.0004).rows(.socialInsurance).flatMap { row in columns.map { row[$0] } }
    }

    /// True when any loaded personal value appears in `text`.
    static func leaks(_ text: String, _ values: [String]) -> String? { values.first { text.contains($0) } }

    static func containsResidentID(_ text: String) -> Bool {
        let chars = Array(text)
        guard chars.count >= 18 else { return false }
        for start in 0...(chars.count - 18) where ResidentID.isValid(String(chars[start..<start + 18])) { return true }
        return false
    }

    @Test("R5 a failed load names line and column and leaves the previous version intact; appends must match the columns")
    func failuresKeepPreviousVersion() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: Self.insurance).json()["id"] as! String
            let good = Array("乡镇,人数,日期\n南明街道,12,2025-01-01\n七星街道,7,2025-01-02\n".utf8)
            #expect(try await Self.upload(client, resource, good, token: provider).status == .created)
            let loader = DomainDataLoader(database: platform.stores.domain)
            let failures: [(String, String)] = [
                ("乡镇,人数,日期\n南明街道,12,2025-01-01\n七星街道,7\n", "line 3"),
                ("乡镇,人数,日期\n南明街道,12,2025-01-01\n\"七星街道,7,2025-01-02\n", "quote"),
                ("", "empty"),
                ("乡镇,人数,日期\n", "no data"),
                ("乡镇,乡镇\n甲,乙\n", "duplicate"),
                ("select,人数\n甲,1\n", "reserved"),
            ]
            for (text, expected) in failures {
                let response = try await Self.upload(client, resource, Array(text.utf8), token: provider)
                #expect(response.status == .badRequest, "\(text)")
                let detail = try response.json()["detail"] as? String ?? ""
                #expect(detail.localizedCaseInsensitiveContains(expected), "\(detail)")
                #expect(try await loader.currentRowCount(ResourceID(resource)) == 2, "the previous version is intact")
            }
            let invalidGBK: [UInt8] = Array("乡镇,人数\n".utf8) + [0xFF, 0xFE, 0x2C, 0x31, 0x0A]
            #expect(try await Self.upload(client, resource, invalidGBK, token: provider, query: "?encoding=gb18030").status == .badRequest)
            let appended = try await Self.upload(client, resource, Array("乡镇,人数,日期\n回山镇,3,2025-01-03\n".utf8), token: provider,
                                                 query: "?mode=append")
            #expect(appended.status == .created)
            #expect(try await loader.currentRowCount(ResourceID(resource)) == 3)
            let wrongColumns = try await Self.upload(client, resource, Array("乡镇,人口\n回山镇,3\n".utf8), token: provider, query: "?mode=append")
            #expect(wrongColumns.status == .badRequest)
            let history = try await client.api(.get, "/api/v1/catalog/resources/\(resource)/loads?limit=200", token: provider).json()
            let states = (history["items"] as! [[String: Any]]).compactMap { $0["state"] as? String }
            #expect(states.filter { $0 == "succeeded" }.count == 2)
            #expect(states.filter { $0 == "failed" }.count == failures.count + 2)
            #expect(try await platform.auditCount(action: "data.load", outcome: .failed) == failures.count + 2)
        }
    }

    @Test("R5 only the resource's provider (or the authority) loads its data; the body limit is the upload limit, not the JSON one")
    func scopeAndLimits() async throws {
        var policy = PolicySettings.plan
        policy.uploadLimitMegabytes = 2
        try await TestPlatform.run(policy: policy) { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: Self.insurance).json()["id"] as! String
            let operatorToken = try await platform.token(.operatorManager)
            #expect(try await Self.upload(client, resource, Array("a\n1\n".utf8), token: operatorToken).status == .forbidden)
            // 1.5 MB is above the JSON limit but within this upload limit.
            var big = Array("编号,说明\n".utf8)
            for index in 0..<60_000 { big += Array("\(index),第\(index)行数据说明\n".utf8) }
            #expect(big.count > 1 << 20)
            #expect(try await Self.upload(client, resource, big, token: provider).status == .created)
            let tooBig = big + big
            let refused = try await Self.upload(client, resource, tooBig, token: provider)
            #expect(refused.status == .badRequest)
            #expect(try await DomainDataLoader(database: platform.stores.domain).currentRowCount(ResourceID(resource)) == 60_000)
        }
    }
}

@Suite("Data loads in the console")
struct DataLoadConsoleTests {
    static func multipart(_ fields: [(String, String)], file: [UInt8], boundary: String = "----pdopTestBoundary7MA4YWxk") -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"参保.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += file
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return body
    }

    @Test("R5 a provider uploads a GBK CSV from the console form and sees its profile with personal-data columns detected and masked")
    func consoleUpload() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: DataLoadTests.insurance)
                .json()["id"] as! String
            var session = ConsoleSession()
            try await session.login(client, username: "u.provider")
            let page = try await session.get(client, "/console/catalog/\(resource)/loads")
            #expect(page.text.contains("upload-form"))
            let csrf = ConsoleSession.csrf(in: page)!
            let file = try DataLoadTests.gbkFile()
            let boundary = "----pdopTestBoundary7MA4YWxk"
            var headers = session.cookieHeader
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"

            // Without the form's token nothing is stored.
            let forged = try await client.execute(uri: "/console/catalog/\(resource)/loads", method: .post, headers: headers,
                                                  body: ByteBuffer(bytes: Self.multipart([("_csrf", "forged"), ("encoding", "auto")], file: file.bytes)))
            #expect(forged.status == .forbidden)
            #expect(try await DomainDataLoader(database: platform.stores.domain).currentRowCount(ResourceID(resource)) == nil)

            let uploaded = try await client.execute(
                uri: "/console/catalog/\(resource)/loads", method: .post, headers: headers,
                body: ByteBuffer(bytes: Self.multipart([("_csrf", csrf), ("encoding", "auto"), ("format", "csv"), ("mode", "replace")],
                                                       file: file.bytes)))
            #expect(uploaded.status == .seeOther, "\(String(buffer: uploaded.body).prefix(300))")
            #expect(try await DomainDataLoader(database: platform.stores.domain).currentRowCount(ResourceID(resource)) == file.rows)
            let profile = try await session.get(client, "/console/catalog/\(resource)/loads")
            #expect(profile.text.contains("load-profile"))
            #expect(profile.text.contains("gb18030"))
            #expect(profile.text.contains("身份证号"))
            #expect(profile.text.contains("个值符合居民身份证号格式"), "the detection is explained, in Chinese")
            #expect(!DataLoadTests.containsResidentID(profile.text), "no ID number is shown unmasked")
            // The buyer never sees the loads of someone else's resource.
            var buyer = ConsoleSession()
            try await buyer.login(client, username: "u.buyer")
            #expect(try await buyer.get(client, "/console/catalog/\(resource)/loads").status == .forbidden)
        }
    }
}

@Suite("Raw data stays in the domain store")
struct RawDataScanTests {
    @Test("R12 issue 3 item 5: after a load of personal data, no GET route in the table answers any role with a real ID or mobile number")
    func routeTableScan() async throws {
        try await TestPlatform.run { platform, client in
            let provider = try await platform.token(.provider)
            let resource = try await client.api(.post, "/api/v1/catalog/resources", token: provider, json: DataLoadTests.insurance)
                .json()["id"] as! String
            _ = try await client.api(.post, "/api/v1/catalog/resources/\(resource)/state", token: try await platform.token(.authority),
                                     json: #"{"state":"published","version":1}"#)
            let file = try DataLoadTests.gbkFile()
            #expect(try await DataLoadTests.upload(client, resource, file.bytes, token: provider).status == .created)
            let values = DataLoadTests.personalValues()
            var scanned = 0
            var tokens: [Role: String] = [:]
            for role in [Role.provider, .authority, .regulator, .operatorTechnical, .buyer] { tokens[role] = try await platform.token(role) }
            for route in routeTable(platform.services) where route.spec.method == .get && !route.spec.path.contains("{code}") {
                let path = route.spec.path.replacingOccurrences(of: "{resourceId}", with: resource)
                    .replacingOccurrences(of: "{organizationId}", with: platform.user(.provider).organizationID.rawValue)
                    .replacingOccurrences(of: "{userId}", with: platform.user(.provider).id.rawValue)
                for role in [Role.provider, .authority, .regulator, .operatorTechnical, .buyer] {
                    let text: String
                    if route.spec.audience == .console {
                        var session = ConsoleSession()
                        try await session.login(client, username: platform.user(role).username)
                        text = try await session.get(client, path).text
                    } else {
                        text = try await client.api(.get, path, token: tokens[role]).text
                    }
                    scanned += 1
                    #expect(!DataLoadTests.containsResidentID(text), "\(route.spec) as \(role.rawValue) shows an ID number")
                    #expect(DataLoadTests.leaks(text, values) == nil, "\(route.spec) as \(role.rawValue) shows a loaded mobile or ID number")
                }
            }
            #expect(scanned > 100)
        }
    }
}

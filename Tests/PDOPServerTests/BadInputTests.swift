import Foundation
import HummingbirdTesting
import PDOPDomain
import PDOPServer
import Testing

/// Issue 2 item 8 and "Bad input": every client mistake is a 4xx problem+json naming the field,
/// never a 500, and nothing is written.
@Suite("Bad input")
struct BadInputTests {
    static func pointers(_ response: TestResponse) throws -> [String] {
        (try response.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
    }

    @Test("malformed, mistyped, missing, unknown and oversized input is refused, naming the field, writing nothing")
    func refusedAndNamed() async throws {
        try await TestPlatform.run { platform, client in
            let token = try await platform.token(.authority)
            let before = try await platform.services.parties.organizations(OrganizationFilter(), page: .first, scope: .all).total
            let cases: [(body: String, status: Int, pointer: String?)] = [
                (#"{"name": "新昌县某局", "kind": "department""#, 400, ""),
                (#"["name"]"#, 400, ""),
                ("", 400, ""),
                (#"{"name": 123, "kind": "department"}"#, 400, "/name"),
                (#"{"kind": "department"}"#, 400, "/name"),
                (#"{"name": "新昌县某局"}"#, 400, "/kind"),
                (#"{"name": "新昌县某局", "kind": "department", "extra": true}"#, 400, "/extra"),
                (#"{"name": "新昌县某局", "kind": "ministry"}"#, 400, "/kind"),
                (#"{"name": null, "kind": "department"}"#, 400, "/name"),
                (#"{"name": "\#(String(repeating: "局", count: 201))", "kind": "department"}"#, 400, "/name"),
                (#"{"name": "bad\u0007bell", "kind": "department"}"#, 400, "/name"),
                (#"{"name": "新昌县某局", "kind": "department", "creditCode": "91330624MA2D8K3X5Z"}"#, 400, "/creditCode"),
                (#"{"name": "新昌县某局'); DROP TABLE organizations; --", "kind": "department", "nameEn": "\u0000"}"#, 400, "/nameEn"),
            ]
            for item in cases {
                let response = try await client.api(.post, "/api/v1/organizations", token: token, json: item.body)
                #expect(Int(response.status.code) == item.status, "\(item.body.prefix(60)): \(response.status)")
                #expect(response.headers[.contentType] == "application/problem+json")
                if let pointer = item.pointer {
                    #expect(try Self.pointers(response).first ?? "" == pointer, "\(item.body.prefix(60))")
                }
            }
            let huge = "{\"name\": \"" + String(repeating: "x", count: 2 << 20) + "\", \"kind\": \"department\"}"
            let tooLarge = try await client.api(.post, "/api/v1/organizations", token: token, json: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.headers[.contentType] == "application/problem+json")
            let after = try await platform.services.parties.organizations(OrganizationFilter(), page: .first, scope: .all).total
            #expect(before == after)
            #expect(try await platform.auditCount(action: "request.refused", outcome: .denied) == cases.count + 1)
            // A statement of SQL in a name is only ever data.
            let sql = try await client.api(.post, "/api/v1/organizations", token: token,
                                           json: #"{"name": "新昌县某局'); DROP TABLE organizations; --", "kind": "department"}"#)
            #expect(sql.status == .created)
            #expect(try await platform.services.parties.organizations(OrganizationFilter(), page: .first, scope: .all).total == before + 1)
        }
    }

    @Test("bad query parameters are 400 naming the parameter")
    func badQueries() async throws {
        try await TestPlatform.run { platform, client in
            let token = try await platform.token(.authority)
            for (query, pointer) in [("limit=abc", "/limit"), ("limit=0", "/limit"), ("limit=1000", "/limit"), ("offset=-5", "/offset"),
                                     ("kind=ministry", "/kind"), ("state=gone", "/state"), ("q=\(String(repeating: "a", count: 300))", "/q")] {
                let response = try await client.api(.get, "/api/v1/organizations?\(query)", token: token)
                #expect(response.status == .badRequest, "\(query)")
                #expect(try Self.pointers(response) == [pointer], "\(query)")
            }
            let audit = try await client.api(.get, "/api/v1/audit?from=yesterday", token: token)
            #expect(try Self.pointers(audit) == ["/from"])
        }
    }

    @Test("wrong state → 409 naming the state; stale version → 409; rule refusal → 422 naming the rule")
    func conflictsAndRules() async throws {
        try await TestPlatform.run { platform, client in
            let token = try await platform.token(.authority)
            let org = platform.organizations["buyer"]!
            let close = #"{"state":"closed","version":\#(org.version),"reason":"停止合作"}"#
            #expect(try await client.api(.post, "/api/v1/organizations/\(org.id)/state", token: token, json: close).status == .ok)
            let reopen = try await client.api(.post, "/api/v1/organizations/\(org.id)/state", token: token,
                                              json: #"{"state":"active","version":\#(org.version + 1),"reason":"重新合作"}"#)
            #expect(reopen.status == .conflict)
            #expect(try reopen.json()["state"] as? String == "closed")
            let stale = try await client.api(.patch, "/api/v1/organizations/\(org.id)", token: token,
                                             json: #"{"name":"新名字","version":\#(org.version)}"#)
            #expect(stale.status == .conflict)
            let own = platform.organizations["authority"]!
            let selfSuspend = try await client.api(.post, "/api/v1/organizations/\(own.id)/state", token: token,
                                                   json: #"{"state":"suspended","version":\#(own.version),"reason":"误操作"}"#)
            #expect(selfSuspend.status == .unprocessableContent)
            #expect(try selfSuspend.json()["rule"] as? String == "PDOP-SELF")
            let operatorUser = platform.user(.operatorTechnical)
            let wrongRole = try await client.api(.put, "/api/v1/users/\(operatorUser.id)/roles", token: token,
                                                 json: #"{"roles":["authority"],"version":\#(operatorUser.version)}"#)
            #expect(wrongRole.status == .unprocessableContent)
            #expect(try wrongRole.json()["rule"] as? String == "R1-R2-roles")
            let ownRoles = try await client.api(.put, "/api/v1/users/\(platform.user(.authority).id)/roles", token: token,
                                                json: #"{"roles":["authority"],"version":\#(platform.user(.authority).version)}"#)
            #expect(ownRoles.status == .unprocessableContent)
            let expertRule = try await client.api(.post, "/api/v1/experts", token: token,
                                                  json: #"{"userId":"\#(platform.user(.buyer).id)","field":"数据安全"}"#)
            #expect(try expertRule.json()["rule"] as? String == "R2")
            let memberRule = try await client.api(.post, "/api/v1/coordination-members", token: token,
                                                  json: #"{"organizationId":"\#(platform.organizations["operator"]!.id)","basis":"文件"}"#)
            #expect(try memberRule.json()["rule"] as? String == "R1")
        }
    }

    @Test("no client mistake ever gets a 500: random bodies at every state-changing API route")
    func noServerErrors() async throws {
        try await TestPlatform.run { platform, client in
            let token = try await platform.token(.authority)
            var generator = SystemRandomNumberGenerator()
            let fragments = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"name\"", "\"version\"", "\\u0000",
                             "\"roles\"", "[\"authority\"]", "\"state\"", "\"before\"", "\"2026-13-45T99:00:00Z\"", "9223372036854775808"]
            let routes = routeTable(platform.services).filter { $0.spec.audience == .api && $0.spec.changesState }
            for route in routes {
                let uri = route.spec.path.replacingOccurrences(of: "{organizationId}", with: platform.organizations["buyer"]!.id.rawValue)
                    .replacingOccurrences(of: "{userId}", with: platform.user(.buyer).id.rawValue)
                    .replacingOccurrences(of: "{tokenId}", with: "tok_x")
                for _ in 0..<40 {
                    let body = (0..<Int.random(in: 0...12, using: &generator)).map { _ in fragments.randomElement(using: &generator)! }.joined()
                    let response = try await client.api(route.spec.method, uri, token: token, json: body)
                    #expect(response.status.code < 500, "\(route.spec) with \(body): \(response.status)")
                }
            }
        }
    }

    @Test("an unknown route is a 404 problem, with the security headers")
    func unknownRoute() async throws {
        try await TestPlatform.run { _, client in
            let response = try await client.api(.get, "/api/v1/nothing-here", token: nil)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.contentSecurityPolicy]?.contains("object-src 'none'") == true)
            #expect(!response.text.contains("Hummingbird") && !response.text.contains(".swift"))
        }
    }
}

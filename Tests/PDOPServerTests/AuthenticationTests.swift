import Foundation
import HummingbirdTesting
import PDOPDomain
import PDOPServer
import Testing

@Suite("Authentication and sessions")
struct AuthenticationTests {
    @Test("login sets an HttpOnly SameSite session cookie and a new session id on every login")
    func loginCookie() async throws {
        try await TestPlatform.run { platform, client in
            var first = ConsoleSession()
            let response = try await first.login(client, username: "u.authority")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console")
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("pdop_session=") } ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            let firstID = first.cookies["pdop_session"]
            // A session id planted before login is never adopted (fixation).
            var second = ConsoleSession(cookies: ["pdop_session": "pds_planted-by-attacker"])
            try await second.login(client, username: "u.authority")
            #expect(second.cookies["pdop_session"] != "pds_planted-by-attacker")
            #expect(second.cookies["pdop_session"] != firstID)
            #expect(try await second.get(client, "/console").status == .ok)
        }
    }

    @Test("logout revokes the session: the old cookie no longer works")
    func logout() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            let stolen = session.cookies
            let page = try await session.get(client, "/console")
            let out = try await session.post(client, "/logout", ["_csrf": ConsoleSession.csrf(in: page)!])
            #expect(out.status == .seeOther)
            var replay = ConsoleSession(cookies: stolen)
            let after = try await replay.get(client, "/console")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test("SEC-4 a session ends after 30 idle minutes")
    func idleTimeout() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            platform.clock.advance(by: 29 * 60)
            #expect(try await session.get(client, "/console").status == .ok)
            platform.clock.advance(by: 29 * 60)
            #expect(try await session.get(client, "/console").status == .ok, "activity keeps the session alive")
            platform.clock.advance(by: 31 * 60)
            #expect(try await session.get(client, "/console").status == .seeOther)
        }
    }

    @Test("SEC-4 a session ends after 12 hours however active it is")
    func absoluteTimeout() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            for _ in 0..<(12 * 3) {
                platform.clock.advance(by: 20 * 60)
                #expect(try await session.get(client, "/console").status == .ok)
            }
            platform.clock.advance(by: 20 * 60)
            #expect(try await session.get(client, "/console").status == .seeOther)
        }
    }

    @Test("a wrong password and an unknown user get the same answer")
    func sameAnswer() async throws {
        try await TestPlatform.run { platform, client in
            var a = ConsoleSession()
            var b = ConsoleSession()
            let wrong = try await a.login(client, username: "u.authority", password: "not-the-password")
            let unknown = try await b.login(client, username: "nobody.here", password: "not-the-password")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            func alert(_ response: TestResponse) -> String {
                let html = response.text
                guard let start = html.range(of: "role=\"alert\">") else { return "" }
                return String(html[start.upperBound...].prefix(while: { $0 != "<" }))
            }
            #expect(!alert(wrong).isEmpty)
            #expect(alert(wrong) == alert(unknown))
            #expect(try await platform.auditCount(action: "auth.login", outcome: .denied) == 2)
        }
    }

    @Test("SEC-2 failed logins are limited per account: 429 with Retry-After, then allowed after the window")
    func rateLimitPerAccount() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            for _ in 0..<platform.services.policy.loginFailuresPerAccount {
                #expect(try await session.login(client, username: "u.regulator", password: "wrong-password-1").status == .unauthorized)
            }
            // Even the right password is not evaluated while the account is throttled.
            let limited = try await session.login(client, username: "u.regulator")
            #expect(limited.status == .tooManyRequests)
            let retry = Int(limited.headers[.retryAfter] ?? "") ?? 0
            #expect(retry > 0 && retry <= platform.services.policy.loginWindowMinutes * 60)
            platform.clock.advance(by: TimeInterval(retry + 1))
            #expect(try await session.login(client, username: "u.regulator").status == .seeOther)
            #expect(try await platform.auditCount(action: "auth.login", outcome: .denied) == 6)
        }
    }

    @Test("SEC-2 failed logins are limited per address across accounts")
    func rateLimitPerAddress() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            for attempt in 0..<platform.services.policy.loginFailuresPerIP {
                _ = try await session.login(client, username: "guess\(attempt)", password: "wrong-password-1")
            }
            #expect(try await session.login(client, username: "u.buyer").status == .tooManyRequests)
        }
    }

    @Test("SEC-6 a form without the right CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            let before = try await platform.services.parties.organizations(OrganizationFilter(), page: .first, scope: .all).total
            let fields = ["name": "跨站伪造局", "kind": "department"]
            #expect(try await session.post(client, "/console/organizations", fields).status == .forbidden)
            var wrong = fields
            wrong["_csrf"] = "forged"
            #expect(try await session.post(client, "/console/organizations", wrong).status == .forbidden)
            // The login form is protected too (double-submit cookie).
            var fresh = ConsoleSession()
            #expect(try await fresh.post(client, "/login", ["username": "u.authority", "password": TestPlatform.password]).status == .forbidden)
            let after = try await platform.services.parties.organizations(OrganizationFilter(), page: .first, scope: .all).total
            #expect(before == after)
            #expect(try await platform.auditCount(action: "request.refused", outcome: .denied) >= 2)
        }
    }

    @Test("SEC-6 a state-changing request marked cross-site is refused even with a valid token")
    func crossSite() async throws {
        try await TestPlatform.run { platform, client in
            var session = ConsoleSession()
            try await session.login(client, username: "u.authority")
            let page = try await session.get(client, "/console/organizations/new")
            let response = try await session.post(client, "/console/organizations",
                                                  ["_csrf": ConsoleSession.csrf(in: page)!, "name": "跨站局", "kind": "department"],
                                                  extraHeaders: [.init("Sec-Fetch-Site")!: "cross-site"])
            #expect(response.status == .forbidden)
            let token = try await platform.token(.authority)
            let api = try await client.api(.post, "/api/v1/organizations", token: token, json: #"{"name":"跨站局","kind":"department"}"#,
                                           headers: [.init("Sec-Fetch-Site")!: "cross-site"])
            #expect(api.status == .forbidden)
        }
    }

    @Test("SEC-5 suspending an organization revokes every session and token of its users at once")
    func suspensionRevokes() async throws {
        try await TestPlatform.run { platform, client in
            let operatorToken = try await platform.token(.operatorManager)
            var operatorSession = ConsoleSession()
            try await operatorSession.login(client, username: "u.operator_manager")
            #expect(try await client.api(.get, "/api/v1/me", token: operatorToken).status == .ok)
            #expect(try await operatorSession.get(client, "/console").status == .ok)

            let admin = try await platform.token(.authority)
            let organization = platform.organizations["operator"]!
            let suspend = try await client.api(.post, "/api/v1/organizations/\(organization.id)/state", token: admin,
                                               json: #"{"state":"suspended","version":\#(organization.version),"reason":"R8 违规整改"}"#)
            #expect(suspend.status == .ok)
            #expect(try await client.api(.get, "/api/v1/me", token: operatorToken).status == .unauthorized)
            #expect(try await operatorSession.get(client, "/console").status == .seeOther)
            // Signing in again is refused while suspended.
            var again = ConsoleSession()
            #expect(try await again.login(client, username: "u.operator_manager").status == .forbidden)
            // Restoring the organization does not bring the revoked credentials back.
            let restore = try await client.api(.post, "/api/v1/organizations/\(organization.id)/state", token: admin,
                                               json: #"{"state":"active","version":\#(organization.version + 1),"reason":"整改完成"}"#)
            #expect(restore.status == .ok)
            #expect(try await client.api(.get, "/api/v1/me", token: operatorToken).status == .unauthorized)
            #expect(try await again.login(client, username: "u.operator_manager").status == .seeOther)
        }
    }

    @Test("API tokens: create, list, revoke; a revoked token is refused; the secret is never listed")
    func tokens() async throws {
        try await TestPlatform.run { platform, client in
            let token = try await platform.token(.buyer)
            let created = try await client.api(.post, "/api/v1/me/tokens", token: token, json: #"{"name":"报表脚本","expiresInDays":7}"#)
            #expect(created.status == .created)
            let body = try created.json()
            let secret = body["secret"] as! String
            let id = (body["token"] as! [String: Any])["id"] as! String
            #expect(try await client.api(.get, "/api/v1/me", token: secret).status == .ok)
            let list = try await client.api(.get, "/api/v1/me/tokens", token: secret)
            #expect(!list.text.contains(secret))
            #expect(list.text.contains("报表脚本"))
            #expect(try await client.api(.delete, "/api/v1/me/tokens/\(id)", token: token).status == .noContent)
            #expect(try await client.api(.get, "/api/v1/me", token: secret).status == .unauthorized)
            // Another user's token id answers 404.
            let other = try await platform.token(.regulator)
            #expect(try await client.api(.delete, "/api/v1/me/tokens/\(id)", token: other).status == .notFound)
            // Tokens expire.
            platform.clock.advance(by: 31 * 86_400)
            #expect(try await client.api(.get, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test("changing the password needs the current one and signs out other sessions")
    func passwordChange() async throws {
        try await TestPlatform.run { platform, client in
            var other = ConsoleSession()
            try await other.login(client, username: "u.expert")
            let token = try await platform.token(.expert)
            let wrong = try await client.api(.post, "/api/v1/me/password", token: token,
                                             json: #"{"currentPassword":"nope-nope-nope","newPassword":"a-new-passphrase-2026"}"#)
            #expect(wrong.status == .badRequest)
            let common = try await client.api(.post, "/api/v1/me/password", token: token,
                                              json: #"{"currentPassword":"\#(TestPlatform.password)","newPassword":"password123"}"#)
            #expect(common.status == .badRequest)
            #expect(try common.json()["errors"].debugDescription.contains("/newPassword"))
            let changed = try await client.api(.post, "/api/v1/me/password", token: token,
                                               json: #"{"currentPassword":"\#(TestPlatform.password)","newPassword":"a-new-passphrase-2026"}"#)
            #expect(changed.status == .noContent)
            #expect(try await other.get(client, "/console").status == .seeOther)
            var fresh = ConsoleSession()
            #expect(try await fresh.login(client, username: "u.expert", password: "a-new-passphrase-2026").status == .seeOther)
        }
    }
}

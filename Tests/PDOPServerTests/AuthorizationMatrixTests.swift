import Foundation
import HummingbirdTesting
import PDOPDomain
import PDOPServer
import Testing

/// Issue 2 item 5: deny by default, one route table, another organization's object answers 404.
/// This walks the whole table with every role and both scopes (own object, another org's object).
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    enum Target { case own, other }

    /// Fills path parameters with the caller's own objects, or with another organization's.
    static func path(_ template: String, for user: User, _ platform: TestPlatform, target: Target) -> String {
        let otherUser = platform.users["other"]!
        return template
            .replacingOccurrences(of: "{organizationId}", with: target == .own ? user.organizationID.rawValue : otherUser.organizationID.rawValue)
            .replacingOccurrences(of: "{userId}", with: target == .own ? user.id.rawValue : otherUser.id.rawValue)
            .replacingOccurrences(of: "{tokenId}", with: "tok_unknown")
            .replacingOccurrences(of: "{code}", with: "en")
    }

    static func call(_ spec: RouteSpec, as user: User?, _ platform: TestPlatform, _ client: any TestClientProtocol,
                     target: Target, tokens: [UserID: String]) async throws -> TestResponse {
        let uri = user.map { path(spec.path, for: $0, platform, target: target) } ?? path(spec.path, for: platform.user(.authority), platform, target: target)
        switch spec.audience {
        case .api, .system:
            return try await client.api(spec.method, uri, token: user.flatMap { tokens[$0.id] }, json: spec.changesState ? "{}" : nil)
        case .console:
            var session = ConsoleSession()
            if let user {
                let login = try await session.login(client, username: user.username)
                #expect(login.status == .seeOther, "login of \(user.username)")
            }
            if spec.changesState {
                let page = try await session.get(client, "/console/account")
                return try await session.post(client, uri, ["_csrf": ConsoleSession.csrf(in: page) ?? ""])
            }
            return try await session.get(client, uri)
        }
    }

    @Test("R1 R2 every route admits exactly the roles it declares, with the declared reach, and nobody without credentials")
    func matrix() async throws {
        try await TestPlatform.run { platform, client in
            var tokens: [UserID: String] = [:]
            for user in platform.users.values { tokens[user.id] = try await platform.token(for: user) }
            let routes = routeTable(platform.services)
            #expect(routes.count > 40)
            var checked = 0
            for route in routes {
                let spec = route.spec
                if spec.path == "/login" && spec.changesState { continue } // the login form itself, tested on its own
                // Without credentials.
                let anonymous = try await Self.call(spec, as: nil, platform, client, target: .own, tokens: tokens)
                if spec.access == .everyone {
                    #expect(anonymous.status != .unauthorized && anonymous.status != .forbidden, "\(spec) anonymous")
                    continue
                }
                if spec.audience == .console && !spec.changesState {
                    #expect(anonymous.status == .seeOther && anonymous.headers[.location]?.hasPrefix("/login") == true, "\(spec) anonymous")
                } else {
                    #expect(anonymous.status == .unauthorized || anonymous.status == .forbidden, "\(spec) anonymous: \(anonymous.status)")
                }
                for role in Role.allCases {
                    let user = platform.user(role)
                    let reach: ScopeKind? = switch spec.access {
                    case .everyone, .signedIn: .own
                    case .roles(let table): table[role]
                    }
                    let own = try await Self.call(spec, as: user, platform, client, target: .own, tokens: tokens)
                    checked += 1
                    guard let reach else {
                        #expect(own.status == .forbidden, "\(spec) as \(role.rawValue) should be refused, got \(own.status)")
                        continue
                    }
                    #expect(own.status != .forbidden && own.status != .unauthorized, "\(spec) as \(role.rawValue): \(own.status)")
                    #expect(own.status.code < 500, "\(spec) as \(role.rawValue): \(own.status)")
                    let scoped = spec.path.contains("{organizationId}") || spec.path.contains("{userId}")
                    guard scoped, !spec.changesState else { continue }
                    let other = try await Self.call(spec, as: user, platform, client, target: .other, tokens: tokens)
                    if reach == .all {
                        #expect(other.status == .ok, "\(spec) as \(role.rawValue) reaches every organization")
                    } else {
                        #expect(other.status == .notFound, "\(spec) as \(role.rawValue) must not see another organization's object")
                    }
                }
            }
            #expect(checked > 400)
        }
    }

    @Test("deny by default: every route declares its access, and only health, login and public pages admit everyone")
    func everyRouteDeclared() async throws {
        try await TestPlatform.run { platform, _ in
            let routes = routeTable(platform.services)
            let open = Set(routes.filter { $0.spec.access == .everyone }.map(\.spec.description))
            // The public disclosure pages (R9.1, R9.4) are open, but only to read.
            let publicPages = open.filter { $0.hasPrefix("GET /public/") || $0.hasPrefix("GET /api/v1/public/") }
            #expect(publicPages.contains("GET /public/disclosures") && publicPages.contains("GET /public/seal")
                    && publicPages.contains("GET /api/v1/public/agreements/{agreementId}/seal"))
            #expect(open.subtracting(publicPages) == ["GET /", "GET /login", "POST /login", "GET /lang/{code}", "GET /healthz", "GET /readyz",
                                                      "GET /metrics", "GET /api/openapi.yaml"])
            for route in routes {
                if case .roles(let table) = route.spec.access { #expect(!table.isEmpty, "\(route.spec)") }
            }
            let descriptions = routes.map(\.spec.description)
            #expect(Set(descriptions).count == descriptions.count, "no route is declared twice")
        }
    }
}

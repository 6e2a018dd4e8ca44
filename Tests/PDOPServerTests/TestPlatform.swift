import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PDOPAPI
import PDOPDomain
import PDOPServer
import PDOPStore
import PDOPTestSupport
import Testing

/// A whole platform for one test: fresh stores, a clock the test moves, the real router, and
/// one signed-in party per role, each in an organization of a fitting kind (two operators, so
/// "another organization's object" can be tried).
struct TestPlatform {
    let services: PlatformServices
    let clock: ManualClock
    let stores: OpenedStores
    var organizations: [String: Organization] = [:]
    var users: [String: User] = [:]
    static let password = "test-password-2026"

    static func make(policy: PolicySettings = .plan) async throws -> TestPlatform {
        let stores = try await TestStores.open()
        let clock = ManualClock()
        let services = PlatformServices(stores: stores, policy: policy, clock: clock, ids: SequentialIdentifiers(),
                                        hasher: BcryptHasher(cost: 4), views: try await ViewRenderer.load(), secureCookies: false)
        var platform = TestPlatform(services: services, clock: clock, stores: stores)
        try await platform.seed()
        return platform
    }

    /// Runs `body` against the router (no sockets) and disposes of the stores afterwards.
    static func run(policy: PolicySettings = .plan, _ body: @Sendable (TestPlatform, any TestClientProtocol) async throws -> Void) async throws {
        let platform = try await make(policy: policy)
        let app = Application(router: buildRouter(platform.services))
        do {
            try await app.test(.router) { client in try await body(platform, client) }
            await TestStores.dispose(platform.stores)
        } catch {
            await TestStores.dispose(platform.stores)
            throw error
        }
    }

    /// One organization per kind, two operators, and one user per role.
    mutating func seed() async throws {
        let actor = Actor.system("test")
        let parties = services.parties
        let kinds: [(String, OrganizationKind)] = [
            ("authority", .authority), ("department", .department), ("experts", .expertCommittee), ("province", .province),
            ("regulator", .regulator), ("operator", .operator), ("operator2", .operator), ("buyer", .buyer),
        ]
        for (key, kind) in kinds {
            organizations[key] = try await parties.createOrganization(NewOrganization(name: "测试-\(key)", kind: kind), by: actor)
        }
        for role in Role.allCases where role.isOperatorStaff {
            _ = try await services.lifecycle.createCourse(staffRole: role, title: "岗前培训-\(role.rawValue)", syllabus: "数据安全与合规",
                                                          passingScore: 60, by: actor)
        }
        for role in Role.allCases {
            let home = Self.home(of: role)
            let user = try await parties.createUser(NewUser(
                organizationID: organizations[home]!.id, username: "u.\(role.rawValue)", displayName: role.rawValue,
                password: Self.password, roles: [role]), by: actor)
            users[role.rawValue] = try await trained(user)
        }
        let staff = try await parties.createUser(NewUser(
            organizationID: organizations["operator2"]!.id, username: "u.other.operator", displayName: "other operator",
            password: Self.password, roles: [.operatorManager]), by: actor)
        users["other"] = try await trained(staff)
    }

    /// Operator staff start pending and are activated by passing pre-job training (R10).
    func trained(_ user: User) async throws -> User {
        guard user.state == .pending else { return user }
        for course in try await services.lifecycle.courses() where user.roles.contains(course.staffRole) {
            _ = try await services.lifecycle.recordExam(user: user.id, course: course.id, score: 90, takenOn: clock.now(), by: .system("test"))
        }
        return try await services.parties.user(user.id, scope: .all)
    }

    static func home(of role: Role) -> String {
        switch role {
        case .authority: "authority"
        case .coordinationMember, .provider, .domainLead: "department"
        case .expert: "experts"
        case .province: "province"
        case .regulator: "regulator"
        case .operatorManager, .operatorTechnical, .operatorOperations: "operator"
        case .buyer: "buyer"
        }
    }

    func user(_ role: Role) -> User { users[role.rawValue]! }

    /// A bearer token for the user holding `role`.
    func token(_ role: Role) async throws -> String {
        try await token(for: user(role))
    }

    func token(for user: User) async throws -> String {
        let organization = try await services.parties.organization(user.organizationID, scope: .all)
        let principal = Principal(user: user, organization: organization, sessionDigest: nil, csrfToken: nil, tokenID: nil)
        return try await services.auth.issueToken(for: principal, name: "test", expiresInDays: 30, actor: .system("test")).secret
    }

    /// The sequence number of the newest audit entry.
    func auditHead() async throws -> Int64 {
        try await services.audit.search(AuditFilter(), page: PageRequest(limit: 1)).items.first?.sequence ?? 0
    }

    func auditCount(action: String? = nil, outcome: AuditOutcome? = nil) async throws -> Int {
        try await services.audit.search(AuditFilter(action: action, outcome: outcome), page: .first).total
    }
}

/// A console browser: keeps cookies and the CSRF token of the last page.
struct ConsoleSession {
    var cookies: [String: String] = [:]

    var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    mutating func absorb(_ response: TestResponse) {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty || field.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
    }

    mutating func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader)
        absorb(response)
        return response
    }

    mutating func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [String: String],
                       extraHeaders: HTTPFields = [:]) async throws -> TestResponse {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers.append(contentsOf: extraHeaders)
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        absorb(response)
        return response
    }

    /// The CSRF token in a page's first form.
    static func csrf(in response: TestResponse) -> String? {
        let html = String(buffer: response.body)
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix(while: { $0 != "\"" }))
    }

    /// Signs in through the login form; returns the response to the post.
    @discardableResult
    mutating func login(_ client: any TestClientProtocol, username: String, password: String = TestPlatform.password) async throws -> TestResponse {
        let page = try await get(client, "/login")
        return try await post(client, "/login", ["_csrf": Self.csrf(in: page) ?? "", "username": username, "password": password,
                                                  "next": "/console"])
    }
}

extension TestClientProtocol {
    func api(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil,
             headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
    }
}

import Foundation
import PDOPDomain

/// Response bodies. Built from domain values here, so no domain type is ever encoded directly.
public struct OrganizationOut: Encodable, Sendable {
    public var id, name: String
    public var nameEn: String?
    public var kind, state: String
    public var creditCode: String?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ o: Organization) {
        id = o.id.rawValue; name = o.name; nameEn = o.nameEn; kind = o.kind.rawValue; state = o.state.rawValue
        creditCode = o.creditCode; version = o.version; createdAt = o.createdAt; updatedAt = o.updatedAt
    }
}

public struct UserOut: Encodable, Sendable {
    public var id, organizationId, username, displayName, state: String
    public var roles: [String]
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ u: User) {
        id = u.id.rawValue; organizationId = u.organizationID.rawValue; username = u.username
        displayName = u.displayName; state = u.state.rawValue; roles = u.roles.map(\.rawValue).sorted()
        version = u.version; createdAt = u.createdAt; updatedAt = u.updatedAt
    }
}

public struct MeOut: Encodable, Sendable {
    public var user: UserOut
    public var organization: OrganizationOut
    public init(_ p: Principal) { user = UserOut(p.user); organization = OrganizationOut(p.organization) }
}

public struct TokenOut: Encodable, Sendable {
    public var id, name, prefix: String
    public var createdAt: Date
    public var lastUsedAt, expiresAt, revokedAt: Date?

    public init(_ t: APIToken) {
        id = t.id.rawValue; name = t.name; prefix = t.prefix; createdAt = t.createdAt
        lastUsedAt = t.lastUsedAt; expiresAt = t.expiresAt; revokedAt = t.revokedAt
    }
}

public struct TokenIssuedOut: Encodable, Sendable {
    public var token: TokenOut
    public var secret: String
    public init(_ issued: IssuedToken) { token = TokenOut(issued.token); secret = issued.secret }
}

public struct CoordinationMemberOut: Encodable, Sendable {
    public var organizationId, basis: String
    public var since: Date
    public var until: Date?
    public init(_ m: CoordinationMembership) { organizationId = m.organizationID.rawValue; basis = m.basis; since = m.since; until = m.until }
}

public struct ExpertOut: Encodable, Sendable {
    public var userId, field: String
    public var since: Date
    public var until: Date?
    public init(_ m: ExpertMembership) { userId = m.userID.rawValue; field = m.field; since = m.since; until = m.until }
}

public struct AuditEntryOut: Encodable, Sendable {
    public var seq: Int64
    public var time: Date
    public var actorUserId: String?
    public var actorName: String
    public var organizationId: String?
    public var roles: [String]
    public var action, objectType: String
    public var objectId, objectLabel: String?
    public var outcome: String
    public var reason, requestId: String?
    public var details: [String: String]
    public var hash: String

    public init(_ e: AuditEntry) {
        seq = e.sequence; time = e.time; actorUserId = e.actorUserID; actorName = e.actorName
        organizationId = e.organizationID; roles = e.roles.isEmpty ? [] : e.roles.components(separatedBy: ",")
        action = e.action; objectType = e.objectType; objectId = e.objectID; objectLabel = e.objectLabel
        outcome = e.outcome.rawValue; reason = e.reason; requestId = e.requestID
        details = (try? JSONDecoder().decode([String: String].self, from: Data(e.detailsJSON.utf8))) ?? [:]
        hash = e.hash
    }
}

public struct PurgeOut: Encodable, Sendable {
    public var removed: Int
    public init(removed: Int) { self.removed = removed }
}

public struct PageOut<Item: Encodable & Sendable>: Encodable, Sendable {
    public var items: [Item]
    public var total, limit, offset: Int

    public init<T>(_ page: Page<T>, _ transform: (T) -> Item) {
        items = page.items.map(transform); total = page.total; limit = page.limit; offset = page.offset
    }
}

/// RFC 9457 problem details, with the fields that refused and the rule (R-id) when a policy refused.
public struct Problem: Encodable, Sendable {
    public struct FieldError: Encodable, Sendable {
        /// JSON pointer into the request (RFC 6901), e.g. `/name`.
        public var pointer: String
        public var detail: String
    }

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var rule: String?
    public var state: String?
    public var errors: [FieldError]?
    public var requestId: String?

    public init(status: Int, title: String, detail: String, rule: String? = nil, state: String? = nil,
                field: String? = nil, requestId: String? = nil) {
        self.type = rule.map { "https://pdop.example.gov.cn/problems/rule/\($0)" } ?? "about:blank"
        self.title = title
        self.status = status
        self.detail = detail
        self.rule = rule
        self.state = state
        self.errors = field.map { [FieldError(pointer: Self.pointer(for: $0), detail: detail)] }
        self.requestId = requestId
    }

    /// `a.b.0` → `/a/b/0`, with `~` and `/` escaped as RFC 6901 says. A field that is already a
    /// pointer (the sandbox's query specs name their parts that way) is kept as it is.
    public static func pointer(for field: String) -> String {
        if field.isEmpty || field.hasPrefix("/") { return field }
        return "/" + field.split(separator: ".", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined(separator: "/")
    }
}

public enum APIJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(APIDates.format(date))
        }
        return encoder
    }()
}

public enum APISpec {
    /// The OpenAPI document served at `/api/openapi.yaml`.
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()
}

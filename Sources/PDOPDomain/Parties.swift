import Foundation

public struct Organization: Equatable, Sendable {
    public var id: OrganizationID
    public var name: String
    public var nameEn: String?
    public var kind: OrganizationKind
    public var state: AccountState
    /// 统一社会信用代码, checked against GB 32100 when present.
    public var creditCode: String?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: OrganizationID, name: String, nameEn: String?, kind: OrganizationKind,
                state: AccountState, creditCode: String?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.kind = kind
        self.state = state
        self.creditCode = creditCode
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct User: Equatable, Sendable {
    public var id: UserID
    public var organizationID: OrganizationID
    public var username: String
    public var displayName: String
    public var state: AccountState
    public var passwordHash: String
    public var roles: Set<Role>
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UserID, organizationID: OrganizationID, username: String, displayName: String,
                state: AccountState, passwordHash: String, roles: Set<Role>, version: Int,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.organizationID = organizationID
        self.username = username
        self.displayName = displayName
        self.state = state
        self.passwordHash = passwordHash
        self.roles = roles
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// R1: a member unit of the coordination mechanism, with the decision that made it one.
public struct CoordinationMembership: Equatable, Sendable {
    public var organizationID: OrganizationID
    public var basis: String
    public var since: Date
    public var until: Date?

    public init(organizationID: OrganizationID, basis: String, since: Date, until: Date?) {
        self.organizationID = organizationID
        self.basis = basis
        self.since = since
        self.until = until
    }
}

/// R2: a member of the expert committee and the field they advise on.
public struct ExpertMembership: Equatable, Sendable {
    public var userID: UserID
    public var field: String
    public var since: Date
    public var until: Date?

    public init(userID: UserID, field: String, since: Date, until: Date?) {
        self.userID = userID
        self.field = field
        self.since = since
        self.until = until
    }
}

public struct APIToken: Equatable, Sendable {
    public var id: APITokenID
    public var userID: UserID
    public var name: String
    /// The first characters of the secret, shown so people can tell their tokens apart.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var expiresAt: Date?
    public var revokedAt: Date?

    public init(id: APITokenID, userID: UserID, name: String, prefix: String, createdAt: Date,
                lastUsedAt: Date?, expiresAt: Date?, revokedAt: Date?) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

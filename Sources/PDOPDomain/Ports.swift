import Foundation

/// The storage the domain needs, implemented by PDOPStore on SQLite and PostgreSQL.
/// All writes happen inside `transaction`; the audit entry is appended through the same
/// transaction, so a change without its entry cannot be committed (fail closed).
public protocol PlatformStore: Sendable {
    func transaction<T: Sendable>(_ work: @Sendable (any StoreTransaction) async throws -> T) async throws -> T
}

public protocol StoreTransaction: Sendable {
    var organizations: any OrganizationRepository { get }
    var users: any UserRepository { get }
    var credentials: any CredentialRepository { get }
    var loginAttempts: any LoginAttemptRepository { get }
    var memberships: any MembershipRepository { get }
    var audit: any AuditLog { get }
    var catalog: any CatalogRepository { get }
    var supply: any SupplyRepository { get }
    var deadlines: any DeadlineRepository { get }
    var loads: any DataLoadRepository { get }
    var lifecycle: any LifecycleRepository { get }
    var timeline: any TimelineRepository { get }
    var categories: any CategoryRepository { get }
    var usage: any UsageRepository { get }

    /// Holds an exclusive lock named `key` until this transaction ends, so read-check-write sequences
    /// on one record (a workspace's ledger and answer cache) are serialised across server instances.
    /// Take it before reading what it protects and before any audit append (which locks too).
    /// PostgreSQL: a transaction-scoped advisory lock; SQLite: nothing, its single writer already
    /// serialises every write transaction.
    func lockForUpdate(key: String) async throws
}

public struct OrganizationFilter: Sendable, Equatable {
    public var kind: OrganizationKind?
    public var state: AccountState?
    public var text: String?
    /// Restricts to one organization (own-organization scope).
    public var only: OrganizationID?

    public init(kind: OrganizationKind? = nil, state: AccountState? = nil, text: String? = nil, only: OrganizationID? = nil) {
        self.kind = kind
        self.state = state
        self.text = text
        self.only = only
    }
}

public struct UserFilter: Sendable, Equatable {
    public var organizationID: OrganizationID?
    public var role: Role?
    public var state: AccountState?
    public var text: String?

    public init(organizationID: OrganizationID? = nil, role: Role? = nil, state: AccountState? = nil, text: String? = nil) {
        self.organizationID = organizationID
        self.role = role
        self.state = state
        self.text = text
    }
}

public protocol OrganizationRepository: Sendable {
    func insert(_ organization: Organization) async throws
    func get(_ id: OrganizationID) async throws -> Organization?
    /// Writes `organization` if the stored version is `organization.version - 1`; else throws `DomainError.stale`.
    func update(_ organization: Organization) async throws
    func list(_ filter: OrganizationFilter, page: PageRequest) async throws -> Page<Organization>
    func nameExists(_ name: String) async throws -> Bool
}

public protocol UserRepository: Sendable {
    func insert(_ user: User) async throws
    func get(_ id: UserID) async throws -> User?
    func find(username: String) async throws -> User?
    func update(_ user: User) async throws
    func list(_ filter: UserFilter, page: PageRequest) async throws -> Page<User>
    func ids(in organization: OrganizationID) async throws -> [UserID]
}

public struct SessionRecord: Sendable, Equatable {
    public var digest: String
    public var userID: UserID
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var revokedAt: Date?

    public init(digest: String, userID: UserID, csrfToken: String, createdAt: Date, lastSeenAt: Date, revokedAt: Date?) {
        self.digest = digest
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.revokedAt = revokedAt
    }
}

public protocol CredentialRepository: Sendable {
    func insertSession(_ session: SessionRecord) async throws
    func session(digest: String) async throws -> SessionRecord?
    func touchSession(digest: String, at: Date) async throws
    func revokeSession(digest: String, at: Date) async throws
    /// Revokes the user's other live sessions (after a password change); returns how many.
    func revokeOtherSessions(of user: UserID, except digest: String?, at: Date) async throws -> Int
    func insertToken(_ token: APIToken, digest: String) async throws
    func token(digest: String) async throws -> APIToken?
    func tokens(of user: UserID) async throws -> [APIToken]
    func touchToken(_ id: APITokenID, at: Date) async throws
    /// Returns false when the token does not exist, belongs to someone else or is already revoked.
    func revokeToken(_ id: APITokenID, of user: UserID, at: Date) async throws -> Bool
    /// Revokes every live session and token of these users; returns how many were revoked.
    func revokeAll(of users: [UserID], at: Date) async throws -> Int
}

public protocol LoginAttemptRepository: Sendable {
    func recordFailure(account: String, sourceIP: String, at: Date) async throws
    func failures(account: String, since: Date) async throws -> [Date]
    func failures(sourceIP: String, since: Date) async throws -> [Date]
    func clear(account: String) async throws
}

public protocol MembershipRepository: Sendable {
    func coordinationMembers() async throws -> [CoordinationMembership]
    func upsertCoordination(_ membership: CoordinationMembership) async throws
    func experts() async throws -> [ExpertMembership]
    func upsertExpert(_ membership: ExpertMembership) async throws
}

public protocol AuditLog: Sendable {
    /// Appends the event with the store's next sequence number; returns that number.
    @discardableResult
    func append(_ event: AuditEvent, at: Date) async throws -> Int64
    func search(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEntry>
    /// Deletes entries older than `before`; the store refuses anything inside the retention floor.
    func purge(before: Date, now: Date) async throws -> Int
}

/// Hashing of passwords (bcrypt in production) kept behind a seam so the domain stays crypto-free.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
    /// Spends the time of one verification, so an unknown user answers as slowly as a wrong password.
    func burnVerification(_ password: String) async throws
}

/// Random secrets for sessions and tokens, and their one-way digests for storage.
public protocol SecretMinter: Sendable {
    func newSecret(prefix: String) -> String
    func digest(_ secret: String) -> String
}

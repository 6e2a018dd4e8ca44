import Foundation

public struct NewOrganization: Sendable {
    public var name: String
    public var nameEn: String?
    public var kind: OrganizationKind
    public var creditCode: String?
    public var active: Bool

    public init(name: String, nameEn: String? = nil, kind: OrganizationKind, creditCode: String? = nil, active: Bool = true) {
        self.name = name
        self.nameEn = nameEn
        self.kind = kind
        self.creditCode = creditCode
        self.active = active
    }
}

public struct NewUser: Sendable {
    public var organizationID: OrganizationID
    public var username: String
    public var displayName: String
    public var password: String
    public var roles: Set<Role>
    /// Operator staff stay pending until they pass training (R10); others start active.
    public var active: Bool

    public init(organizationID: OrganizationID, username: String, displayName: String, password: String,
                roles: Set<Role>, active: Bool = true) {
        self.organizationID = organizationID
        self.username = username
        self.displayName = displayName
        self.password = password
        self.roles = roles
        self.active = active
    }
}

/// Organizations, users, role assignments and governance memberships (R1, R2, issue 2).
public struct PartyService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let ids: any IdentifierGenerator
    let hasher: any PasswordHasher
    let policy: PolicySettings

    public init(store: any PlatformStore, clock: any PlatformClock, ids: any IdentifierGenerator,
                hasher: any PasswordHasher, policy: PolicySettings) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.hasher = hasher
        self.policy = policy
    }

    // MARK: organizations

    public func createOrganization(_ input: NewOrganization, by actor: Actor) async throws -> Organization {
        let name = try TextRules.name(input.name, field: "name")
        let nameEn = try input.nameEn.flatMap { value throws(DomainError) in
            value.isEmpty ? nil : try TextRules.name(value, field: "nameEn")
        }
        let code = try input.creditCode.flatMap { value throws(DomainError) in
            value.isEmpty ? nil : try CreditCode.validated(value)
        }
        let now = clock.now()
        let organization = Organization(
            id: OrganizationID(ids.next(prefix: "org")), name: name, nameEn: nameEn, kind: input.kind,
            state: input.active ? .active : .pending, creditCode: code, version: 1, createdAt: now, updatedAt: now)
        return try await store.transaction { tx in
            if try await tx.organizations.nameExists(name) {
                throw DomainError(.conflict, "an organization with this name already exists", field: "name")
            }
            try await tx.organizations.insert(organization)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "organization.create", objectType: "organization",
                objectID: organization.id.rawValue, objectLabel: name,
                details: ["kind": input.kind.rawValue, "state": organization.state.rawValue]), at: now)
            return organization
        }
    }

    public func organization(_ id: OrganizationID, scope: AccessScope) async throws -> Organization {
        guard scope.permits(id), let organization = try await store.transaction({ try await $0.organizations.get(id) }) else {
            throw DomainError.notFound("organization")
        }
        return organization
    }

    public func organizations(_ filter: OrganizationFilter, page: PageRequest, scope: AccessScope) async throws -> Page<Organization> {
        var filter = filter
        if let own = scope.onlyOrganization { filter.only = own }
        let scoped = filter
        return try await store.transaction { try await $0.organizations.list(scoped, page: page) }
    }

    /// Display names of every organization (or every one of a kind), for labelling lists.
    public func organizationNames(kind: OrganizationKind? = nil) async throws -> [OrganizationID: String] {
        let organizations = try await Page.all { try await self.organizations(OrganizationFilter(kind: kind), page: $0, scope: .all) }
        return Dictionary(organizations.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    public func renameOrganization(_ id: OrganizationID, name: String, nameEn: String?, version: Int,
                                   by actor: Actor) async throws -> Organization {
        let name = try TextRules.name(name, field: "name")
        let nameEn = try nameEn.flatMap { value throws(DomainError) in
            value.isEmpty ? nil : try TextRules.name(value, field: "nameEn")
        }
        let now = clock.now()
        return try await store.transaction { tx in
            guard var organization = try await tx.organizations.get(id) else { throw DomainError.notFound("organization") }
            guard organization.version == version else { throw DomainError.stale }
            if organization.name != name, try await tx.organizations.nameExists(name) {
                throw DomainError(.conflict, "an organization with this name already exists", field: "name")
            }
            let before = organization.name
            organization.name = name
            organization.nameEn = nameEn
            organization.version += 1
            organization.updatedAt = now
            try await tx.organizations.update(organization)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "organization.update", objectType: "organization",
                objectID: id.rawValue, objectLabel: name, details: ["previousName": before]), at: now)
            return organization
        }
    }

    /// Suspending or closing an organization revokes every session and token of its users in the
    /// same transaction, so the very next request of any of them is refused.
    public func changeOrganizationState(_ id: OrganizationID, to target: AccountState, version: Int,
                                        reason: String, by actor: Actor) async throws -> Organization {
        let reason = try TextRules.text(reason, field: "reason", limit: 1000)
        if actor.organizationID == id && target != .active {
            throw DomainError.refused("PDOP-SELF", "you cannot suspend or close your own organization", field: "state")
        }
        let now = clock.now()
        return try await store.transaction { tx in
            guard var organization = try await tx.organizations.get(id) else { throw DomainError.notFound("organization") }
            guard organization.version == version else { throw DomainError.stale }
            let from = organization.state
            organization.state = try from.transition(to: target)
            organization.version += 1
            organization.updatedAt = now
            try await tx.organizations.update(organization)
            var revoked = 0
            if target.revokesCredentials {
                revoked = try await tx.credentials.revokeAll(of: tx.users.ids(in: id), at: now)
            }
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "organization.state", objectType: "organization", objectID: id.rawValue,
                objectLabel: organization.name, reason: reason,
                details: ["from": from.rawValue, "to": target.rawValue, "credentialsRevoked": String(revoked)]), at: now)
            return organization
        }
    }

    // MARK: users

    public func createUser(_ input: NewUser, by actor: Actor) async throws -> User {
        let username = try TextRules.username(input.username)
        let displayName = try TextRules.name(input.displayName, field: "displayName")
        try PasswordPolicy(minLength: policy.passwordMinLength).check(input.password, username: username)
        if input.roles.isEmpty { throw DomainError.invalid("roles", "at least one role is required") }
        let hash = try await hasher.hash(input.password)
        let now = clock.now()
        return try await store.transaction { tx in
            guard let organization = try await tx.organizations.get(input.organizationID) else {
                throw DomainError.invalid("organizationId", "unknown organization")
            }
            if organization.state == .closed {
                throw DomainError.wrongState(organization.state.rawValue, "the organization is closed")
            }
            try Self.checkRoles(input.roles, for: organization)
            if try await tx.users.find(username: username) != nil {
                throw DomainError(.conflict, "this username is taken", field: "username")
            }
            let state: AccountState = input.active && !input.roles.contains(where: \.isOperatorStaff) ? .active : .pending
            let user = User(id: UserID(ids.next(prefix: "usr")), organizationID: organization.id, username: username,
                            displayName: displayName, state: state, passwordHash: hash, roles: input.roles,
                            version: 1, createdAt: now, updatedAt: now)
            try await tx.users.insert(user)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "user.create", objectType: "user", objectID: user.id.rawValue,
                objectLabel: username,
                details: ["organization": organization.id.rawValue, "roles": Self.describe(input.roles),
                          "state": state.rawValue]), at: now)
            return user
        }
    }

    public func user(_ id: UserID, scope: AccessScope) async throws -> User {
        guard let user = try await store.transaction({ try await $0.users.get(id) }),
              scope.permits(user.organizationID) else {
            throw DomainError.notFound("user")
        }
        return user
    }

    public func users(_ filter: UserFilter, page: PageRequest, scope: AccessScope) async throws -> Page<User> {
        var filter = filter
        if let own = scope.onlyOrganization {
            if let asked = filter.organizationID, asked != own { return Page(items: [], total: 0, request: page) }
            filter.organizationID = own
        }
        let scoped = filter
        return try await store.transaction { try await $0.users.list(scoped, page: page) }
    }

    public func changeUserState(_ id: UserID, to target: AccountState, version: Int, reason: String,
                                by actor: Actor) async throws -> User {
        let reason = try TextRules.text(reason, field: "reason", limit: 1000)
        if actor.userID == id && target != .active {
            throw DomainError.refused("PDOP-SELF", "you cannot suspend or close your own account", field: "state")
        }
        let now = clock.now()
        return try await store.transaction { tx in
            guard var user = try await tx.users.get(id) else { throw DomainError.notFound("user") }
            guard user.version == version else { throw DomainError.stale }
            let from = user.state
            user.state = try from.transition(to: target)
            if from == .pending && target == .active { try await TrainingRule.requirePassed(user, tx: tx) }
            user.version += 1
            user.updatedAt = now
            try await tx.users.update(user)
            var revoked = 0
            if target.revokesCredentials { revoked = try await tx.credentials.revokeAll(of: [id], at: now) }
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "user.state", objectType: "user", objectID: id.rawValue,
                objectLabel: user.username, reason: reason,
                details: ["from": from.rawValue, "to": target.rawValue, "credentialsRevoked": String(revoked)]), at: now)
            return user
        }
    }

    public func setRoles(_ id: UserID, roles: Set<Role>, version: Int, by actor: Actor) async throws -> User {
        if roles.isEmpty { throw DomainError.invalid("roles", "at least one role is required") }
        if actor.userID == id {
            throw DomainError.refused("PDOP-SELF", "you cannot change your own roles", field: "roles")
        }
        let now = clock.now()
        return try await store.transaction { tx in
            guard var user = try await tx.users.get(id) else { throw DomainError.notFound("user") }
            guard user.version == version else { throw DomainError.stale }
            guard let organization = try await tx.organizations.get(user.organizationID) else {
                throw DomainError.notFound("organization")
            }
            try Self.checkRoles(roles, for: organization)
            let before = user.roles
            user.roles = roles
            user.version += 1
            user.updatedAt = now
            try await tx.users.update(user)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "user.roles", objectType: "user", objectID: id.rawValue, objectLabel: user.username,
                details: ["from": Self.describe(before), "to": Self.describe(roles)]), at: now)
            return user
        }
    }

    // MARK: governance bodies (R1, R2)

    public func coordinationMembers() async throws -> [CoordinationMembership] {
        try await store.transaction { try await $0.memberships.coordinationMembers() }
    }

    public func experts() async throws -> [ExpertMembership] {
        try await store.transaction { try await $0.memberships.experts() }
    }

    /// R1: records an organization as a member unit of the coordination mechanism.
    public func addCoordinationMember(_ id: OrganizationID, basis: String, by actor: Actor) async throws -> CoordinationMembership {
        let basis = try TextRules.text(basis, field: "basis", limit: 1000)
        let now = clock.now()
        return try await store.transaction { tx in
            guard let organization = try await tx.organizations.get(id) else {
                throw DomainError.invalid("organizationId", "unknown organization")
            }
            guard Role.coordinationMember.allowedOrganizationKinds.contains(organization.kind) else {
                throw DomainError.refused("R1", "only government units can be coordination members", field: "organizationId")
            }
            let current = try await tx.memberships.coordinationMembers()
            if current.contains(where: { $0.organizationID == id && $0.until == nil }) {
                throw DomainError(.conflict, "already a member unit", field: "organizationId")
            }
            let membership = CoordinationMembership(organizationID: id, basis: basis, since: now, until: nil)
            try await tx.memberships.upsertCoordination(membership)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "coordination.join", objectType: "organization", objectID: id.rawValue,
                objectLabel: organization.name, reason: basis), at: now)
            return membership
        }
    }

    /// R2: records a user of the expert committee as an expert in a field.
    public func addExpert(_ id: UserID, field: String, by actor: Actor) async throws -> ExpertMembership {
        let field = try TextRules.name(field, field: "field")
        let now = clock.now()
        return try await store.transaction { tx in
            guard let user = try await tx.users.get(id) else { throw DomainError.invalid("userId", "unknown user") }
            guard user.roles.contains(.expert) else {
                throw DomainError.refused("R2", "the user must hold the expert role", field: "userId")
            }
            let current = try await tx.memberships.experts()
            if current.contains(where: { $0.userID == id && $0.until == nil }) {
                throw DomainError(.conflict, "already an expert of the committee", field: "userId")
            }
            let membership = ExpertMembership(userID: id, field: field, since: now, until: nil)
            try await tx.memberships.upsertExpert(membership)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "expert.join", objectType: "user", objectID: id.rawValue,
                objectLabel: user.username, details: ["field": field]), at: now)
            return membership
        }
    }

    static func checkRoles(_ roles: Set<Role>, for organization: Organization) throws(DomainError) {
        if let wrong = roles.sorted(by: { $0.rawValue < $1.rawValue })
            .first(where: { !$0.allowedOrganizationKinds.contains(organization.kind) }) {
            throw .refused("R1-R2-roles", "role \(wrong.rawValue) cannot be held in a \(organization.kind.rawValue) organization",
                           field: "roles")
        }
    }

    static func describe(_ roles: Set<Role>) -> String {
        roles.map(\.rawValue).sorted().joined(separator: ",")
    }
}

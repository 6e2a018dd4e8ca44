import Foundation

/// The signed-in caller, as the server sees it on every request.
public struct Principal: Sendable, Equatable {
    public var user: User
    public var organization: Organization
    /// Set for console sessions: the session's digest and its CSRF token.
    public var sessionDigest: String?
    public var csrfToken: String?
    public var tokenID: APITokenID?

    public init(user: User, organization: Organization, sessionDigest: String?, csrfToken: String?, tokenID: APITokenID?) {
        self.user = user
        self.organization = organization
        self.sessionDigest = sessionDigest
        self.csrfToken = csrfToken
        self.tokenID = tokenID
    }

    public func actor(requestID: String?, sourceIP: String?) -> Actor {
        Actor(userID: user.id, username: user.username, organizationID: organization.id, roles: user.roles,
              requestID: requestID, sourceIP: sourceIP)
    }
}

public struct LoginResult: Sendable {
    /// The session secret for the cookie; only its digest is stored.
    public var sessionSecret: String
    public var principal: Principal
}

public struct IssuedToken: Sendable {
    public var token: APIToken
    /// Shown once, never stored.
    public var secret: String
}

/// Console sessions, API tokens, passwords and login throttling (issue 2 item 4).
public struct AuthService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let ids: any IdentifierGenerator
    let hasher: any PasswordHasher
    let secrets: any SecretMinter
    let policy: PolicySettings

    public static let sessionPrefix = "pds_"
    public static let tokenPrefix = "pdop_"
    /// Live tokens one user may hold; keeps the token list short enough to show whole.
    public static let maxLiveTokens = 20
    /// Last-seen times are written at most this often, so reads do not all become writes.
    static let touchInterval: TimeInterval = 60

    public init(store: any PlatformStore, clock: any PlatformClock, ids: any IdentifierGenerator,
                hasher: any PasswordHasher, secrets: any SecretMinter, policy: PolicySettings) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.hasher = hasher
        self.secrets = secrets
        self.policy = policy
    }

    static let badCredentials = DomainError(.unauthenticated, "wrong username or password")

    /// Checks throttling before the password is evaluated; a wrong password and an unknown user
    /// get the same answer and take the same time. A new session id is minted on every login.
    public func login(username rawName: String, password: String, actor: Actor) async throws -> LoginResult {
        let account = rawName.trimmingWhitespace().lowercased()
        let ip = actor.sourceIP ?? "unknown"
        let now = clock.now()
        if account.isEmpty || account.count > 64 || account.containsControlCharacter {
            throw DomainError.invalid("username", "enter your username")
        }
        if password.isEmpty || password.count > PasswordPolicy.maxLength {
            throw DomainError.invalid("password", "enter your password")
        }
        if let retry = try await throttle(account: account, ip: ip, now: now) {
            try await store.transaction { tx in
                try await tx.audit.append(AuditEvent(actor: actor, action: "auth.login", objectType: "session",
                                                     objectLabel: account, outcome: .denied, reason: "rate limited"), at: now)
            }
            throw DomainError(.rateLimited, "too many failed logins; try again later", retryAfterSeconds: retry)
        }
        let found = try await store.transaction { tx -> (User, Organization)? in
            guard let user = try await tx.users.find(username: account),
                  let organization = try await tx.organizations.get(user.organizationID) else { return nil }
            return (user, organization)
        }
        let passwordOK: Bool
        if let (user, _) = found {
            passwordOK = try await hasher.verify(password, hash: user.passwordHash)
        } else {
            try await hasher.burnVerification(password)
            passwordOK = false
        }
        guard let (user, organization) = found, passwordOK else {
            try await store.transaction { tx in
                try await tx.loginAttempts.recordFailure(account: account, sourceIP: ip, at: now)
                try await tx.audit.append(AuditEvent(actor: actor, action: "auth.login", objectType: "session",
                                                     objectLabel: account, outcome: .denied, reason: "bad credentials"), at: now)
            }
            throw Self.badCredentials
        }
        guard user.state.grantsAccess, organization.state.grantsAccess else {
            try await store.transaction { tx in
                try await tx.audit.append(AuditEvent(actor: actor, action: "auth.login", objectType: "session",
                                                     objectLabel: account, outcome: .denied,
                                                     reason: "account \(user.state.rawValue), organization \(organization.state.rawValue)"), at: now)
            }
            throw DomainError(.forbidden, "this account or its organization is not active")
        }
        let secret = secrets.newSecret(prefix: Self.sessionPrefix)
        let digest = secrets.digest(secret)
        let csrf = secrets.newSecret(prefix: "")
        let session = SessionRecord(digest: digest, userID: user.id, csrfToken: csrf, createdAt: now, lastSeenAt: now, revokedAt: nil)
        try await store.transaction { tx in
            try await tx.credentials.insertSession(session)
            try await tx.loginAttempts.clear(account: account)
            var signedIn = actor
            signedIn.userID = user.id
            signedIn.username = user.username
            signedIn.organizationID = organization.id
            signedIn.roles = user.roles
            try await tx.audit.append(AuditEvent(actor: signedIn, action: "auth.login", objectType: "session",
                                                 objectID: String(digest.prefix(12)), objectLabel: account), at: now)
        }
        return LoginResult(sessionSecret: secret, principal: Principal(
            user: user, organization: organization, sessionDigest: digest, csrfToken: csrf, tokenID: nil))
    }

    /// Seconds to wait, or nil when the account and the address may try again.
    func throttle(account: String, ip: String, now: Date) async throws -> Int? {
        let since = now.addingTimeInterval(-policy.loginWindow)
        let (byAccount, byIP) = try await store.transaction { tx in
            (try await tx.loginAttempts.failures(account: account, since: since),
             try await tx.loginAttempts.failures(sourceIP: ip, since: since))
        }
        func wait(_ failures: [Date], limit: Int) -> Int? {
            guard failures.count >= limit, let oldest = failures.min() else { return nil }
            return max(1, Int((oldest.addingTimeInterval(policy.loginWindow).timeIntervalSince(now)).rounded(.up)))
        }
        let waits = [wait(byAccount, limit: policy.loginFailuresPerAccount), wait(byIP, limit: policy.loginFailuresPerIP)]
        return waits.compactMap { $0 }.max()
    }

    /// Resolves a console session cookie; nil when unknown, revoked, idle too long or too old,
    /// or when the user or the organization is no longer active.
    public func authenticate(session secret: String) async throws -> Principal? {
        guard secret.hasPrefix(Self.sessionPrefix), secret.count < 200 else { return nil }
        let digest = secrets.digest(secret)
        let now = clock.now()
        return try await store.transaction { tx -> Principal? in
            guard let session = try await tx.credentials.session(digest: digest), session.revokedAt == nil,
                  now.timeIntervalSince(session.lastSeenAt) <= policy.sessionIdleTimeout,
                  now.timeIntervalSince(session.createdAt) <= policy.sessionAbsoluteTimeout,
                  let (user, organization) = try await Self.activeMember(session.userID, tx) else { return nil }
            if now.timeIntervalSince(session.lastSeenAt) >= Self.touchInterval {
                try await tx.credentials.touchSession(digest: digest, at: now)
            }
            return Principal(user: user, organization: organization, sessionDigest: digest,
                             csrfToken: session.csrfToken, tokenID: nil)
        }
    }

    /// Resolves an API bearer token, under the same conditions as a session.
    public func authenticate(token secret: String) async throws -> Principal? {
        guard secret.hasPrefix(Self.tokenPrefix), secret.count < 200 else { return nil }
        let digest = secrets.digest(secret)
        let now = clock.now()
        return try await store.transaction { tx -> Principal? in
            guard let token = try await tx.credentials.token(digest: digest), token.revokedAt == nil,
                  token.expiresAt.map({ $0 > now }) ?? true,
                  let (user, organization) = try await Self.activeMember(token.userID, tx) else { return nil }
            if token.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.touchInterval }) ?? true {
                try await tx.credentials.touchToken(token.id, at: now)
            }
            return Principal(user: user, organization: organization, sessionDigest: nil, csrfToken: nil, tokenID: token.id)
        }
    }

    static func activeMember(_ id: UserID, _ tx: any StoreTransaction) async throws -> (User, Organization)? {
        guard let user = try await tx.users.get(id), user.state.grantsAccess,
              let organization = try await tx.organizations.get(user.organizationID),
              organization.state.grantsAccess else { return nil }
        return (user, organization)
    }

    public func logout(_ principal: Principal, actor: Actor) async throws {
        guard let digest = principal.sessionDigest else { return }
        let now = clock.now()
        try await store.transaction { tx in
            try await tx.credentials.revokeSession(digest: digest, at: now)
            try await tx.audit.append(AuditEvent(actor: actor, action: "auth.logout", objectType: "session",
                                                 objectID: String(digest.prefix(12)), objectLabel: principal.user.username), at: now)
        }
    }

    /// A wrong current password counts as a failed login, so a stolen session or token cannot be
    /// used to guess the password faster than the login form allows.
    public func changePassword(_ principal: Principal, current: String, new: String, actor: Actor) async throws {
        let account = principal.user.username
        let ip = actor.sourceIP ?? "unknown"
        if let retry = try await throttle(account: account, ip: ip, now: clock.now()) {
            throw DomainError(.rateLimited, "too many wrong passwords; try again later", retryAfterSeconds: retry)
        }
        guard current.count <= PasswordPolicy.maxLength, try await hasher.verify(current, hash: principal.user.passwordHash) else {
            let now = clock.now()
            try await store.transaction { tx in
                try await tx.loginAttempts.recordFailure(account: account, sourceIP: ip, at: now)
            }
            throw DomainError.invalid("currentPassword", "the current password is wrong")
        }
        try PasswordPolicy(minLength: policy.passwordMinLength).check(new, username: principal.user.username, field: "newPassword")
        if new == current { throw DomainError.invalid("newPassword", "must differ from the current password") }
        let hash = try await hasher.hash(new)
        let now = clock.now()
        try await store.transaction { tx in
            guard var user = try await tx.users.get(principal.user.id) else { throw DomainError.notFound("user") }
            user.passwordHash = hash
            user.version += 1
            user.updatedAt = now
            try await tx.users.update(user)
            let revoked = try await tx.credentials.revokeOtherSessions(of: user.id, except: principal.sessionDigest, at: now)
            try await tx.audit.append(AuditEvent(actor: actor, action: "user.password", objectType: "user",
                                                 objectID: user.id.rawValue, objectLabel: user.username,
                                                 details: ["otherSessionsRevoked": String(revoked)]), at: now)
        }
    }

    public func issueToken(for principal: Principal, name: String, expiresInDays: Int?, actor: Actor) async throws -> IssuedToken {
        let name = try TextRules.name(name, field: "name")
        let days = expiresInDays ?? 90
        guard (1...365).contains(days) else { throw DomainError.invalid("expiresInDays", "must be between 1 and 365") }
        let now = clock.now()
        let secret = secrets.newSecret(prefix: Self.tokenPrefix)
        let token = APIToken(id: APITokenID(ids.next(prefix: "tok")), userID: principal.user.id, name: name,
                             prefix: String(secret.prefix(Self.tokenPrefix.count + 6)), createdAt: now,
                             lastUsedAt: nil, expiresAt: now.addingTimeInterval(TimeInterval(days * 86_400)), revokedAt: nil)
        try await store.transaction { tx in
            let live = try await tx.credentials.tokens(of: principal.user.id)
                .filter { $0.revokedAt == nil && ($0.expiresAt.map { $0 > now } ?? true) }
            if live.count >= Self.maxLiveTokens {
                throw DomainError.refused("PDOP-TOKENS", "at most \(Self.maxLiveTokens) live tokens per user; revoke one first", field: "name")
            }
            try await tx.credentials.insertToken(token, digest: secrets.digest(secret))
            try await tx.audit.append(AuditEvent(actor: actor, action: "token.create", objectType: "api_token",
                                                 objectID: token.id.rawValue, objectLabel: name), at: now)
        }
        return IssuedToken(token: token, secret: secret)
    }

    public func tokens(of principal: Principal) async throws -> [APIToken] {
        try await store.transaction { try await $0.credentials.tokens(of: principal.user.id) }
    }

    public func revokeToken(_ id: APITokenID, of principal: Principal, actor: Actor) async throws {
        let now = clock.now()
        try await store.transaction { tx in
            guard try await tx.credentials.revokeToken(id, of: principal.user.id, at: now) else {
                throw DomainError.notFound("token")
            }
            try await tx.audit.append(AuditEvent(actor: actor, action: "token.revoke", objectType: "api_token",
                                                 objectID: id.rawValue), at: now)
        }
    }
}

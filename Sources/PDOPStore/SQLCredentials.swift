import Foundation
import PDOPDomain
import SQLKit

struct SQLCredentials: CredentialRepository {
    let db: any SQLDatabase

    struct SessionRow: Decodable {
        var digest: String
        var userId: String
        var csrfToken: String
        var createdAt: Int64
        var lastSeenAt: Int64
        var revokedAt: Int64?
    }

    struct TokenRow: Decodable {
        var id: String
        var userId: String
        var name: String
        var prefix: String
        var createdAt: Int64
        var lastUsedAt: Int64?
        var expiresAt: Int64?
        var revokedAt: Int64?

        var model: APIToken {
            APIToken(id: APITokenID(id), userID: UserID(userId), name: name, prefix: prefix,
                     createdAt: Date(millis: createdAt), lastUsedAt: lastUsedAt.map(Date.init(millis:)),
                     expiresAt: expiresAt.map(Date.init(millis:)), revokedAt: revokedAt.map(Date.init(millis:)))
        }
    }

    struct Affected: Decodable { var digest: String }

    func insertSession(_ s: SessionRecord) async throws {
        try await db.raw("""
            INSERT INTO sessions (digest, user_id, csrf_token, created_at, last_seen_at, revoked_at)
            VALUES (\(bind: s.digest), \(bind: s.userID.rawValue), \(bind: s.csrfToken), \(bind: s.createdAt.millis),
                    \(bind: s.lastSeenAt.millis), \(bind: s.revokedAt?.millis))
            """).run()
    }

    func session(digest: String) async throws -> SessionRecord? {
        guard let row = try await db.raw("SELECT * FROM sessions WHERE digest = \(bind: digest)")
            .first(decoding: SessionRow.self, with: snakeCase) else { return nil }
        return SessionRecord(digest: row.digest, userID: UserID(row.userId), csrfToken: row.csrfToken,
                             createdAt: Date(millis: row.createdAt), lastSeenAt: Date(millis: row.lastSeenAt),
                             revokedAt: row.revokedAt.map(Date.init(millis:)))
    }

    func touchSession(digest: String, at: Date) async throws {
        try await db.raw("UPDATE sessions SET last_seen_at = \(bind: at.millis) WHERE digest = \(bind: digest)").run()
    }

    func revokeSession(digest: String, at: Date) async throws {
        try await db.raw("UPDATE sessions SET revoked_at = \(bind: at.millis) WHERE digest = \(bind: digest) AND revoked_at IS NULL").run()
    }

    func revokeOtherSessions(of user: UserID, except digest: String?, at: Date) async throws -> Int {
        try await db.raw("""
            UPDATE sessions SET revoked_at = \(bind: at.millis)
            WHERE user_id = \(bind: user.rawValue) AND revoked_at IS NULL AND digest <> \(bind: digest ?? "")
            RETURNING digest
            """).all(decoding: Affected.self).count
    }

    func insertToken(_ t: APIToken, digest: String) async throws {
        try await db.raw("""
            INSERT INTO api_tokens (id, user_id, name, prefix, digest, created_at, last_used_at, expires_at, revoked_at)
            VALUES (\(bind: t.id.rawValue), \(bind: t.userID.rawValue), \(bind: t.name), \(bind: t.prefix), \(bind: digest),
                    \(bind: t.createdAt.millis), \(bind: t.lastUsedAt?.millis), \(bind: t.expiresAt?.millis), \(bind: t.revokedAt?.millis))
            """).run()
    }

    func token(digest: String) async throws -> APIToken? {
        try await db.raw("SELECT * FROM api_tokens WHERE digest = \(bind: digest)")
            .first(decoding: TokenRow.self, with: snakeCase)?.model
    }

    func tokens(of user: UserID) async throws -> [APIToken] {
        try await db.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: user.rawValue) ORDER BY created_at DESC, id")
            .all(decoding: TokenRow.self, with: snakeCase).map(\.model)
    }

    func touchToken(_ id: APITokenID, at: Date) async throws {
        try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: at.millis) WHERE id = \(bind: id.rawValue)").run()
    }

    func revokeToken(_ id: APITokenID, of user: UserID, at: Date) async throws -> Bool {
        try await db.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: at.millis)
            WHERE id = \(bind: id.rawValue) AND user_id = \(bind: user.rawValue) AND revoked_at IS NULL
            RETURNING digest
            """).first(decoding: Affected.self) != nil
    }

    func revokeAll(of users: [UserID], at: Date) async throws -> Int {
        guard !users.isEmpty else { return 0 }
        let ids = users.map(\.rawValue)
        let sessions = try await db.raw("""
            UPDATE sessions SET revoked_at = \(bind: at.millis) WHERE user_id IN (\(binds: ids)) AND revoked_at IS NULL RETURNING digest
            """).all(decoding: Affected.self).count
        let tokens = try await db.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: at.millis) WHERE user_id IN (\(binds: ids)) AND revoked_at IS NULL RETURNING digest
            """).all(decoding: Affected.self).count
        return sessions + tokens
    }
}

struct SQLLoginAttempts: LoginAttemptRepository {
    let db: any SQLDatabase
    struct Row: Decodable { var at: Int64 }

    func recordFailure(account: String, sourceIP: String, at: Date) async throws {
        try await db.raw("""
            INSERT INTO login_failures (id, account, source_ip, at)
            VALUES (\(bind: UUID().uuidString), \(bind: account), \(bind: sourceIP), \(bind: at.millis))
            """).run()
    }

    func failures(account: String, since: Date) async throws -> [Date] {
        try await db.raw("SELECT at FROM login_failures WHERE account = \(bind: account) AND at > \(bind: since.millis)")
            .all(decoding: Row.self).map { Date(millis: $0.at) }
    }

    func failures(sourceIP: String, since: Date) async throws -> [Date] {
        try await db.raw("SELECT at FROM login_failures WHERE source_ip = \(bind: sourceIP) AND at > \(bind: since.millis)")
            .all(decoding: Row.self).map { Date(millis: $0.at) }
    }

    func clear(account: String) async throws {
        try await db.raw("DELETE FROM login_failures WHERE account = \(bind: account)").run()
    }
}

struct SQLMemberships: MembershipRepository {
    let db: any SQLDatabase

    func coordinationMembers() async throws -> [CoordinationMembership] {
        struct Row: Decodable { var organizationId: String; var since: Int64; var until: Int64?; var basis: String }
        return try await db.raw("SELECT * FROM coordination_members ORDER BY since, organization_id")
            .all(decoding: Row.self, with: snakeCase)
            .map { CoordinationMembership(organizationID: OrganizationID($0.organizationId), basis: $0.basis,
                                          since: Date(millis: $0.since), until: $0.until.map(Date.init(millis:))) }
    }

    func upsertCoordination(_ m: CoordinationMembership) async throws {
        try await db.raw("DELETE FROM coordination_members WHERE organization_id = \(bind: m.organizationID.rawValue) AND since = \(bind: m.since.millis)").run()
        try await db.raw("""
            INSERT INTO coordination_members (organization_id, since, until, basis)
            VALUES (\(bind: m.organizationID.rawValue), \(bind: m.since.millis), \(bind: m.until?.millis), \(bind: m.basis))
            """).run()
    }

    func experts() async throws -> [ExpertMembership] {
        struct Row: Decodable { var userId: String; var since: Int64; var until: Int64?; var field: String }
        return try await db.raw("SELECT * FROM expert_members ORDER BY since, user_id")
            .all(decoding: Row.self, with: snakeCase)
            .map { ExpertMembership(userID: UserID($0.userId), field: $0.field, since: Date(millis: $0.since),
                                    until: $0.until.map(Date.init(millis:))) }
    }

    func upsertExpert(_ m: ExpertMembership) async throws {
        try await db.raw("DELETE FROM expert_members WHERE user_id = \(bind: m.userID.rawValue) AND since = \(bind: m.since.millis)").run()
        try await db.raw("""
            INSERT INTO expert_members (user_id, since, until, field)
            VALUES (\(bind: m.userID.rawValue), \(bind: m.since.millis), \(bind: m.until?.millis), \(bind: m.field))
            """).run()
    }
}

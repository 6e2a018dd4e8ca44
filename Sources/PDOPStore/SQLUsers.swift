import Foundation
import PDOPDomain
import SQLKit

struct UserRow: Decodable {
    var id: String
    var organizationId: String
    var username: String
    var displayName: String
    var state: String
    var passwordHash: String
    var version: Int
    var createdAt: Int64
    var updatedAt: Int64
}

struct SQLUsers: UserRepository {
    let db: any SQLDatabase

    func insert(_ u: User) async throws {
        try await db.raw("""
            INSERT INTO users (id, organization_id, username, display_name, state, password_hash, version, created_at, updated_at)
            VALUES (\(bind: u.id.rawValue), \(bind: u.organizationID.rawValue), \(bind: u.username), \(bind: u.displayName),
                    \(bind: u.state.rawValue), \(bind: u.passwordHash), \(bind: u.version), \(bind: u.createdAt.millis),
                    \(bind: u.updatedAt.millis))
            """).run()
        try await writeRoles(u)
    }

    func get(_ id: UserID) async throws -> User? {
        try await load("SELECT * FROM users WHERE id = \(bind: id.rawValue)").first
    }

    func find(username: String) async throws -> User? {
        try await load("SELECT * FROM users WHERE username = \(bind: username)").first
    }

    func update(_ u: User) async throws {
        struct Updated: Decodable { var id: String }
        let row = try await db.raw("""
            UPDATE users SET display_name = \(bind: u.displayName), state = \(bind: u.state.rawValue),
                password_hash = \(bind: u.passwordHash), version = \(bind: u.version), updated_at = \(bind: u.updatedAt.millis)
            WHERE id = \(bind: u.id.rawValue) AND version = \(bind: u.version - 1) RETURNING id
            """).first(decoding: Updated.self)
        if row == nil { throw DomainError.stale }
        try await db.raw("DELETE FROM user_roles WHERE user_id = \(bind: u.id.rawValue)").run()
        try await writeRoles(u)
    }

    func list(_ filter: UserFilter, page: PageRequest) async throws -> Page<User> {
        var conditions = Conditions()
        if let organization = filter.organizationID { conditions.add("organization_id = \(bind: organization.rawValue)") }
        if let state = filter.state { conditions.add("state = \(bind: state.rawValue)") }
        if let role = filter.role {
            conditions.add("id IN (SELECT user_id FROM user_roles WHERE role = \(bind: role.rawValue))")
        }
        conditions.addSearch(filter.text, columns: ["username", "display_name"])
        let total = try await db.count("users", conditions)
        let users = try await load("SELECT * FROM users" + conditions.sql
                                   + " ORDER BY created_at, id LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
        return Page(items: users, total: total, request: page)
    }

    func ids(in organization: OrganizationID) async throws -> [UserID] {
        struct Row: Decodable { var id: String }
        return try await db.raw("SELECT id FROM users WHERE organization_id = \(bind: organization.rawValue)")
            .all(decoding: Row.self).map { UserID($0.id) }
    }

    private func writeRoles(_ u: User) async throws {
        for role in u.roles.sorted(by: { $0.rawValue < $1.rawValue }) {
            try await db.raw("INSERT INTO user_roles (user_id, role) VALUES (\(bind: u.id.rawValue), \(bind: role.rawValue))").run()
        }
    }

    /// Loads users and their roles (one query for the roles of the whole page).
    private func load(_ query: SQLQueryString) async throws -> [User] {
        let rows = try await db.raw(query).all(decoding: UserRow.self, with: snakeCase)
        guard !rows.isEmpty else { return [] }
        struct RoleRow: Decodable { var userId: String; var role: String }
        let ids = rows.map(\.id)
        let roleRows = try await db.raw("SELECT user_id, role FROM user_roles WHERE user_id IN (\(binds: ids))")
            .all(decoding: RoleRow.self, with: snakeCase)
        let roles = Dictionary(grouping: roleRows, by: \.userId)
        return try rows.map { row in
            guard let state = AccountState(rawValue: row.state) else {
                throw StoreError.integrity("user \(row.id) has an unknown state")
            }
            return User(id: UserID(row.id), organizationID: OrganizationID(row.organizationId), username: row.username,
                        displayName: row.displayName, state: state, passwordHash: row.passwordHash,
                        roles: Set((roles[row.id] ?? []).compactMap { Role(rawValue: $0.role) }),
                        version: row.version, createdAt: Date(millis: row.createdAt), updatedAt: Date(millis: row.updatedAt))
        }
    }
}

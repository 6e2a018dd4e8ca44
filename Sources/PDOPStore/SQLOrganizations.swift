import Foundation
import PDOPDomain
import SQLKit

struct OrganizationRow: Decodable {
    var id: String
    var name: String
    var nameEn: String?
    var kind: String
    var state: String
    var creditCode: String?
    var version: Int
    var createdAt: Int64
    var updatedAt: Int64

    func model() throws -> Organization {
        guard let kind = OrganizationKind(rawValue: kind), let state = AccountState(rawValue: state) else {
            throw StoreError.integrity("organization \(id) has an unknown kind or state")
        }
        return Organization(id: OrganizationID(id), name: name, nameEn: nameEn, kind: kind, state: state,
                            creditCode: creditCode, version: version, createdAt: Date(millis: createdAt),
                            updatedAt: Date(millis: updatedAt))
    }
}

struct SQLOrganizations: OrganizationRepository {
    let db: any SQLDatabase

    func insert(_ o: Organization) async throws {
        try await db.raw("""
            INSERT INTO organizations (id, name, name_en, kind, state, credit_code, version, created_at, updated_at)
            VALUES (\(bind: o.id.rawValue), \(bind: o.name), \(bind: o.nameEn), \(bind: o.kind.rawValue),
                    \(bind: o.state.rawValue), \(bind: o.creditCode), \(bind: o.version),
                    \(bind: o.createdAt.millis), \(bind: o.updatedAt.millis))
            """).run()
    }

    func get(_ id: OrganizationID) async throws -> Organization? {
        try await db.raw("SELECT * FROM organizations WHERE id = \(bind: id.rawValue)")
            .first(decoding: OrganizationRow.self, with: snakeCase)?.model()
    }

    func update(_ o: Organization) async throws {
        struct Updated: Decodable { var id: String }
        let row = try await db.raw("""
            UPDATE organizations SET name = \(bind: o.name), name_en = \(bind: o.nameEn), state = \(bind: o.state.rawValue),
                credit_code = \(bind: o.creditCode), version = \(bind: o.version), updated_at = \(bind: o.updatedAt.millis)
            WHERE id = \(bind: o.id.rawValue) AND version = \(bind: o.version - 1) RETURNING id
            """).first(decoding: Updated.self)
        if row == nil { throw DomainError.stale }
    }

    func list(_ filter: OrganizationFilter, page: PageRequest) async throws -> Page<Organization> {
        var conditions = Conditions()
        if let kind = filter.kind { conditions.add("kind = \(bind: kind.rawValue)") }
        if let state = filter.state { conditions.add("state = \(bind: state.rawValue)") }
        if let only = filter.only { conditions.add("id = \(bind: only.rawValue)") }
        conditions.addSearch(filter.text, columns: ["name", "name_en", "credit_code"])
        let total = try await db.count("organizations", conditions)
        let rows = try await db.raw("SELECT * FROM organizations" + conditions.sql
                                    + " ORDER BY created_at, id LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: OrganizationRow.self, with: snakeCase)
        return Page(items: try rows.map { try $0.model() }, total: total, request: page)
    }

    func nameExists(_ name: String) async throws -> Bool {
        try await db.raw("SELECT COUNT(*) AS n FROM organizations WHERE name = \(bind: name)")
            .first(decoding: CountRow.self)!.n > 0
    }
}

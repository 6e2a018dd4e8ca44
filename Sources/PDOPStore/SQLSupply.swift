import Foundation
import PDOPDomain
import SQLKit

struct DemandRow: Decodable {
    var id, operatorId, domain, title, description, wantedFields, state: String
    var providerId: String?
    var dueAt: Int64?
    var overdue: Int
    var answer, answerReason: String?
    var version: Int
    var createdAt, updatedAt: Int64

    var model: Demand {
        Demand(id: DemandID(id), operatorID: OrganizationID(operatorId), domain: domain, title: title, description: description,
               wantedFields: wantedFields, state: DemandState(rawValue: state) ?? .posted, providerID: providerId.map(OrganizationID.init),
               dueAt: dueAt.map(Date.init(millis:)), overdue: overdue != 0, answer: answer.flatMap(DemandAnswer.init(rawValue:)),
               answerReason: answerReason, version: version, createdAt: Date(millis: createdAt), updatedAt: Date(millis: updatedAt))
    }
}

struct ObjectionRow: Decodable {
    var id, resourceId, providerId, raisedBy, raisedByOrganization, reason, evidence, state: String
    var dueAt: Int64
    var overdue: Int
    var resolution, response: String?
    var version: Int
    var createdAt, updatedAt: Int64

    var model: Objection {
        Objection(id: ObjectionID(id), resourceID: ResourceID(resourceId), providerID: OrganizationID(providerId), raisedBy: UserID(raisedBy),
                  raisedByOrganization: OrganizationID(raisedByOrganization), reason: ObjectionReason(rawValue: reason) ?? .other,
                  evidence: evidence, state: ObjectionState(rawValue: state) ?? .open, dueAt: Date(millis: dueAt), overdue: overdue != 0,
                  resolution: resolution.flatMap(ObjectionResolution.init(rawValue:)), response: response, version: version,
                  createdAt: Date(millis: createdAt), updatedAt: Date(millis: updatedAt))
    }
}

struct SQLSupply: SupplyRepository {
    let db: any SQLDatabase
    struct Updated: Decodable { var id: String }

    func insertDemand(_ d: Demand) async throws {
        try await db.raw("""
            INSERT INTO demands (id, operator_id, domain, title, description, wanted_fields, state, provider_id, due_at, overdue, answer,
                answer_reason, version, created_at, updated_at)
            VALUES (\(bind: d.id.rawValue), \(bind: d.operatorID.rawValue), \(bind: d.domain), \(bind: d.title), \(bind: d.description),
                \(bind: d.wantedFields), \(bind: d.state.rawValue), \(bind: d.providerID?.rawValue), \(bind: d.dueAt?.millis),
                \(bind: d.overdue ? 1 : 0), \(bind: d.answer?.rawValue), \(bind: d.answerReason), \(bind: d.version),
                \(bind: d.createdAt.millis), \(bind: d.updatedAt.millis))
            """).run()
    }

    func demand(_ id: DemandID) async throws -> Demand? {
        try await db.raw("SELECT * FROM demands WHERE id = \(bind: id.rawValue)").first(decoding: DemandRow.self, with: snakeCase)?.model
    }

    func updateDemand(_ d: Demand) async throws {
        let row = try await db.raw("""
            UPDATE demands SET state = \(bind: d.state.rawValue), provider_id = \(bind: d.providerID?.rawValue), due_at = \(bind: d.dueAt?.millis),
                overdue = \(bind: d.overdue ? 1 : 0), answer = \(bind: d.answer?.rawValue), answer_reason = \(bind: d.answerReason),
                version = \(bind: d.version), updated_at = \(bind: d.updatedAt.millis)
            WHERE id = \(bind: d.id.rawValue) AND version = \(bind: d.version - 1) RETURNING id
            """).first(decoding: Updated.self)
        if row == nil { throw DomainError.stale }
    }

    func demands(_ filter: SupplyFilter, page: PageRequest) async throws -> Page<Demand> {
        var conditions = Conditions()
        if let org = filter.involving { conditions.add("(operator_id = \(bind: org.rawValue) OR provider_id = \(bind: org.rawValue))") }
        if filter.overdueOnly { conditions.add("overdue = 1") }
        let total = try await db.count("demands", conditions)
        let rows = try await db.raw("SELECT * FROM demands" + conditions.sql
                                    + " ORDER BY created_at DESC, id LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: DemandRow.self, with: snakeCase)
        return Page(items: rows.map(\.model), total: total, request: page)
    }

    func insertObjection(_ o: Objection) async throws {
        try await db.raw("""
            INSERT INTO objections (id, resource_id, provider_id, raised_by, raised_by_organization, reason, evidence, state, due_at,
                overdue, resolution, response, version, created_at, updated_at)
            VALUES (\(bind: o.id.rawValue), \(bind: o.resourceID.rawValue), \(bind: o.providerID.rawValue), \(bind: o.raisedBy.rawValue),
                \(bind: o.raisedByOrganization.rawValue), \(bind: o.reason.rawValue), \(bind: o.evidence), \(bind: o.state.rawValue),
                \(bind: o.dueAt.millis), \(bind: o.overdue ? 1 : 0), \(bind: o.resolution?.rawValue), \(bind: o.response),
                \(bind: o.version), \(bind: o.createdAt.millis), \(bind: o.updatedAt.millis))
            """).run()
    }

    func objection(_ id: ObjectionID) async throws -> Objection? {
        try await db.raw("SELECT * FROM objections WHERE id = \(bind: id.rawValue)").first(decoding: ObjectionRow.self, with: snakeCase)?.model
    }

    func updateObjection(_ o: Objection) async throws {
        let row = try await db.raw("""
            UPDATE objections SET state = \(bind: o.state.rawValue), overdue = \(bind: o.overdue ? 1 : 0),
                resolution = \(bind: o.resolution?.rawValue), response = \(bind: o.response), version = \(bind: o.version),
                updated_at = \(bind: o.updatedAt.millis)
            WHERE id = \(bind: o.id.rawValue) AND version = \(bind: o.version - 1) RETURNING id
            """).first(decoding: Updated.self)
        if row == nil { throw DomainError.stale }
    }

    func objections(_ filter: SupplyFilter, page: PageRequest) async throws -> Page<Objection> {
        var conditions = Conditions()
        if let org = filter.involving {
            conditions.add("(provider_id = \(bind: org.rawValue) OR raised_by_organization = \(bind: org.rawValue))")
        }
        if let resource = filter.resourceID { conditions.add("resource_id = \(bind: resource.rawValue)") }
        if filter.overdueOnly { conditions.add("overdue = 1") }
        let total = try await db.count("objections", conditions)
        let rows = try await db.raw("SELECT * FROM objections" + conditions.sql
                                    + " ORDER BY created_at DESC, id LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: ObjectionRow.self, with: snakeCase)
        return Page(items: rows.map(\.model), total: total, request: page)
    }

    func objectionFigures(_ resource: ResourceID) async throws -> ObjectionFigures {
        struct Row: Decodable { var total: Int; var open: Int?; var overdue: Int?; var corrected: Int? }
        let row = try await db.raw("""
            SELECT COUNT(*) AS total, SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END) AS open, SUM(overdue) AS overdue,
                SUM(CASE WHEN resolution = 'corrected' THEN 1 ELSE 0 END) AS corrected
            FROM objections WHERE resource_id = \(bind: resource.rawValue)
            """).first(decoding: Row.self)
        return ObjectionFigures(total: row?.total ?? 0, open: row?.open ?? 0, overdue: row?.overdue ?? 0, corrected: row?.corrected ?? 0)
    }
}

struct SQLDeadlines: DeadlineRepository {
    let db: any SQLDatabase
    let flavor: SQLFlavor

    func schedule(_ d: Deadline) async throws {
        try await db.raw("""
            INSERT INTO deadlines (id, kind, subject_id, due_at, state, closed_at)
            VALUES (\(bind: d.id), \(bind: d.kind.rawValue), \(bind: d.subjectID), \(bind: d.dueAt.millis), 'pending', NULL)
            """).run()
    }

    func cancel(kind: Deadline.Kind, subjectID: String, at: Date) async throws {
        try await db.raw("""
            UPDATE deadlines SET state = 'cancelled', closed_at = \(bind: at.millis)
            WHERE kind = \(bind: kind.rawValue) AND subject_id = \(bind: subjectID) AND state = 'pending'
            """).run()
    }

    /// PostgreSQL skips rows another instance has locked; SQLite has a single writer anyway.
    func claimDue(now: Date, limit: Int) async throws -> [Deadline] {
        struct Row: Decodable { var id: String; var kind: String; var subjectId: String; var dueAt: Int64 }
        let lock: SQLQueryString = flavor == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await db.raw("SELECT id, kind, subject_id, due_at FROM deadlines WHERE state = 'pending' AND due_at <= \(bind: now.millis)"
                                    + " ORDER BY due_at, id LIMIT \(bind: limit)" + lock)
            .all(decoding: Row.self, with: snakeCase)
        return rows.compactMap { row in
            Deadline.Kind(rawValue: row.kind).map { Deadline(id: row.id, kind: $0, subjectID: row.subjectId, dueAt: Date(millis: row.dueAt)) }
        }
    }

    func complete(_ id: String, at: Date) async throws {
        try await db.raw("UPDATE deadlines SET state = 'done', closed_at = \(bind: at.millis) WHERE id = \(bind: id)").run()
    }
}

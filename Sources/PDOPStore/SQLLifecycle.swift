import Foundation
import PDOPDomain
import SQLKit

/// Lifecycle cases as JSON documents with an optimistic version (see LifecycleSchema).
struct SQLLifecycle: LifecycleRepository {
    let db: any SQLDatabase
    struct Row: Decodable { var body: String }
    struct Updated: Decodable { var id: String }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    func insert<R: LifecycleRecord>(_ record: R) async throws {
        let body = String(decoding: try Self.encoder.encode(record), as: UTF8.self)
        try await db.raw("""
            INSERT INTO lifecycle_records (id, kind, owner_id, subject_id, state, body, version, created_at, updated_at)
            VALUES (\(bind: record.id), \(bind: R.kind.rawValue), \(bind: record.ownerID?.rawValue), \(bind: record.subjectID),
                \(bind: record.stateName), \(bind: body), \(bind: record.version), \(bind: record.createdAt.millis), \(bind: record.updatedAt.millis))
            """).run()
    }

    func get<R: LifecycleRecord>(_ type: R.Type, id: String) async throws -> R? {
        guard let row = try await db.raw("SELECT body FROM lifecycle_records WHERE id = \(bind: id) AND kind = \(bind: R.kind.rawValue)")
            .first(decoding: Row.self) else { return nil }
        return try Self.decoder.decode(R.self, from: Data(row.body.utf8))
    }

    func update<R: LifecycleRecord>(_ record: R) async throws {
        let body = String(decoding: try Self.encoder.encode(record), as: UTF8.self)
        let row = try await db.raw("""
            UPDATE lifecycle_records SET state = \(bind: record.stateName), subject_id = \(bind: record.subjectID), body = \(bind: body),
                version = \(bind: record.version), updated_at = \(bind: record.updatedAt.millis)
            WHERE id = \(bind: record.id) AND kind = \(bind: R.kind.rawValue) AND version = \(bind: record.version - 1) RETURNING id
            """).first(decoding: Updated.self)
        if row == nil { throw DomainError.stale }
    }

    func list<R: LifecycleRecord>(_ type: R.Type, _ filter: LifecycleFilter, page: PageRequest) async throws -> Page<R> {
        var conditions = Conditions()
        conditions.add("kind = \(bind: R.kind.rawValue)")
        if let owner = filter.owner { conditions.add("owner_id = \(bind: owner.rawValue)") }
        if let subject = filter.subjectID { conditions.add("subject_id = \(bind: subject)") }
        if let states = filter.states {
            conditions.add(states.isEmpty ? "1 = 0" : "state IN (" + states.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")")
        }
        let total = try await db.count("lifecycle_records", conditions)
        let rows = try await db.raw("SELECT body FROM lifecycle_records" + conditions.sql
                                    + " ORDER BY created_at DESC, id DESC LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: Row.self)
        return Page(items: try rows.map { try Self.decoder.decode(R.self, from: Data($0.body.utf8)) }, total: total, request: page)
    }
}

struct SQLTimeline: TimelineRepository {
    let db: any SQLDatabase
    struct Row: Decodable {
        var operatorId: String
        var auditSeq: Int64
        var at: Int64
        var action, subjectKind, subjectId, summary: String
    }

    func append(_ event: TimelineEvent) async throws {
        try await db.raw("""
            INSERT INTO timeline_events (operator_id, audit_seq, at, action, subject_kind, subject_id, summary)
            VALUES (\(bind: event.operatorID.rawValue), \(bind: event.auditSequence), \(bind: event.at.millis), \(bind: event.action),
                \(bind: event.subjectKind), \(bind: event.subjectID), \(bind: event.summary))
            """).run()
    }

    func events(of operatorID: OrganizationID, page: PageRequest) async throws -> Page<TimelineEvent> {
        var conditions = Conditions()
        conditions.add("operator_id = \(bind: operatorID.rawValue)")
        let total = try await db.count("timeline_events", conditions)
        let rows = try await db.raw("SELECT * FROM timeline_events" + conditions.sql
                                    + " ORDER BY audit_seq LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: Row.self, with: snakeCase)
        return Page(items: rows.map {
            TimelineEvent(operatorID: OrganizationID($0.operatorId), at: Date(millis: $0.at), action: $0.action, subjectKind: $0.subjectKind,
                          subjectID: $0.subjectId, auditSequence: $0.auditSeq, summary: $0.summary)
        }, total: total, request: page)
    }
}

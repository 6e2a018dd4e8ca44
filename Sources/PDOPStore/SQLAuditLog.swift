import Foundation
import PDOPDomain
import SQLKit

struct AuditRow: Decodable {
    var seq: Int64
    var at: Int64
    var actorUserId: String?
    var actorName: String
    var organizationId: String?
    var roles: String
    var action: String
    var objectType: String
    var objectId: String?
    var objectLabel: String?
    var outcome: String
    var reason: String?
    var requestId: String?
    var sourceIp: String?
    var details: String
    var prevHash: String
    var hash: String

    var fields: AuditChain.Fields {
        AuditChain.Fields(seq: seq, at: at, actorUserID: actorUserId, actorName: actorName, organizationID: organizationId,
                          roles: roles, action: action, objectType: objectType, objectID: objectId, objectLabel: objectLabel,
                          outcome: outcome, reason: reason, requestID: requestId, sourceIP: sourceIp, details: details)
    }

    var model: AuditEntry {
        AuditEntry(sequence: seq, time: Date(millis: at), actorUserID: actorUserId, actorName: actorName,
                   organizationID: organizationId, roles: roles, action: action, objectType: objectType, objectID: objectId,
                   objectLabel: objectLabel, outcome: AuditOutcome(rawValue: outcome) ?? .failed, reason: reason,
                   requestID: requestId, sourceIP: sourceIp, detailsJSON: details, hash: hash)
    }
}

struct ChainHead: Decodable { var seq: Int64; var hash: String }

struct SQLAuditLog: AuditLog {
    let db: any SQLDatabase
    let flavor: SQLFlavor

    /// Appends within the caller's transaction. On PostgreSQL a transaction-scoped advisory lock
    /// serialises appenders so the chain never forks; SQLite already has a single writer.
    func append(_ event: AuditEvent, at time: Date) async throws -> Int64 {
        if flavor == .postgres {
            try await db.raw("SELECT pg_advisory_xact_lock(74210003)").run()
        }
        let head = try await Self.head(db)
        let details = String(decoding: try JSONEncoder.sorted.encode(event.details), as: UTF8.self)
        let fields = AuditChain.Fields(
            seq: (head?.seq ?? 0) + 1, at: time.millis, actorUserID: event.actor.userID?.rawValue,
            actorName: event.actor.username, organizationID: event.actor.organizationID?.rawValue,
            roles: event.actor.roles.map(\.rawValue).sorted().joined(separator: ","), action: event.action,
            objectType: event.objectType, objectID: event.objectID, objectLabel: event.objectLabel,
            outcome: event.outcome.rawValue, reason: event.reason, requestID: event.actor.requestID,
            sourceIP: event.actor.sourceIP, details: details)
        let previous = try await Self.previousHash(db, head: head, nextSeq: fields.seq)
        let hash = AuditChain.hash(previous: previous, fields)
        try await db.raw("""
            INSERT INTO audit_entries (seq, at, actor_user_id, actor_name, organization_id, roles, action, object_type,
                object_id, object_label, outcome, reason, request_id, source_ip, details, prev_hash, hash)
            VALUES (\(bind: fields.seq), \(bind: fields.at), \(bind: fields.actorUserID), \(bind: fields.actorName),
                \(bind: fields.organizationID), \(bind: fields.roles), \(bind: fields.action), \(bind: fields.objectType),
                \(bind: fields.objectID), \(bind: fields.objectLabel), \(bind: fields.outcome), \(bind: fields.reason),
                \(bind: fields.requestID), \(bind: fields.sourceIP), \(bind: fields.details), \(bind: previous), \(bind: hash))
            """).run()
        return fields.seq
    }

    static func head(_ db: any SQLDatabase) async throws -> ChainHead? {
        try await db.raw("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").first(decoding: ChainHead.self)
    }

    /// The hash the next entry links to: the head's, or after a purge of everything, the anchor's.
    static func previousHash(_ db: any SQLDatabase, head: ChainHead?, nextSeq: Int64) async throws -> String {
        if let head { return head.hash }
        struct Anchor: Decodable { var prevHash: String }
        let anchor = try await db.raw("SELECT prev_hash FROM audit_anchors WHERE first_seq = \(bind: nextSeq)")
            .first(decoding: Anchor.self, with: snakeCase)
        return anchor?.prevHash ?? AuditChain.genesis
    }

    func search(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEntry> {
        var conditions = Conditions()
        if let action = filter.action { conditions.add("action = \(bind: action)") }
        if let outcome = filter.outcome { conditions.add("outcome = \(bind: outcome.rawValue)") }
        if let organization = filter.organizationID { conditions.add("organization_id = \(bind: organization.rawValue)") }
        if let object = filter.objectID { conditions.add("object_id = \(bind: object)") }
        if let from = filter.from { conditions.add("at >= \(bind: from.millis)") }
        if let to = filter.to { conditions.add("at < \(bind: to.millis)") }
        conditions.addSearch(filter.text, columns: ["actor_name", "action", "object_id", "object_label", "reason"])
        let total = try await db.count("audit_entries", conditions)
        let rows = try await db.raw("SELECT * FROM audit_entries" + conditions.sql
                                    + " ORDER BY seq DESC LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: AuditRow.self, with: snakeCase)
        return Page(items: rows.map(\.model), total: total, request: page)
    }

    /// Deletes the oldest entries up to (not including) the first one at or after `before`, and
    /// records an anchor so the verifier knows where the remaining chain starts.
    func purge(before: Date, now: Date) async throws -> Int {
        struct Seq: Decodable { var seq: Int64? }
        guard let head = try await Self.head(db) else { return 0 }
        let firstKept = try await db.raw("SELECT MIN(seq) AS seq FROM audit_entries WHERE at >= \(bind: before.millis)")
            .first(decoding: Seq.self)?.seq ?? head.seq + 1
        let removed = try await db.count("audit_entries", { var c = Conditions(); c.add("seq < \(bind: firstKept)"); return c }())
        guard removed > 0 else { return 0 }
        let anchorHash: String
        if firstKept <= head.seq {
            struct Prev: Decodable { var prevHash: String }
            anchorHash = try await db.raw("SELECT prev_hash FROM audit_entries WHERE seq = \(bind: firstKept)")
                .first(decoding: Prev.self, with: snakeCase)!.prevHash
        } else {
            anchorHash = head.hash
        }
        try await db.raw("DELETE FROM audit_entries WHERE seq < \(bind: firstKept)").run()
        try await db.raw("""
            INSERT INTO audit_anchors (first_seq, prev_hash, created_at)
            VALUES (\(bind: firstKept), \(bind: anchorHash), \(bind: now.millis))
            """).run()
        return removed
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

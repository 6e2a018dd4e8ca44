import Crypto
import Foundation
import SQLKit

/// The result of `pdop audit verify`.
public struct AuditVerification: Sendable, Equatable {
    public var entries: Int
    public var checkpoints: Int
    /// The first sequence number at which the log is not what was written, with the reason.
    public var firstBad: Int64?
    public var problem: String?

    public var ok: Bool { firstBad == nil && problem == nil }

    public var summary: String {
        if ok { return "OK \(entries)" }
        if let firstBad { return "BAD seq=\(firstBad): \(problem ?? "mismatch")" }
        return "BAD \(problem ?? "")"
    }
}

/// Checkpoints and verification of the audit log (DESIGN.md "Audit log").
public struct AuditIntegrity: Sendable {
    public let database: DatabaseHandle
    public let key: SigningKey

    public init(database: DatabaseHandle, key: SigningKey) {
        self.database = database
        self.key = key
    }

    /// Signs the current head if it has moved since the last checkpoint. Returns the new size, if any.
    @discardableResult
    public func checkpoint(now: Date) async throws -> Int64? {
        let key = self.key
        return try await database.transaction { db -> Int64? in
            guard let head = try await SQLAuditLog.head(db) else { return nil }
            struct Last: Decodable { var size: Int64? }
            let last = try await db.raw("SELECT MAX(size) AS size FROM audit_checkpoints").first(decoding: Last.self)?.size ?? 0
            guard head.seq > last else { return nil }
            let createdAt = now.millis
            let signature = try key.privateKey.signature(
                for: AuditChain.checkpointMessage(size: head.seq, head: head.hash, createdAt: createdAt))
            try await db.raw("""
                INSERT INTO audit_checkpoints (size, head_hash, created_at, key_id, signature)
                VALUES (\(bind: head.seq), \(bind: head.hash), \(bind: createdAt), \(bind: key.keyID),
                        \(bind: signature.base64EncodedString()))
                """).run()
            return head.seq
        }
    }

    /// The sequence number of the newest entry (0 for an empty log).
    public func headSequence() async throws -> Int64 {
        try await database.withConnection { try await SQLAuditLog.head($0)?.seq ?? 0 }
    }

    /// How many entries have been appended since the last checkpoint.
    public func entriesSinceCheckpoint() async throws -> Int64 {
        try await database.withConnection { db in
            struct Row: Decodable { var n: Int64? }
            let head = try await SQLAuditLog.head(db)?.seq ?? 0
            let last = try await db.raw("SELECT MAX(size) AS n FROM audit_checkpoints").first(decoding: Row.self)?.n ?? 0
            return head - last
        }
    }

    /// Recomputes the whole chain and checks every checkpoint; stops at the first bad entry.
    public func verify() async throws -> AuditVerification {
        let key = self.key
        let keyID = key.keyID
        return try await database.withConnection { db in
            let publicKey = key.publicKey
            struct Checkpoint: Decodable { var size: Int64; var headHash: String; var createdAt: Int64; var keyId: String; var signature: String }
            struct Anchor: Decodable { var firstSeq: Int64; var prevHash: String }
            let checkpoints = try await db.raw("SELECT * FROM audit_checkpoints ORDER BY size")
                .all(decoding: Checkpoint.self, with: snakeCase)
            for checkpoint in checkpoints {
                let message = AuditChain.checkpointMessage(size: checkpoint.size, head: checkpoint.headHash, createdAt: checkpoint.createdAt)
                guard checkpoint.keyId == keyID, let signature = Data(base64Encoded: checkpoint.signature),
                      publicKey.isValidSignature(signature, for: message) else {
                    return AuditVerification(entries: 0, checkpoints: checkpoints.count, firstBad: checkpoint.size,
                                             problem: "checkpoint at size \(checkpoint.size) has a bad signature")
                }
            }
            let heads = Dictionary(checkpoints.map { ($0.size, $0.headHash) }, uniquingKeysWith: { first, _ in first })
            let anchor = try await db.raw("SELECT * FROM audit_anchors ORDER BY first_seq DESC LIMIT 1")
                .first(decoding: Anchor.self, with: snakeCase)
            var expectedSeq = anchor?.firstSeq ?? 1
            var previous = anchor?.prevHash ?? AuditChain.genesis
            var count = 0
            func bad(_ seq: Int64, _ problem: String) -> AuditVerification {
                AuditVerification(entries: count, checkpoints: checkpoints.count, firstBad: seq, problem: problem)
            }
            while true {
                let batch = try await db.raw("""
                    SELECT * FROM audit_entries WHERE seq >= \(bind: expectedSeq) ORDER BY seq LIMIT 1000
                    """).all(decoding: AuditRow.self, with: snakeCase)
                if batch.isEmpty { break }
                for row in batch {
                    if row.seq != expectedSeq { return bad(expectedSeq, "entry missing") }
                    if row.prevHash != previous { return bad(row.seq, "does not link to the previous entry") }
                    let recomputed = AuditChain.hash(previous: previous, row.fields)
                    if recomputed != row.hash { return bad(row.seq, "content does not match its hash") }
                    if let signed = heads[row.seq], signed != row.hash {
                        return bad(row.seq, "differs from the signed checkpoint")
                    }
                    previous = row.hash
                    expectedSeq += 1
                    count += 1
                }
            }
            if let lastCheckpoint = checkpoints.last, lastCheckpoint.size >= expectedSeq {
                return bad(expectedSeq, "entries up to \(lastCheckpoint.size) were signed but are missing")
            }
            let total = try await db.count("audit_entries", Conditions())
            if total != count { return bad(expectedSeq, "entries outside the chain") }
            return AuditVerification(entries: count, checkpoints: checkpoints.count, firstBad: nil, problem: nil)
        }
    }
}

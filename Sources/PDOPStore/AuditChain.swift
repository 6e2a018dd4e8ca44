import Crypto
import Foundation

/// The hash chain of the audit log: `hash = SHA-256(prev_hash ‖ canonical(entry))`, hex encoded.
/// The canonical form is language-neutral: every field in a fixed order as `<byte length>:<bytes>`,
/// or `~` for null, so an external verifier can recompute it without a JSON library.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    public struct Fields: Sendable, Equatable {
        var seq: Int64
        var at: Int64
        var actorUserID: String?
        var actorName: String
        var organizationID: String?
        var roles: String
        var action: String
        var objectType: String
        var objectID: String?
        var objectLabel: String?
        var outcome: String
        var reason: String?
        var requestID: String?
        var sourceIP: String?
        var details: String
    }

    public static func canonical(_ f: Fields) -> [UInt8] {
        let values: [String?] = ["pdop-audit-v1", String(f.seq), String(f.at), f.actorUserID, f.actorName, f.organizationID,
                                 f.roles, f.action, f.objectType, f.objectID, f.objectLabel, f.outcome, f.reason,
                                 f.requestID, f.sourceIP, f.details]
        var bytes: [UInt8] = []
        for value in values {
            if let value {
                let utf8 = Array(value.utf8)
                bytes += Array("\(utf8.count):".utf8) + utf8
            } else {
                bytes += Array("~".utf8)
            }
        }
        return bytes
    }

    public static func hash(previous: String, _ fields: Fields) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(previous.utf8))
        hasher.update(data: canonical(fields))
        return hasher.finalize().hex
    }

    /// The message a checkpoint signature covers.
    static func checkpointMessage(size: Int64, head: String, createdAt: Int64) -> Data {
        Data("pdop-audit-checkpoint\n\(size)\n\(head)\n\(createdAt)\n".utf8)
    }
}

extension Sequence where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// An Ed25519 key kept in a file of the data directory with mode 0600, created on first use.
public struct SigningKey: Sendable {
    /// Raw key bytes; the CryptoKit key types are not Sendable, so they are rebuilt where used.
    let raw: Data

    public var privateKey: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: raw) }
    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }
    public var keyID: String { String(SHA256.hash(data: publicKey.rawRepresentation).hex.prefix(16)) }

    public init(privateKey: Curve25519.Signing.PrivateKey) { raw = privateKey.rawRepresentation }

    public static func loadOrCreate(at path: String) throws -> SigningKey {
        let manager = FileManager.default
        if let data = manager.contents(atPath: path) {
            guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw StoreError.configuration("key file \(path) is not base64")
            }
            return SigningKey(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        }
        try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                    attributes: [.posixPermissions: 0o700])
        let key = Curve25519.Signing.PrivateKey()
        guard manager.createFile(atPath: path, contents: Data(key.rawRepresentation.base64EncodedString().utf8),
                                 attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.configuration("cannot write key file \(path)")
        }
        return SigningKey(privateKey: key)
    }
}

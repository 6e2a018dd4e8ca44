import Crypto
import Foundation
import PDOPDomain

/// The county contract seal (R1, R9.5) as an Ed25519 key: SHA-256 digest of the canonical document,
/// signature over the document itself.
public struct Ed25519ContractSeal: ContractSeal {
    let key: SigningKey

    public init(key: SigningKey) { self.key = key }

    public var keyID: String { key.keyID }
    public var publicKey: String { key.publicKey.rawRepresentation.base64EncodedString() }

    public func digest(_ document: Data) -> String { Self.digest(of: document) }

    /// The SHA-256 digest a seal records, which anyone can recompute without the key.
    public static func digest(of document: Data) -> String { SHA256.hash(data: document).hex }

    public func sign(_ document: Data) throws -> String {
        try key.privateKey.signature(for: document).base64EncodedString()
    }

    public func verify(_ document: Data, signature: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.publicKey.isValidSignature(bytes, for: document)
    }

    /// Checks a seal against a published public key alone, as a member of the public would.
    public static func verify(_ document: Data, signature: String, publicKey: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature), let raw = Data(base64Encoded: publicKey),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(bytes, for: document)
    }
}

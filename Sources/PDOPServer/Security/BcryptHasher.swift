import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import PDOPDomain

/// bcrypt, run on the thread pool so event loops never block on it. Passwords are pre-hashed
/// with SHA-256 (base64, 44 bytes) so bcrypt's 72-byte limit never truncates a long passphrase.
public struct BcryptHasher: PasswordHasher {
    let cost: UInt8
    let dummyHash: String

    public init(cost: UInt8) {
        self.cost = cost
        self.dummyHash = Bcrypt.hash(Self.prehash("pdop-dummy-password"), cost: cost)
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(Self.prehash(password), cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(Self.prehash(password), hash: hash) }
    }

    public func burnVerification(_ password: String) async throws {
        _ = try await verify(password, hash: dummyHash)
    }
}

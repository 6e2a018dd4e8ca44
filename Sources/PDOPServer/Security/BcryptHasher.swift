import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import PDOPDomain

/// bcrypt, run on the thread pool so event loops never block on it. Passwords are pre-hashed
/// with SHA-256 (base64, 44 bytes) so bcrypt's 72-byte limit never truncates a long passphrase.
public struct BcryptHasher: PasswordHasher {
    let cost: UInt8
    /// Made on first use, not at start-up: every CLI command builds the services, and a cost-12
    /// hash is a quarter of a second of CPU that `pdop load` would otherwise pay for nothing.
    private let dummy: DummyHash

    public init(cost: UInt8) {
        self.cost = cost
        dummy = DummyHash()
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
        let cost = self.cost, dummy = self.dummy
        _ = try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(Self.prehash(password), hash: dummy.hash(cost: cost))
        }
    }
}

/// The hash an unknown account's password is checked against, so that the answer takes as long
/// as for a known one. Computed once, under a lock, on the thread pool.
private final class DummyHash: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?

    func hash(cost: UInt8) -> String {
        lock.withLock {
            if let value { return value }
            let made = Bcrypt.hash(BcryptHasher.prehash("pdop-dummy-password"), cost: cost)
            value = made
            return made
        }
    }
}

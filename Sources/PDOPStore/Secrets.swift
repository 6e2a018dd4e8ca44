import Crypto
import Foundation
import PDOPDomain

/// 256-bit random secrets (base64url) and their SHA-256 digests; only digests are stored.
public struct RandomSecretMinter: SecretMinter {
    public init() {}

    public func newSecret(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    public func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hex
    }
}

/// Random identifiers with a readable prefix, e.g. `org_3f9a…`.
public struct RandomIdentifiers: IdentifierGenerator {
    public init() {}
    public func next(prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20))"
    }
}

/// Deterministic identifiers for the demo county and tests: `org_000001`, `org_000002`, …
public final class SequentialIdentifiers: IdentifierGenerator, @unchecked Sendable {
    // Invariant: `counters` is only touched while holding `lock`.
    private let lock = NSLock()
    private var counters: [String: Int] = [:]
    private let namespace: String

    public init(namespace: String = "") { self.namespace = namespace }

    public func next(prefix: String) -> String {
        lock.withLock {
            counters[prefix, default: 0] += 1
            return "\(prefix)_\(namespace)\(String(format: "%06d", counters[prefix]!))"
        }
    }
}

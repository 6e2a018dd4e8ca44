import Foundation
import PDOPDomain
import PDOPStore

/// Everything `pdop serve` can be told, from flags or the environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var store: StoreConfiguration
    public var policy: PolicySettings
    /// bcrypt cost; 12 in production (CRY-7), lower only in tests.
    public var passwordCost: UInt8
    /// Mark cookies `Secure`; on when served behind TLS.
    public var secureCookies: Bool
    public var loadDemo: Bool
    /// Size of the demo datasets loaded with the county (1 = a million hospital visits).
    public var demoScale: Double

    public init(host: String = "127.0.0.1", port: Int = 8080, store: StoreConfiguration,
                policy: PolicySettings = .plan, passwordCost: UInt8 = 12, secureCookies: Bool = false, loadDemo: Bool = false,
                demoScale: Double = 0.01) {
        self.host = host
        self.port = port
        self.store = store
        self.policy = policy
        self.passwordCost = passwordCost
        self.secureCookies = secureCookies
        self.loadDemo = loadDemo
        self.demoScale = demoScale
    }

    /// Reads `PDOP_HOST`, `PDOP_PORT`, `PDOP_DATA_DIR`, `PDOP_DATABASE_URL`, `PDOP_POLICY_FILE`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        var configuration = ServerConfiguration(store: StoreConfiguration(
            dataDirectory: env["PDOP_DATA_DIR"] ?? "./data", databaseURL: env["PDOP_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }))
        if let host = env["PDOP_HOST"] { configuration.host = host }
        if let port = env["PDOP_PORT"].flatMap(Int.init) { configuration.port = port }
        if let file = env["PDOP_POLICY_FILE"] { configuration.policy = try loadPolicy(file) }
        return configuration
    }

    public static func loadPolicy(_ path: String) throws -> PolicySettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.configuration("cannot read policy file \(path)")
        }
        return try PolicySettings.load(json: data)
    }
}

import Foundation
import Logging

/// Where the platform keeps its two stores and its keys.
public struct StoreConfiguration: Sendable {
    public var dataDirectory: String
    /// nil: embedded SQLite files in `dataDirectory`. Else a postgres:// URL for both stores.
    public var databaseURL: String?
    public var platformSchema: String
    public var domainSchema: String
    public var domainReaderRole: String?

    public init(dataDirectory: String, databaseURL: String? = nil, platformSchema: String = "pdop",
                domainSchema: String = "pdop_domain", domainReaderRole: String? = "pdop_domain_reader") {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.platformSchema = platformSchema
        self.domainSchema = domainSchema
        self.domainReaderRole = domainReaderRole
    }

    public var auditKeyPath: String { (dataDirectory as NSString).appendingPathComponent("keys/audit-ed25519.key") }
    /// The county contract seal (R1): a key of its own, never the audit key.
    public var sealKeyPath: String { (dataDirectory as NSString).appendingPathComponent("keys/contract-seal-ed25519.key") }
}

public struct OpenedStores: Sendable {
    public let platform: DatabaseHandle
    public let domain: DatabaseHandle
    public let auditKey: SigningKey
    public let sealKey: SigningKey
    public let appliedMigrations: [Int]

    public func close() async {
        await platform.close()
        await domain.close()
    }
}

public enum StoreBootstrap {
    /// Opens (creating if needed) both stores and the audit key, and migrates both stores.
    public static func open(_ configuration: StoreConfiguration, logger: Logger = Logger(label: "pdop.store"),
                            now: Date = Date()) async throws -> OpenedStores {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let platform: DatabaseHandle
        let domain: DatabaseHandle
        if let url = configuration.databaseURL {
            for name in [configuration.platformSchema, configuration.domainSchema] + [configuration.domainReaderRole].compactMap({ $0 })
            where !DatabaseHandle.isSafeIdentifier(name) {
                throw StoreError.configuration("\(name) is not a valid PostgreSQL identifier (a–z, 0–9, _)")
            }
            platform = try await DatabaseHandle.open(.postgres(url: url, schema: configuration.platformSchema), logger: logger)
            domain = try await DatabaseHandle.open(.postgres(url: url, schema: configuration.domainSchema), logger: logger)
        } else {
            let directory = configuration.dataDirectory as NSString
            platform = try await DatabaseHandle.open(.sqliteFile(directory.appendingPathComponent("platform.sqlite")), logger: logger)
            domain = try await DatabaseHandle.open(.sqliteFile(directory.appendingPathComponent("domain.sqlite")), logger: logger)
        }
        return try await migrate(platform: platform, domain: domain, domainReaderRole: configuration.domainReaderRole,
                                 auditKey: try SigningKey.loadOrCreate(at: configuration.auditKeyPath),
                                 sealKey: try SigningKey.loadOrCreate(at: configuration.sealKeyPath), now: now)
    }

    /// Migrates two opened stores; tests use this with in-memory SQLite or per-test PostgreSQL schemas.
    public static func migrate(platform: DatabaseHandle, domain: DatabaseHandle, domainReaderRole: String?,
                               auditKey: SigningKey, sealKey: SigningKey, now: Date = Date()) async throws -> OpenedStores {
        let applied = try await PlatformSchema.runner.migrate(platform, now: now)
        try await DomainStoreSchema.runner(schema: domain.schema, readerRole: domainReaderRole).migrate(domain, now: now)
        return OpenedStores(platform: platform, domain: domain, auditKey: auditKey, sealKey: sealKey, appliedMigrations: applied)
    }
}

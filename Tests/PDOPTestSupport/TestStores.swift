import Crypto
import Foundation
import PDOPStore
import SQLKit

/// A fresh pair of stores for one test: in-memory SQLite, or, when `PDOP_TEST_POSTGRES_URL` is set,
/// two new PostgreSQL schemas that are dropped afterwards.
public enum TestStores {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PDOP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var flavor: SQLFlavor { postgresURL == nil ? .sqlite : .postgres }

    public static func open() async throws -> OpenedStores {
        let key = SigningKey(privateKey: Curve25519.Signing.PrivateKey())
        let seal = SigningKey(privateKey: Curve25519.Signing.PrivateKey())
        if let url = postgresURL {
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            let platform = try await DatabaseHandle.open(.postgres(url: url, schema: String(schema), maxConnections: 2))
            let domain = try await DatabaseHandle.open(.postgres(url: url, schema: "\(schema)_d", maxConnections: 1))
            return try await StoreBootstrap.migrate(platform: platform, domain: domain, domainReaderRole: "pdop_test_domain_reader",
                                                    auditKey: key, sealKey: seal)
        }
        let platform = try await DatabaseHandle.open(.sqliteMemory)
        let domain = try await DatabaseHandle.open(.sqliteMemory)
        return try await StoreBootstrap.migrate(platform: platform, domain: domain, domainReaderRole: nil, auditKey: key, sealKey: seal)
    }

    /// One empty database (no migrations), for tests of the migration runner itself.
    public static func scratch() async throws -> DatabaseHandle {
        if let url = postgresURL {
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            return try await DatabaseHandle.open(.postgres(url: url, schema: String(schema), maxConnections: 1))
        }
        return try await DatabaseHandle.open(.sqliteMemory)
    }

    public static func drop(_ database: DatabaseHandle) async {
        if let schema = database.schema {
            try? await database.withConnection { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
        }
        await database.close()
    }

    /// Drops the test's PostgreSQL schemas (nothing to do for in-memory SQLite) and closes the stores.
    public static func dispose(_ stores: OpenedStores) async {
        await drop(stores.platform)
        await drop(stores.domain)
    }

    /// Runs `body` with fresh stores and always cleans up.
    public static func with<T: Sendable>(_ body: (OpenedStores) async throws -> T) async throws -> T {
        let stores = try await open()
        do {
            let value = try await body(stores)
            await dispose(stores)
            return value
        } catch {
            await dispose(stores)
            throw error
        }
    }
}

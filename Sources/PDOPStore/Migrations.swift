import Foundation
import SQLKit

/// One schema step. Statements are per flavor where the two databases differ (triggers), else shared.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var statements: @Sendable (SQLFlavor) -> [String]

    public init(version: Int, name: String, statements: @escaping @Sendable (SQLFlavor) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies migrations in order, each in its own transaction with its version row, and refuses to
/// run against a schema newer than it knows. Safe to start on several instances at once (PostgreSQL
/// takes a transaction-scoped advisory lock and re-reads the version inside it).
public struct MigrationRunner: Sendable {
    public let migrations: [Migration]
    public let lockKey: Int

    public init(migrations: [Migration], lockKey: Int) {
        precondition(migrations.map(\.version) == Array(1...migrations.count), "migrations must be numbered 1…n")
        self.migrations = migrations
        self.lockKey = lockKey
    }

    public var latest: Int { migrations.count }

    /// Returns the versions applied by this call.
    @discardableResult
    public func migrate(_ database: DatabaseHandle, now: Date = Date()) async throws -> [Int] {
        try await database.transaction { db in
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """).run()
        }
        var applied: [Int] = []
        for migration in migrations {
            let ran = try await database.transaction { db -> Bool in
                if database.flavor == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(\(literal: lockKey))").run()
                }
                let current = try await Self.currentVersion(db)
                if current > latest { throw StoreError.schemaTooNew(found: current, known: latest) }
                guard current < migration.version else { return false }
                for statement in migration.statements(database.flavor) {
                    try await db.raw(SQLQueryString(unsafeRaw: statement)).run()
                }
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now.millis))
                    """).run()
                return true
            }
            if ran { applied.append(migration.version) }
        }
        let final = try await database.withConnection { try await Self.currentVersion($0) }
        if final > latest { throw StoreError.schemaTooNew(found: final, known: latest) }
        return applied
    }

    static func currentVersion(_ db: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var v: Int? }
        return try await db.raw("SELECT MAX(version) AS v FROM schema_migrations").first(decoding: Row.self)?.v ?? 0
    }
}

extension SQLQueryString {
    init(unsafeRaw sql: String) {
        self.init("")
        self.appendInterpolation(unsafeRaw: sql)
    }
}

extension Date {
    /// Times are stored as milliseconds since 1970 (UTC) in BIGINT columns on both databases.
    public var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    public init(millis: Int64) { self.init(timeIntervalSince1970: TimeInterval(millis) / 1000) }
}

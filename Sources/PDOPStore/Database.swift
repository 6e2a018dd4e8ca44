import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit

public enum SQLFlavor: String, Sendable {
    case sqlite, postgres
}

/// Where a store lives: a SQLite file (or memory), or a PostgreSQL schema.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteMemory
    case sqliteFile(String)
    /// `url` is postgres://user:pass@host:port/db; `schema` is created if missing and put first on the search path.
    case postgres(url: String, schema: String, maxConnections: Int = 10)
}

/// One database with a transaction primitive. SQLite: a single connection guarded by a FIFO lock
/// (one writer, as DESIGN.md says). PostgreSQL: a `PostgresClient` pool; each transaction leases a connection.
public final class DatabaseHandle: Sendable {
    public let flavor: SQLFlavor
    let sqlite: SQLiteConnection?
    let lock = AsyncLock()
    let postgres: PostgresClient?
    let runTask: Task<Void, Never>?
    public let schema: String?

    private init(flavor: SQLFlavor, sqlite: SQLiteConnection?, postgres: PostgresClient?, runTask: Task<Void, Never>?, schema: String?) {
        self.flavor = flavor
        self.sqlite = sqlite
        self.postgres = postgres
        self.runTask = runTask
        self.schema = schema
    }

    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "pdop.db")) async throws -> DatabaseHandle {
        switch location {
        case .sqliteMemory:
            let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
            let handle = DatabaseHandle(flavor: .sqlite, sqlite: connection, postgres: nil, runTask: nil, schema: nil)
            try await handle.pragmas(file: false)
            return handle
        case .sqliteFile(let path):
            let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            let handle = DatabaseHandle(flavor: .sqlite, sqlite: connection, postgres: nil, runTask: nil, schema: nil)
            try await handle.pragmas(file: true)
            return handle
        case .postgres(let url, let schema, let maxConnections):
            guard Self.isSafeIdentifier(schema) else { throw StoreError.configuration("invalid schema name \(schema)") }
            var configuration = try Self.postgresConfiguration(url)
            configuration.options.additionalStartupParameters = [("search_path", schema)]
            configuration.options.maximumConnections = maxConnections
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let task = Task { await client.run() }
            let handle = DatabaseHandle(flavor: .postgres, sqlite: nil, postgres: client, runTask: task, schema: schema)
            try await handle.withConnection { db in
                try await db.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
            return handle
        }
    }

    /// Durability settings the audit log relies on (REL-6): WAL, synchronous=FULL, foreign keys.
    private func pragmas(file: Bool) async throws {
        try await withConnection { db in
            if file {
                try await db.raw("PRAGMA journal_mode=WAL").run()
                try await db.raw("PRAGMA busy_timeout=10000").run()
            }
            try await db.raw("PRAGMA synchronous=FULL").run()
            try await db.raw("PRAGMA foreign_keys=ON").run()
        }
    }

    static func isSafeIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 48 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        } && !("0"..."9").contains(name.unicodeScalars.first!)
    }

    static func postgresConfiguration(_ url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql", let host = components.host, let user = components.user else {
            throw StoreError.configuration("PDOP_DATABASE_URL must look like postgres://user:password@host:port/database")
        }
        let database = components.path.isEmpty ? nil : String(components.path.dropFirst())
        let requireTLS = components.queryItems?.first(where: { $0.name == "sslmode" })?.value == "require"
        let tls: PostgresClient.Configuration.TLS = requireTLS ? .require(.makeClientConfiguration()) : .disable
        return PostgresClient.Configuration(host: host, port: components.port ?? 5432, username: user,
                                            password: components.password, database: database, tls: tls)
    }

    /// Runs `body` with exclusive use of one connection (no transaction).
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let sqlite {
            return try await lock.withLock { try await body(sqlite.sql(queryLogLevel: nil)) }
        }
        return try await postgres!.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil))
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: SQLQueryString = flavor == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withConnection { db in
            try await db.raw(begin).run()
            do {
                let value = try await body(db)
                try await db.raw("COMMIT").run()
                return value
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func close() async {
        if let sqlite { try? await sqlite.close() }
        runTask?.cancel()
        await runTask?.value
    }
}

public enum StoreError: Error, CustomStringConvertible, Sendable {
    case configuration(String)
    case schemaTooNew(found: Int, known: Int)
    case integrity(String)

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .schemaTooNew(let found, let known):
            "the database schema is at version \(found), newer than this pdop knows (\(known)); upgrade pdop"
        case .integrity(let message): message
        }
    }
}

import Foundation
import PDOPDomain
import SQLKit

/// `PlatformStore` on SQLKit: one SQL transaction per domain transaction, audit included.
public struct SQLPlatformStore: PlatformStore {
    public let database: DatabaseHandle

    public init(database: DatabaseHandle) { self.database = database }

    public func transaction<T: Sendable>(_ work: @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        try await database.transaction { db in
            try await work(SQLStoreTransaction(db: db, flavor: database.flavor))
        }
    }
}

struct SQLStoreTransaction: StoreTransaction {
    let db: any SQLDatabase
    let flavor: SQLFlavor

    var organizations: any OrganizationRepository { SQLOrganizations(db: db) }
    var users: any UserRepository { SQLUsers(db: db) }
    var credentials: any CredentialRepository { SQLCredentials(db: db) }
    var loginAttempts: any LoginAttemptRepository { SQLLoginAttempts(db: db) }
    var memberships: any MembershipRepository { SQLMemberships(db: db) }
    var audit: any AuditLog { SQLAuditLog(db: db, flavor: flavor) }
    var catalog: any CatalogRepository { SQLCatalog(db: db, flavor: flavor) }
    var supply: any SupplyRepository { SQLSupply(db: db) }
    var deadlines: any DeadlineRepository { SQLDeadlines(db: db, flavor: flavor) }
    var loads: any DataLoadRepository { SQLDataLoads(db: db) }
    var lifecycle: any LifecycleRepository { SQLLifecycle(db: db) }
    var timeline: any TimelineRepository { SQLTimeline(db: db) }
    var categories: any CategoryRepository { SQLCategories(db: db) }
    var usage: any UsageRepository { SQLUsage(db: db) }

    /// The two-key advisory lock space, under a namespace of its own: it never meets the audit
    /// chain's or the migrations' single-key locks. A hash collision only serialises two keys.
    func lockForUpdate(key: String) async throws {
        guard flavor == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(\(literal: Self.recordLockNamespace), hashtext(\(bind: key)))").run()
    }

    static let recordLockNamespace = 74_210_010
}

let snakeCase = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

/// Builds `WHERE a AND b …` from optional conditions.
struct Conditions {
    private var parts: [SQLQueryString] = []

    mutating func add(_ part: SQLQueryString) { parts.append(part) }

    /// Case-insensitive substring match over several columns, with LIKE wildcards escaped.
    mutating func addSearch(_ text: String?, columns: [String]) {
        guard let text, !text.isEmpty else { return }
        let pattern = "%\(Self.escapeLike(text.lowercased()))%"
        let ors = columns.map { column -> SQLQueryString in
            "LOWER(COALESCE(\(ident: column), '')) LIKE \(bind: pattern) ESCAPE '\\'"
        }
        parts.append("(" + ors.joined(separator: " OR ") + ")")
    }

    /// LIKE wildcards in user text match themselves.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    var sql: SQLQueryString {
        parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")
    }
}

struct CountRow: Decodable { var n: Int }

extension SQLDatabase {
    func count(_ from: SQLQueryString, _ conditions: Conditions) async throws -> Int {
        try await raw("SELECT COUNT(*) AS n FROM " + from + conditions.sql).first(decoding: CountRow.self)?.n ?? 0
    }
}

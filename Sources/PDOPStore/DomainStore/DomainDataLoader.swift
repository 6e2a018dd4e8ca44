import Foundation
import PDOPDomain
import PDOPIngest
import SQLKit

/// What a load produced, kept with the load history: the schema as read, the personal data
/// detected (for the provider to confirm), and the profile of every column (R5, issue 3).
public struct LoadReport: Codable, Equatable, Sendable {
    public struct Column: Codable, Equatable, Sendable {
        public var name: String
        public var type: String
        public var personalData: String?
        public var personalDataSummary: String?
        /// Of the sampled non-null values, how many matched the detected kind.
        public var personalDataMatches: Int?
        public var sampledValues: Int?
    }

    public struct Profile: Codable, Equatable, Sendable {
        public struct Top: Codable, Equatable, Sendable { public var value: String; public var count: Int }
        public var name: String
        public var rowCount: Int
        public var nullRate: Double
        public var distinctCount: Int
        public var distinctCountIsExact: Bool
        public var minimum: String?
        public var maximum: String?
        public var topValues: [Top]?
    }

    public var dataVersion: Int
    public var rows: Int
    public var bytes: Int
    public var encoding: String
    public var columns: [Column]
    public var profiles: [Profile]

    init(dataVersion: Int, summary: IngestSummary) {
        self.dataVersion = dataVersion
        rows = summary.recordCount
        bytes = summary.inputBytes
        encoding = summary.encoding.rawValue
        columns = summary.schema.columns.map {
            Column(name: $0.name, type: $0.type.rawValue, personalData: $0.proposal?.kind.rawValue, personalDataSummary: $0.proposal?.summary,
                   personalDataMatches: $0.proposal?.matchingValues, sampledValues: $0.proposal?.nonNullValues)
        }
        profiles = summary.profiles.map { profile in
            Profile(name: profile.name, rowCount: profile.rowCount, nullRate: profile.nullRate, distinctCount: profile.distinctCount,
                    distinctCountIsExact: profile.distinctCountIsExact, minimum: profile.minimum?.displayText,
                    maximum: profile.maximum?.displayText,
                    topValues: profile.topValues?.map { Profile.Top(value: $0.value.displayText ?? "", count: $0.count) })
        }
    }
}

/// Loads uploads into the domain store. A load is one transaction there: a failed load leaves
/// the previous version intact. A replacing load makes a new version table and keeps the old one.
public struct DomainDataLoader: Sendable {
    let database: DatabaseHandle

    public init(database: DatabaseHandle) { self.database = database }

    struct Version: Decodable { var dataVersion: Int; var tableName: String; var schema: String }
    struct Latest: Decodable { var v: Int? }

    /// `chunks` is read as the load goes, so a large upload streams from the request into the store.
    /// `catalogColumns`, when not empty, are the names the file's columns must have (R3, R5).
    public func load<Chunks: AsyncSequence & Sendable>(resource: ResourceID, mode: LoadMode, configuration: IngestConfiguration,
                                                       chunks: Chunks, now: Date, catalogColumns: [ColumnSpec] = []) async throws -> LoadReport
    where Chunks.Element == [UInt8] {
        let sqlite = database.sqlite
        return try await database.transaction { db in
            let current = try await db.raw("""
                SELECT data_version, table_name, schema FROM datasets WHERE resource_id = \(bind: resource.rawValue) AND is_current = 1
                """).first(decoding: Version.self, with: snakeCase)
            let version: Int
            let sink: DomainStoreSink
            switch mode {
            case .replace:
                version = (try await db.raw("SELECT MAX(data_version) AS v FROM datasets WHERE resource_id = \(bind: resource.rawValue)")
                    .first(decoding: Latest.self)?.v ?? 0) + 1
                sink = DomainStoreSink(db: db, sqlite: sqlite, table: Self.tableName(resource, version), createTable: true, expected: nil)
            case .append:
                guard let current else {
                    throw DomainError.invalid("mode", "there is no data to append to yet; load with mode=replace first", rule: "R5")
                }
                version = current.dataVersion
                let expected = try JSONDecoder().decode([StoredColumn].self, from: Data(current.schema.utf8))
                sink = DomainStoreSink(db: db, sqlite: sqlite, table: current.tableName, createTable: false, expected: expected)
            }
            let summary: IngestSummary
            do {
                let checked = ColumnCheckingSink(sink) { names in try InferredSchema.checkFileColumns(names, against: catalogColumns) }
                let pipeline = try IngestPipeline(configuration: configuration, sink: checked)
                for try await chunk in chunks { try await pipeline.feed(chunk) }
                summary = try await pipeline.finish()
            } catch {
                // No insert may still run when the transaction rolls back.
                try? await sink.settle()
                throw error
            }
            switch mode {
            case .replace:
                let schema = String(decoding: try JSONEncoder.sorted.encode(sink.columns), as: UTF8.self)
                try await db.raw("UPDATE datasets SET is_current = 0 WHERE resource_id = \(bind: resource.rawValue)").run()
                try await db.raw("""
                    INSERT INTO datasets (resource_id, data_version, table_name, row_count, schema, created_at, is_current)
                    VALUES (\(bind: resource.rawValue), \(bind: version), \(bind: sink.table), \(bind: Int64(sink.rows)), \(bind: schema),
                        \(bind: now.millis), 1)
                    """).run()
            case .append:
                try await db.raw("""
                    UPDATE datasets SET row_count = row_count + \(bind: Int64(sink.rows))
                    WHERE resource_id = \(bind: resource.rawValue) AND data_version = \(bind: version)
                    """).run()
            }
            return LoadReport(dataVersion: version, summary: summary)
        }
    }

    /// Row count of the current version, for tests and the catalog's figures.
    public func currentRowCount(_ resource: ResourceID) async throws -> Int? {
        struct Row: Decodable { var rowCount: Int64 }
        return try await database.withConnection { db in
            try await db.raw("SELECT row_count FROM datasets WHERE resource_id = \(bind: resource.rawValue) AND is_current = 1")
                .first(decoding: Row.self, with: snakeCase).map { Int($0.rowCount) }
        }
    }

    /// Identifiers come from the platform's own ids, never from the upload.
    static func tableName(_ resource: ResourceID, _ version: Int) -> String {
        let safe = resource.rawValue.lowercased().filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        return "ds_\(safe.prefix(40))_v\(version)"
    }
}

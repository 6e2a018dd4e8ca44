import Foundation
import PDOPDomain
import PDOPIngest
import PDOPStore
import PDOPTestSupport
import SQLKit
import Testing

/// The domain store's insert path (R5): typed values as stored, batches split over statements,
/// and one transaction per load. Runs on SQLite (the direct path) and, with
/// PDOP_TEST_POSTGRES_URL, on PostgreSQL (the SQLKit path).
@Suite("Domain store loads")
struct DomainLoadTests {
    static let resource = ResourceID("res_loadtest01")
    static let header = "数量,金额,日期,时间,是否,名称\n"

    /// A file's bytes in small chunks, so records straddle chunk boundaries.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = [UInt8]
        let bytes: [UInt8]
        struct AsyncIterator: AsyncIteratorProtocol {
            var rest: ArraySlice<UInt8>
            mutating func next() async -> [UInt8]? {
                guard !rest.isEmpty else { return nil }
                defer { rest = rest.dropFirst(997) }
                return Array(rest.prefix(997))
            }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: bytes[...]) }
    }

    struct Row: Decodable, Equatable {
        var n: Int64?
        var amount: Double?
        var day: Int64?
        var moment: Int64?
        var flag: Int64?
        var name: String?
    }

    static func load(_ stores: OpenedStores, _ csv: String, mode: LoadMode = .replace,
                     configuration: IngestConfiguration = IngestConfiguration(sampleSize: 20, batchSize: 700)) async throws -> LoadReport {
        try await DomainDataLoader(database: stores.domain).load(resource: resource, mode: mode, configuration: configuration,
                                                                 chunks: Chunks(bytes: Array(csv.utf8)), now: Date())
    }

    /// The current version's table name and its rows, ordered by the first column (nulls first).
    static func currentRows(_ stores: OpenedStores) async throws -> (table: String, rows: [Row]) {
        struct Current: Decodable { var tableName: String }
        return try await stores.domain.withConnection { db in
            let table = try await db.raw("SELECT table_name FROM datasets WHERE resource_id = \(bind: resource.rawValue) AND is_current = 1")
                .first(decoding: Current.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))!.tableName
            let rows = try await db.raw("""
                SELECT 数量 AS n, 金额 AS amount, 日期 AS day, 时间 AS moment, 是否 AS flag, 名称 AS name
                FROM \(ident: table) ORDER BY CASE WHEN 数量 IS NULL THEN 0 ELSE 1 END, 数量
                """).all(decoding: Row.self)
            return (table, rows)
        }
    }

    static func tableExists(_ stores: OpenedStores, _ table: String) async -> Bool {
        (try? await stores.domain.withConnection { db in try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").run() }) != nil
    }

    @Test("every kind of typed value, and a typed null in every column, is stored as the SQLKit path stores it")
    func everyKindRoundTrips() async throws {
        try await TestStores.with { stores in
            let csv = Self.header + """
                7,1.5,2024-02-29,2024-02-29 13:45:10.123456,true,新昌
                ,,,,,
                -9007199254740993,-0.25,1970-01-01,1969-12-31 23:59:59,n,"a ""quoted"", text"
                0,0,1969-12-31,1970-01-01,是,\(String(repeating: "长", count: 300))

                """
            let report = try await Self.load(stores, csv)
            #expect(report.rows == 4)
            #expect(report.columns.map(\.type) == ["integer", "decimal", "date", "timestamp", "boolean", "text"])
            let (table, rows) = try await Self.currentRows(stores)
            #expect(rows == [
                Row(n: nil, amount: nil, day: nil, moment: nil, flag: nil, name: nil),
                Row(n: -9_007_199_254_740_993, amount: -0.25, day: 0, moment: -1_000_000, flag: 0, name: #"a "quoted", text"#),
                Row(n: 0, amount: 0, day: -1, moment: 0, flag: 1, name: String(repeating: "长", count: 300)),
                Row(n: 7, amount: 1.5, day: 19_782, moment: 1_709_214_310_123_456, flag: 1, name: "新昌"),
            ])
            guard TestStores.flavor == .sqlite else { return }
            // SQLite keeps a value's own storage class, so a number bound as text would show here.
            struct Kinds: Decodable, Equatable { var kinds: String }
            let kinds = try await stores.domain.withConnection { db in
                try await db.raw("""
                    SELECT typeof(数量) || ' ' || typeof(金额) || ' ' || typeof(日期) || ' ' || typeof(时间) || ' ' || typeof(是否)
                        || ' ' || typeof(名称) AS kinds FROM \(ident: table) ORDER BY rowid
                    """).all(decoding: Kinds.self).map(\.kinds)
            }
            #expect(kinds == ["integer real integer integer integer text", "null null null null null null",
                              "integer real integer integer integer text", "integer real integer integer integer text"])
        }
    }

    static func rows(_ range: Range<Int>, badAt bad: Int? = nil) -> String {
        Self.header + range.map { index in
            "\(index == bad ? "x" : String(index)),\(Double(index) / 4),2025-01-\(index % 28 + 1),2025-01-01 00:00:\(String(format: "%02d", index % 60)),"
                + "\(index % 2 == 0 ? "Y" : "N"),名\(index)\n"
        }.joined()
    }

    @Test("batches longer than one statement and a short last statement all arrive, in file order")
    func batchesSplitOverStatements() async throws {
        try await TestStores.with { stores in
            // 700-record batches: one full statement and a partial one each; 2,345 rows end on a short batch.
            let report = try await Self.load(stores, Self.rows(0..<2_345))
            #expect(report.rows == 2_345)
            let (_, rows) = try await Self.currentRows(stores)
            #expect(rows.map(\.n) == (0..<2_345).map { Int64($0) })
            #expect(rows.map(\.name) == (0..<2_345).map { "名\($0)" })
            #expect(rows.map(\.amount) == (0..<2_345).map { Double($0) / 4 })
        }
    }

    @Test("a load failing after several batches leaves the previous version as it was, for replace and for append")
    func failedLoadRollsBack() async throws {
        try await TestStores.with { stores in
            _ = try await Self.load(stores, Self.rows(0..<100))
            let before = try await Self.currentRows(stores)
            let loader = DomainDataLoader(database: stores.domain)

            // The bad value is on line 2,502, after three batches have been written.
            await #expect(throws: DomainError.self) { try await Self.load(stores, Self.rows(100..<3_000, badAt: 2_600)) }
            #expect(try await Self.currentRows(stores).rows == before.rows)
            #expect(try await loader.currentRowCount(Self.resource) == 100)
            #expect(await !Self.tableExists(stores, before.table.replacingOccurrences(of: "_v1", with: "_v2")))

            await #expect(throws: DomainError.self) {
                try await Self.load(stores, Self.rows(100..<3_000, badAt: 2_600), mode: .append)
            }
            #expect(try await Self.currentRows(stores).rows == before.rows)
            #expect(try await loader.currentRowCount(Self.resource) == 100)

            // The store is usable afterwards, and a good append adds to the same table.
            let appended = try await Self.load(stores, Self.rows(100..<1_600), mode: .append)
            #expect(appended.dataVersion == 1)
            #expect(try await Self.currentRows(stores).rows.map(\.n) == (0..<1_600).map { Int64($0) })
            #expect(try await loader.currentRowCount(Self.resource) == 1_600)
        }
    }
}

import Foundation
import PDOPSandbox
import PDOPStore
import PDOPTestSupport
import SQLKit
import Testing

/// The sandbox's way into the domain store: bound values stay data, only reading runs, the limits
/// hold, and cancelling the calling task ends a long statement within a second. Runs on SQLite
/// (an in-memory store, which shares the store's one connection, and a store file, which the
/// executor opens read-only on a connection of its own) and, with PDOP_TEST_POSTGRES_URL, on PostgreSQL.
@Suite("Sandbox executor", .serialized)
struct SandboxExecutorTests {
    static let table = "ds_沙箱测试_v1"
    static let quoted = "a\"b"
    static let hostile = "'; DROP TABLE x; --"
    static let roomy = ExecutionLimits(timeoutSeconds: 30, maxRows: 100)

    /// Runs `body` on a fresh domain store with the test table: the test stores' domain store and,
    /// on SQLite, also a store file.
    static func withDomains(_ body: (DatabaseHandle) async throws -> Void) async throws {
        try await TestStores.with { stores in
            try await createTable(stores.domain)
            try await body(stores.domain)
        }
        guard TestStores.flavor == .sqlite else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pdop-sandbox-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try await DatabaseHandle.open(.sqliteFile(directory + "/domain 数据.sqlite"))
        do {
            try await createTable(file)
            try await body(file)
            await file.close()
        } catch {
            await file.close()
            throw error
        }
    }

    /// Five rows: two districts, costs, counts, a column named `a"b`, and a note that is null twice.
    static func createTable(_ database: DatabaseHandle) async throws {
        try await database.withConnection { db in
            try await db.raw("""
                CREATE TABLE \(ident: table) (\(ident: "区县") TEXT, \(ident: "费用") DOUBLE PRECISION, \(ident: "人数") BIGINT,
                    \(ident: quoted) TEXT, \(ident: "备注") TEXT)
                """).run()
            let rows: [(String, Double, Int64, String, String?)] = [
                ("南明街道", 12.5, 3, "引号\"内", "甲"), ("南明街道", 7.5, 1, "x", nil), ("儒岙镇", 100.25, 2, "y", "乙"),
                ("儒岙镇", 0.75, 5, "z", nil), (hostile, 1, 1, "w", "丙"),
            ]
            for row in rows {
                try await db.raw("""
                    INSERT INTO \(ident: table) VALUES (\(bind: row.0), \(bind: row.1), \(bind: row.2), \(bind: row.3), \(bind: row.4))
                    """).run()
            }
        }
    }

    static func statement(_ pieces: [SQLPiece], columns: Int) -> CompiledStatement {
        CompiledStatement(pieces: pieces, columnCount: columns, tables: [table])
    }

    static func rowCount(_ database: DatabaseHandle) async throws -> Int {
        let output = try await DomainSandboxExecutor(database: database).run(
            statement([.sql("SELECT COUNT(*) FROM "), .identifier(table)], columns: 1), limits: roomy)
        guard case .integer(let count) = output.rows.first?.first else { return -1 }
        return Int(count)
    }

    /// A statement that runs for many seconds on either database: 50 million steps of a recursive CTE.
    static func slowStatement(marker: String = "slow") -> CompiledStatement {
        statement([.sql("""
            WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < 50000000)
            SELECT COUNT(*) AS \(marker) FROM counter
            """)], columns: 1)
    }

    static func number(_ value: SQLValue) -> Double? {
        switch value {
        case .integer(let value): Double(value)
        case .double(let value): value
        case .text, .null: nil
        }
    }

    @Test("aggregates come back positionally as integers and doubles, with the wall time spent")
    func aggregates() async throws {
        try await Self.withDomains { database in
            let executor = DomainSandboxExecutor(database: database)
            #expect(executor.dialect == (TestStores.flavor == .sqlite ? PDOPSandbox.SQLDialect.sqlite : .postgres))
            let output = try await executor.run(Self.statement([
                .sql("SELECT "), .identifier("区县"), .sql(", COUNT(*), SUM("), .identifier("人数"), .sql("), AVG("), .identifier("费用"),
                .sql(") FROM "), .identifier(Self.table), .sql(" WHERE "), .identifier("区县"), .sql(" <> "), .bind(.text(Self.hostile)),
                .sql(" GROUP BY "), .identifier("区县"), .sql(" ORDER BY "), .identifier("区县"),
            ], columns: 4), limits: Self.roomy)
            #expect(output.rows.count == 2)
            #expect(output.rows.map { $0[0] } == [.text("儒岙镇"), .text("南明街道")] || output.rows.map { $0[0] } == [.text("南明街道"), .text("儒岙镇")])
            let byDistrict = Dictionary(uniqueKeysWithValues: output.rows.map { ($0[0], $0) })
            let nanming = try #require(byDistrict[.text("南明街道")])
            // COUNT is an integer on both; SUM of a bigint is NUMERIC on PostgreSQL, read as a double.
            #expect(nanming[1] == .integer(2))
            #expect(Self.number(nanming[2]) == 4)
            #expect(nanming[3] == .double(10))
            #expect(output.seconds > 0 && output.seconds < 30)
        }
    }

    @Test("integer, double, text and null binds arrive as data; a hostile text matches itself and drops nothing")
    func bindsAreData() async throws {
        try await Self.withDomains { database in
            let executor = DomainSandboxExecutor(database: database)
            let hostile = try await executor.run(Self.statement([
                .sql("SELECT "), .identifier("人数"), .sql(", "), .identifier("备注"), .sql(" FROM "), .identifier(Self.table),
                .sql(" WHERE "), .identifier("区县"), .sql(" = "), .bind(.text(Self.hostile)),
            ], columns: 2), limits: Self.roomy)
            #expect(hostile.rows == [[.integer(1), .text("丙")]])
            #expect(try await Self.rowCount(database) == 5)

            let typed = try await executor.run(Self.statement([
                .sql("SELECT "), .identifier("区县"), .sql(", "), .identifier("备注"), .sql(" FROM "), .identifier(Self.table),
                .sql(" WHERE "), .identifier("人数"), .sql(" = "), .bind(.integer(5)),
                .sql(" AND "), .identifier("费用"), .sql(" < "), .bind(.double(0.8)),
                .sql(" AND COALESCE("), .identifier("备注"), .sql(", "), .bind(.null), .sql(") IS NULL"),
            ], columns: 2), limits: Self.roomy)
            #expect(typed.rows == [[.text("儒岙镇"), .null]])
        }
    }

    @Test("identifiers in Chinese and with a double quote inside are quoted, never spliced")
    func quotedIdentifiers() async throws {
        try await Self.withDomains { database in
            let output = try await DomainSandboxExecutor(database: database).run(Self.statement([
                .sql("SELECT "), .identifier(Self.quoted), .sql(" FROM "), .identifier(Self.table),
                .sql(" WHERE "), .identifier("费用"), .sql(" = "), .bind(.double(12.5)),
            ], columns: 1), limits: Self.roomy)
            #expect(output.rows == [[.text("引号\"内")]])
        }
    }

    @Test("statements that do not start with SELECT or WITH, or hold two statements, are refused before the database sees them")
    func writesAreRefused() async throws {
        try await Self.withDomains { database in
            let executor = DomainSandboxExecutor(database: database)
            let refused: [[SQLPiece]] = [
                [.sql("INSERT INTO "), .identifier(Self.table), .sql(" ("), .identifier("人数"), .sql(") VALUES ("), .bind(.integer(1)), .sql(")")],
                [.sql("UPDATE "), .identifier(Self.table), .sql(" SET "), .identifier("人数"), .sql(" = 0")],
                [.sql("DELETE FROM "), .identifier(Self.table)],
                [.sql("CREATE TABLE ds_other_v1 (n BIGINT)")],
                [.sql(" select 1; DELETE FROM "), .identifier(Self.table)],
                [.identifier(Self.table)],
                [.sql("SELECTED")],
            ]
            for pieces in refused {
                await #expect(throws: SandboxExecutionError.notAQuery) {
                    try await executor.run(Self.statement(pieces, columns: 1), limits: Self.roomy)
                }
            }
            let rows = try await Self.rowCount(database)
            #expect(rows == 5)
        }
    }

    @Test("a write hidden behind WITH is refused by the database's read-only mode, and the store stays writable for its owner")
    func readOnlyMode() async throws {
        try await Self.withDomains { database in
            let executor = DomainSandboxExecutor(database: database)
            let write = Self.statement([
                .sql("WITH x AS (SELECT 9 AS n) INSERT INTO "), .identifier(Self.table), .sql(" ("), .identifier("人数"),
                .sql(") SELECT n FROM x"),
            ], columns: 0)
            await #expect {
                try await executor.run(write, limits: Self.roomy)
            } throws: { error in
                guard case .failed = error as? SandboxExecutionError else { return false }
                return true
            }
            #expect(try await Self.rowCount(database) == 5)
            // The loader's connection is not left read-only (SQLite in memory shares it).
            try await database.withConnection { db in
                try await db.raw("INSERT INTO \(ident: Self.table) (\(ident: "人数")) VALUES (\(bind: Int64(1)))").run()
            }
            #expect(try await Self.rowCount(database) == 6)
        }
    }

    @Test("more rows than the limit is an error; exactly the limit is not")
    func maxRows() async throws {
        try await Self.withDomains { database in
            let executor = DomainSandboxExecutor(database: database)
            let all = Self.statement([.sql("SELECT "), .identifier("人数"), .sql(" FROM "), .identifier(Self.table)], columns: 1)
            await #expect(throws: SandboxExecutionError.tooManyRows(limit: 4)) {
                try await executor.run(all, limits: ExecutionLimits(timeoutSeconds: 30, maxRows: 4))
            }
            let exactly = try await executor.run(all, limits: ExecutionLimits(timeoutSeconds: 30, maxRows: 5))
            #expect(exactly.rows.count == 5)
            // Many more rows than the limit stop the statement early, not after reading them all.
            let started = ContinuousClock.now
            await #expect(throws: SandboxExecutionError.tooManyRows(limit: 10)) {
                try await executor.run(Self.statement([.sql("""
                    WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < 50000000) SELECT n FROM counter
                    """)], columns: 1), limits: ExecutionLimits(timeoutSeconds: 30, maxRows: 10))
            }
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("a row wider than the statement declared is an error")
    func resultShape() async throws {
        try await Self.withDomains { database in
            await #expect(throws: SandboxExecutionError.resultShape(expected: 1, found: 2)) {
                try await DomainSandboxExecutor(database: database).run(
                    Self.statement([.sql("SELECT 1, 2")], columns: 1), limits: Self.roomy)
            }
        }
    }

    @Test("a statement running past the timeout is stopped and reported as a timeout")
    func timeout() async throws {
        try await Self.withDomains { database in
            let started = ContinuousClock.now
            await #expect(throws: SandboxExecutionError.timedOut(seconds: 0.5)) {
                try await DomainSandboxExecutor(database: database).run(Self.slowStatement(),
                                                                        limits: ExecutionLimits(timeoutSeconds: 0.5, maxRows: 10))
            }
            #expect(ContinuousClock.now - started < .seconds(3))
            let rows = try await Self.rowCount(database)
            #expect(rows == 5)
        }
    }

    /// Cancels a slow statement 0.3 s in; the task must end within 1.5 s of the cancel (the
    /// requirement is one second; the margin is for a loaded test machine).
    static func expectCancelledPromptly(_ database: DatabaseHandle, marker: String = "slow") async throws {
        let executor = DomainSandboxExecutor(database: database)
        let task = Task {
            try await executor.run(Self.slowStatement(marker: marker), limits: ExecutionLimits(timeoutSeconds: 60, maxRows: 10))
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        let latency = ContinuousClock.now - cancelledAt
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(latency < .milliseconds(1500), "cancellation took \(latency)")
    }

    @Test("cancelling the calling task ends a long statement within a second, and the store answers afterwards")
    func cancellation() async throws {
        try await Self.withDomains { database in
            try await Self.expectCancelledPromptly(database)
            #expect(try await Self.rowCount(database) == 5)
        }
    }

    @Test("on PostgreSQL the backend stops too: by pg_cancel_backend with a free connection, by closing the busy one without")
    func postgresBackendStops() async throws {
        guard let url = TestStores.postgresURL else { return }
        try await TestStores.with { stores in
            try await Self.createTable(stores.domain)
            let schema = try #require(stores.domain.schema)
            // The test stores' domain pool has one connection: the cancel closes it.
            try await Self.expectCancelledPromptly(stores.domain, marker: "slow_one_connection")
            // With room in the pool the cancel is a pg_cancel_backend from another connection.
            let roomy = try await DatabaseHandle.open(.postgres(url: url, schema: schema, maxConnections: 3))
            try await Self.expectCancelledPromptly(roomy, marker: "slow_cancel_backend")
            try await Task.sleep(for: .milliseconds(600))
            struct Active: Decodable { var n: Int64 }
            let active = try await roomy.withConnection { db in
                try await db.raw("""
                    SELECT COUNT(*) AS n FROM pg_stat_activity
                    WHERE state = 'active' AND (query LIKE '%slow_one_connection%' OR query LIKE '%slow_cancel_backend%')
                        AND pid <> pg_backend_pid()
                    """).first(decoding: Active.self)?.n
            }
            #expect(active == 0)
            #expect(try await Self.rowCount(roomy) == 5)
            #expect(try await Self.rowCount(stores.domain) == 5)
            await roomy.close()
        }
    }
}

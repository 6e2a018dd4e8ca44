import ArgumentParser
import Foundation
import PDOPDemoData
import PDOPDomain
import PDOPIngest
import PDOPSandbox
import PDOPServer
import PDOPStore
import SQLiteKit
import SQLiteNIO

/// `pdop sandbox-bench`: the sandbox engine's side of bench/sandbox (see its README). Generates the
/// demo county's hospital visits and pension enrolment, loads them into a SQLite domain store in
/// `--dir` through the platform's loader (once; a later run reuses them), and prints JSON lines:
/// per run the seconds of the plain SQL, of the compiled statement with and without the executor,
/// and of whole sandbox queries (plan, run, release) in threshold and DP mode, with their answers
/// and the exact values to score them against.
struct SandboxBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-bench", abstract: "Time the sandbox engine on the demo hospital visits (bench/sandbox).")

    @Option(help: "Directory of the bench's domain store (created if missing).") var dir: String
    @Option(help: "Size of the demo datasets (1 = a million hospital visits).") var scale: Double = 1
    @Option(help: "Timed runs per engine.") var runs: Int = 5
    @Option(help: "Total ε of each DP query.") var epsilon: Double = 1
    @Flag(help: "Only generate and load the datasets, then print their tables.") var loadOnly = false

    func run() async throws {
        guard scale > 0, scale <= 10, runs > 0, epsilon > 0 else { throw ValidationError("need 0 < --scale ≤ 10, --runs > 0, --epsilon > 0") }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent("domain.sqlite")
        let database = try await DatabaseHandle.open(.sqliteFile(path))
        do {
            _ = try await DomainStoreSchema.runner(schema: nil, readerRole: nil).migrate(database)
            let loader = BenchLoader(database: database, directory: dir, generator: DemoGenerator(scale: scale))
            let visits = try await loader.ensure(.hospitalVisits, resource: BenchDatasets.visitsID)
            let pension = try await loader.ensure(.socialInsurance, resource: BenchDatasets.pensionID)
            if !loadOnly {
                var bench = SandboxBench(database: database, path: path, runs: runs, epsilon: epsilon,
                                         visits: BenchDatasets.visits(visits), pension: BenchDatasets.pension(pension))
                try await bench.run()
            }
            await database.close()
        } catch {
            await database.close()
            throw error
        }
    }
}

/// One JSON object per line on standard output.
func emitBenchLine(_ fields: [String: Any]) {
    guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
    print(String(decoding: data, as: UTF8.self))
}

struct LoadedTable: Sendable {
    var table: String
    var dataVersion: Int
    var rows: Int
}

/// Writes a demo dataset as CSV and loads it with `DomainDataLoader`, as the demo county does.
struct BenchLoader {
    let database: DatabaseHandle
    let directory: String
    let generator: DemoGenerator

    func ensure(_ key: DemoDataset.Key, resource: ResourceID) async throws -> LoadedTable {
        let expected = generator.rowCount(key)
        if let current = try await current(resource), current.rows == expected {
            emitBenchLine(["event": "loaded", "dataset": key.rawValue, "table": current.table, "rows": current.rows, "reused": true])
            return current
        }
        let started = ContinuousClock.now
        let csv = (directory as NSString).appendingPathComponent("\(key.rawValue).csv")
        try generator.writeCSV(key, to: csv)
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let report = try await DomainDataLoader(database: database).load(
            resource: resource, mode: .replace, configuration: IngestConfiguration(format: .csv, encoding: .utf8),
            chunks: FileChunks(path: csv), now: Date())
        guard let loaded = try await current(resource) else { throw ValidationError("loading \(key.rawValue) left no current version") }
        emitBenchLine(["event": "loaded", "dataset": key.rawValue, "table": loaded.table, "rows": report.rows,
                       "seconds": (ContinuousClock.now - started) / .seconds(1), "reused": false])
        return loaded
    }

    func current(_ resource: ResourceID) async throws -> LoadedTable? {
        struct Row: Decodable { var table_name: String; var data_version: Int; var row_count: Int }
        return try await database.withConnection { db in
            try await db.raw("SELECT table_name, data_version, row_count FROM datasets WHERE resource_id = \(bind: resource.rawValue) AND is_current = 1")
                .first(decoding: Row.self).map { LoadedTable(table: $0.table_name, dataVersion: $0.data_version, rows: $0.row_count) }
        }
    }
}

/// The two datasets as a workspace would be granted them, and the bench's queries.
enum BenchDatasets {
    static let visitsID = ResourceID("res_bench_visits")
    static let pensionID = ResourceID("res_bench_pension")
    static let person = "身份证号"
    static let district = "患者所在乡镇"
    static let day = "就诊日期"
    static let cost = "总费用_元"
    static let scheme = "险种"
    /// 2024-01-01 and 2024-12-31 as stored (days since 1970).
    static let firstDay: Int64 = 19_723
    static let lastDay: Int64 = 20_088
    /// Declared upper bound of a visit's cost, and so of one person's cost in one group in DP mode: ¥100,000
    /// clamps under 0.1% of the 2024 total (¥20,000 would clamp 17%: inpatient stays are costly).
    static let costUpper = 100_000.0

    static func visits(_ loaded: LoadedTable) -> SandboxDataset {
        SandboxDataset(resourceID: visitsID.rawValue, name: "医疗机构就诊记录", providerID: "org_health", table: loaded.table,
                       dataVersion: loaded.dataVersion, rowCount: loaded.rows, unitColumn: person, unitDomain: "natural_person", minUnits: 10,
                       columns: [
                           SandboxColumn(name: person, type: .text, level: .joinOnly, keySpace: "resident_id"),
                           SandboxColumn(name: district, type: .text, level: .groupBy),
                           SandboxColumn(name: day, type: .date, level: .groupBy, bucketWidth: 1),
                           SandboxColumn(name: cost, type: .decimal, level: .aggregate, lower: 0, upper: costUpper),
                       ])
    }

    static func pension(_ loaded: LoadedTable) -> SandboxDataset {
        SandboxDataset(resourceID: pensionID.rawValue, name: "养老保险参保信息", providerID: "org_hrss", table: loaded.table,
                       dataVersion: loaded.dataVersion, rowCount: loaded.rows, unitColumn: person, unitDomain: "natural_person", minUnits: 10,
                       columns: [
                           SandboxColumn(name: person, type: .text, level: .joinOnly, keySpace: "resident_id"),
                           SandboxColumn(name: scheme, type: .text, level: .groupBy),
                       ])
    }

    /// Persons and their average cost by district, visits of 2024; `epsilon` nil for threshold mode.
    static func byDistrict(epsilon: Double?) -> [String: Any] {
        var spec: [String: Any] = [
            "mode": epsilon == nil ? "threshold" : "dp",
            "sources": [["alias": "v", "dataset": visitsID.rawValue]],
            "filters": [["column": "v.\(day)", "op": "between", "value": ["2024-01-01", "2024-12-31"]]],
            "groupBy": [["column": "v.\(district)"]],
            "measures": [["name": "persons", "agg": "count_units"], ["name": "avg_cost", "agg": "avg", "column": "v.\(cost)"]],
        ]
        if let epsilon { spec["privacy"] = ["epsilon": epsilon] }
        return spec
    }

    /// Threshold mode's utility question (issue 10): persons and their total cost by district and year.
    static func byDistrictYear() -> [String: Any] { [
        "mode": "threshold",
        "sources": [["alias": "v", "dataset": visitsID.rawValue]],
        "groupBy": [["column": "v.\(district)"], ["column": "v.\(day)", "bucket": "year"]],
        "measures": [["name": "persons", "agg": "count_units"], ["name": "total_cost", "agg": "sum", "column": "v.\(cost)"]],
    ] }

    /// The same by pension scheme, joining the visits to the pension register on the ID number.
    static func byScheme(epsilon: Double) -> [String: Any] {
        [
            "mode": "dp",
            "sources": [["alias": "v", "dataset": visitsID.rawValue], ["alias": "p", "dataset": pensionID.rawValue]],
            "joins": [["left": "v.\(person)", "right": "p.\(person)"]],
            "filters": [["column": "v.\(day)", "op": "between", "value": ["2024-01-01", "2024-12-31"]]],
            "groupBy": [["column": "p.\(scheme)"]],
            "measures": [["name": "persons", "agg": "count_units"], ["name": "avg_cost", "agg": "avg", "column": "v.\(cost)"]],
            "privacy": ["epsilon": epsilon],
        ]
    }
}

/// The timed part: every engine `runs` times, then a cancellation probe.
struct SandboxBench {
    let database: DatabaseHandle
    let path: String
    let runs: Int
    let epsilon: Double
    var visits: SandboxDataset
    var pension: SandboxDataset
    /// Threshold mode's audit partitions, computed once (a workspace computes them at its first query).
    var partitions: [String: AuditPartition] = [:]

    var period: [SQLiteData] { [.integer(SQLiteInt64(BenchDatasets.firstDay)), .integer(SQLiteInt64(BenchDatasets.lastDay))] }

    mutating func run() async throws {
        let engine = SandboxEngine(policy: .plan)
        let executor = DomainSandboxExecutor(database: database)
        try await prepareThresholdMode(engine: engine, executor: executor)
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let direct = try await SQLiteConnection.open(
            storage: .file(path: "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?mode=ro"))
        do {
            try await measure(engine: engine, executor: executor, direct: direct)
            try await direct.close()
        } catch {
            try? await direct.close()
            throw error
        }
    }

    /// Record keys (a column per table, drawn once) and the audit partition of the visits, timed.
    private mutating func prepareThresholdMode(engine: SandboxEngine, executor: DomainSandboxExecutor) async throws {
        let registry = SQLDomainDatasetRegistry(database: database)
        var started = ContinuousClock.now
        visits.recordKeyColumn = try await registry.recordKeyColumn(table: visits.table, unitColumn: visits.unitColumn, keySpace: "resident_id",
                                                                    rowCount: visits.rowCount)
        pension.recordKeyColumn = try await registry.recordKeyColumn(table: pension.table, unitColumn: pension.unitColumn, keySpace: "resident_id",
                                                                     rowCount: pension.rowCount)
        emitBenchLine(["event": "prepare", "step": "record_keys", "seconds": (ContinuousClock.now - started) / .seconds(1)])
        started = ContinuousClock.now
        let limits = ExecutionLimits(timeoutSeconds: 600, maxRows: 1_000_000)
        for dataset in [visits, pension] {
            var outputs: [ExecutionOutput] = []
            for statement in engine.partitionStatements(dataset, dialect: executor.dialect) {
                outputs.append(try await executor.run(statement, limits: limits))
            }
            partitions[dataset.resourceID] = engine.partition(dataset, outputs: outputs)
        }
        emitBenchLine(["event": "prepare", "step": "audit_partition", "seconds": (ContinuousClock.now - started) / .seconds(1),
                       "bins": partitions.values.flatMap(\.dimensions).map { "\($0.column):\($0.bins.count)" }])
    }

    private func measure(engine: SandboxEngine, executor: DomainSandboxExecutor, direct: SQLiteConnection) async throws {
        let (v, p) = (quoted(visits.table), quoted(pension.table))
        let (person, district, day, cost, scheme) = (quoted(BenchDatasets.person), quoted(BenchDatasets.district), quoted(BenchDatasets.day),
                                                     quoted(BenchDatasets.cost), quoted(BenchDatasets.scheme))
        let plain = "SELECT \(district), COUNT(*), AVG(\(cost)) FROM \(v) WHERE \(day) BETWEEN ?1 AND ?2 GROUP BY \(district)"
        let exact = "SELECT \(district), COUNT(DISTINCT \(person)), COUNT(*), SUM(\(cost)), AVG(\(cost)) FROM \(v) WHERE \(day) BETWEEN ?1 AND ?2 GROUP BY \(district)"
        let exactJoin = """
            SELECT p.\(scheme), COUNT(DISTINCT v.\(person)), COUNT(*), SUM(v.\(cost)), AVG(v.\(cost)) FROM \(v) AS v JOIN \(p) AS p ON v.\(person) = p.\(person)
            WHERE v.\(day) BETWEEN ?1 AND ?2 GROUP BY p.\(scheme)
            """
        try await emitExact("by_district", exact, on: direct)
        try await emitExact("by_scheme", exactJoin, on: direct)
        try await utility(engine: engine, executor: executor, direct: direct)

        // The plain aggregate directly and through the executor, alternated: the executor's overhead on a normal query.
        let plainStatement = CompiledStatement(pieces: [
            .sql("SELECT "), .identifier(BenchDatasets.district), .sql(", COUNT(*), AVG("), .identifier(BenchDatasets.cost),
            .sql(") FROM "), .identifier(visits.table), .sql(" WHERE "), .identifier(BenchDatasets.day), .sql(" BETWEEN "),
            .bind(.integer(BenchDatasets.firstDay)), .sql(" AND "), .bind(.integer(BenchDatasets.lastDay)),
            .sql(" GROUP BY "), .identifier(BenchDatasets.district),
        ], columnCount: 3, tables: [visits.table])
        let plainLimits = ExecutionLimits(timeoutSeconds: 60, maxRows: 10_000)
        try await time(["sqlite_raw", "executor_raw"], query: "by_district", [
            { _ = try await direct.query(plain, period) },
            { _ = try await executor.run(plainStatement, limits: plainLimits) },
        ])
        try await time("sqlite_raw_join", query: "by_scheme") { _ = try await direct.query(exactJoin, period) }

        let dpPlan = try plan(engine, BenchDatasets.byDistrict(epsilon: epsilon), executor: executor)
        let compiled = try SandboxStatementText(dpPlan.statement, for: direct.sql())
        let compiledBinds = compiled.binds.map(Self.data)
        // Alternated, so drift in the machine's load falls on both alike: the difference is the executor's overhead.
        try await time(["sqlite_compiled_dp", "executor_dp"], query: "by_district", [
            { _ = try await direct.query(compiled.sql, compiledBinds) },
            { _ = try await executor.run(dpPlan.statement, limits: dpPlan.executionLimits) },
        ])

        let queries: [(String, String, [String: Any])] = [
            ("pdop_threshold", "by_district", BenchDatasets.byDistrict(epsilon: nil)),
            ("pdop_dp", "by_district", BenchDatasets.byDistrict(epsilon: epsilon)),
            ("pdop_dp_join", "by_scheme", BenchDatasets.byScheme(epsilon: epsilon)),
        ]
        for (name, query, spec) in queries {
            let json = try JSONSerialization.data(withJSONObject: spec)
            for index in 0...runs {
                var random = SystemRandomNumberGenerator()
                let started = ContinuousClock.now
                let plan = try plan(engine, json: json, executor: executor)
                let output = try await executor.run(plan.statement, limits: plan.executionLimits)
                let answer = plan.release(output, random: &random)
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                if index == 0 { continue }  // warm-up
                emitBenchLine(["event": "run", "engine": name, "query": query, "run": index, "seconds": seconds,
                               "sql_seconds": output.seconds, "epsilon": answer.epsilonCharged, "rows": Self.rows(answer),
                               "cells": answer.cellsReleased])
            }
        }
        try await cancellationProbe(engine: engine, executor: executor)
    }

    /// Cancels the DP join 0.3 s in, as a workspace stop would, and reports how long the executor took to give up.
    private func cancellationProbe(engine: SandboxEngine, executor: DomainSandboxExecutor) async throws {
        let plan = try plan(engine, BenchDatasets.byScheme(epsilon: epsilon), executor: executor)
        let task = Task { try await executor.run(plan.statement, limits: plan.executionLimits) }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        let finishedFirst = (try? result.get()) != nil
        emitBenchLine(["event": "cancel", "engine": "executor_dp_join", "latency_seconds": (ContinuousClock.now - cancelled) / .seconds(1),
                       "finished_before_cancel": finishedFirst])
    }

    private func plan(_ engine: SandboxEngine, _ spec: [String: Any], executor: DomainSandboxExecutor) throws -> QueryPlan {
        try plan(engine, json: try JSONSerialization.data(withJSONObject: spec), executor: executor)
    }

    private func plan(_ engine: SandboxEngine, json: Data, executor: DomainSandboxExecutor) throws -> QueryPlan {
        try engine.plan(try engine.parseQuery(json), datasets: [visits, pension], dialect: executor.dialect, partitions: partitions)
    }

    /// Threshold mode's cost in accuracy: every released cell of district × year against the exact
    /// persons and cost, as a mean relative error (before perturbation the released cells were exact).
    private func utility(engine: SandboxEngine, executor: DomainSandboxExecutor, direct: SQLiteConnection) async throws {
        let (v, person, district, day, cost) = (quoted(visits.table), quoted(BenchDatasets.person), quoted(BenchDatasets.district),
                                                quoted(BenchDatasets.day), quoted(BenchDatasets.cost))
        let exactSQL = """
            SELECT \(district), strftime('%Y', \(day) * 86400, 'unixepoch'), COUNT(DISTINCT \(person)), SUM(MIN(MAX(\(cost), 0), \(BenchDatasets.costUpper)))
            FROM \(v) GROUP BY 1, 2
            """
        var exact: [String: (persons: Double, cost: Double)] = [:]
        for row in try await direct.query(exactSQL) {
            let values = row.columns.map(\.data)
            exact["\(values[0].string ?? "")|\(values[1].string ?? "")"] = (values[2].double ?? 0, values[3].double ?? 0)
        }
        let plan = try plan(engine, BenchDatasets.byDistrictYear(), executor: executor)
        var random = SystemRandomNumberGenerator()
        let answer = plan.release(try await executor.run(plan.statement, limits: plan.executionLimits), random: &random)
        // Every released cell, and the cells of at least 1,000 persons (the demo's first year is a few days' visits).
        var errors: [(persons: Double, cost: Double, large: Bool)] = []
        for row in answer.rows {
            guard case .text(let town) = row[0], case .text(let year) = row[1], let truth = exact["\(town)|\(year)"],
                  case .number(let persons) = row[2], case .number(let total) = row[3] else { continue }
            errors.append((abs(persons - truth.persons) / truth.persons, abs(total - truth.cost) / truth.cost, truth.persons >= 1_000))
        }
        func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
        let large = errors.filter(\.large)
        emitBenchLine(["event": "utility", "query": "district_x_year", "cells": exact.count, "released": answer.rows.count,
                       "persons_mre": mean(errors.map(\.persons)), "cost_mre": mean(errors.map(\.cost)),
                       "large_cells": large.count, "large_persons_mre": mean(large.map(\.persons)), "large_cost_mre": mean(large.map(\.cost))])
    }

    /// One untimed warm-up run, then `runs` timed ones.
    private func time(_ engine: String, query: String, _ body: @escaping () async throws -> Void) async throws {
        try await time([engine], query: query, [body])
    }

    /// Several engines in turn: one untimed warm-up of each, then `runs` rounds of one run each.
    private func time(_ engines: [String], query: String, _ bodies: [() async throws -> Void]) async throws {
        for body in bodies { try await body() }
        for index in 1...runs {
            for (engine, body) in zip(engines, bodies) {
                let started = ContinuousClock.now
                try await body()
                emitBenchLine(["event": "run", "engine": engine, "query": query, "run": index,
                               "seconds": (ContinuousClock.now - started) / .seconds(1)])
            }
        }
    }

    /// Per group: distinct persons, visits, total and average cost per visit, and average cost per person.
    private func emitExact(_ query: String, _ sql: String, on connection: SQLiteConnection) async throws {
        let rows = try await connection.query(sql, period).map { row -> [String: Any] in
            let values = row.columns.map(\.data)
            let persons = values[1].double ?? 0
            return ["group": values[0].string ?? "", "persons": persons, "visits": values[2].double ?? 0,
                    "avg_visit_cost": values[4].double ?? 0, "avg_person_cost": persons > 0 ? (values[3].double ?? 0) / persons : 0]
        }
        emitBenchLine(["event": "exact", "query": query, "rows": rows])
    }

    func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func data(_ value: SQLValue) -> SQLiteData { value.sqliteData }

    /// Released rows as {group, persons, avg_cost}.
    static func rows(_ answer: QueryAnswer) -> [[String: Any]] {
        let group = answer.columns.firstIndex { $0.role == .group }
        let persons = answer.columns.firstIndex { $0.name == "persons" }
        let average = answer.columns.firstIndex { $0.name == "avg_cost" }
        func json(_ value: AnswerValue?) -> Any {
            switch value {
            case .text(let text): text
            case .number(let number): number
            case .null, nil: NSNull()
            }
        }
        return answer.rows.map { row in
            ["group": json(group.map { row[$0] }), "persons": json(persons.map { row[$0] }), "avg_cost": json(average.map { row[$0] })]
        }
    }
}

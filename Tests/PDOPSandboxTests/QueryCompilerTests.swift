import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

@Suite("Compilation to SQLite and PostgreSQL")
struct QueryCompilerTests {
    static let example = """
    {"mode": "threshold", "sources": [{"alias": "v", "dataset": "res-visits"}, {"alias": "s", "dataset": "res-residents"}],
     "joins": [{"left": "v.身份证号", "right": "s.身份证号"}],
     "filters": [{"column": "v.就诊日期", "op": "between", "value": ["2024-01-01", "2024-12-31"]},
                 {"column": "v.就诊类型", "op": "in", "value": ["门诊", "急诊"]}],
     "groupBy": [{"column": "v.患者所在乡镇"}, {"column": "v.年龄", "bucket": 10}, {"column": "v.就诊日期", "bucket": "month"}],
     "measures": [{"name": "persons", "agg": "count_units"}, {"name": "visits", "agg": "count_rows"},
                  {"name": "avg_cost", "agg": "avg", "column": "v.总费用_元"}, {"name": "total", "agg": "sum", "column": "v.总费用_元"}]}
    """

    @Test("R12 threshold mode: filters and group keys from the audit partition's bins, record keys summed per cell, cells that cannot reach the minimum kept in the database")
    func thresholdSQLite() throws {
        let plan = try Fixtures.plan(Self.example)
        let sql = Fixtures.text(plan.statement)
        #expect(sql.hasPrefix("WITH j AS (SELECT t0.\"身份证号\" AS u, t0.\"pdop_rk_test\" AS k, CASE WHEN"))
        #expect(sql.contains("FROM \"ds_visits_v3\" AS t0 JOIN \"ds_residents_v1\" AS t1 ON t0.\"身份证号\" = t1.\"身份证号\""))
        // The operator's between and in become the predicates of the bins they select.
        #expect(sql.contains("(t0.\"就诊日期\" >= ? AND t0.\"就诊日期\" < ?)"))
        #expect(sql.contains("(t0.\"就诊类型\" IN (?, ?))"))
        #expect(!sql.contains("BETWEEN"))
        #expect(sql.contains("strftime('%Y-%m', (t0.\"就诊日期\" * ?), 'unixepoch') AS g3"))
        #expect(sql.contains("MIN(MAX(t0.\"总费用_元\", ?), ?)"))
        #expect(sql.contains("per_unit AS (SELECT u, g1, g2, g3, MAX(k) AS k, COUNT(*) AS c"))
        #expect(sql.contains("ROW_NUMBER() OVER (PARTITION BY g1, g2, g3 ORDER BY ABS(s1) DESC) AS r1"))
        #expect(sql.contains("CAST(SUM(k) AS BIGINT) AS ck, CAST(MAX(c) AS BIGINT) AS top_rows"))
        #expect(sql.contains("CAST(MAX(ABS(s1)) AS BIGINT) AS lg1"))
        #expect(sql.hasSuffix("FROM ranked GROUP BY g1, g2, g3 HAVING COUNT(*) >= ?"))
        #expect(!sql.contains("LEAST") && !sql.contains("UNION"))
        #expect(plan.statement.columnCount == 3 + 4 + 4)
        #expect(plan.statement.tables == ["ds_visits_v3", "ds_residents_v1"])
        let binds = Fixtures.binds(plan.statement)
        // Bin boundaries as days since 1970, the codes as text, the floor (minimum − D) last.
        #expect(binds.contains(.integer(19723)) && binds.contains(.integer(20089)))
        #expect(binds.contains(.text("门诊")) && binds.contains(.text("急诊")))
        #expect(binds.last == .integer(Int64(20 - Fixtures.policy.sandboxCellKeyMaxNoise)))
        #expect(binds.contains(.double(0)) && binds.contains(.double(5000)) && binds.contains(.double(100)))
        #expect(binds.contains(.integer(Int64(Fixtures.policy.sandboxDominanceTopUnits))))
    }

    @Test("R12 two wordings of the same cells compile to the same statement")
    func rewritesVanish() throws {
        let wordings = [
            #"[{"column": "v.就诊日期", "op": ">=", "value": "2024-01-01"}, {"column": "v.就诊日期", "op": "<", "value": "2024-07-01"}]"#,
            #"[{"column": "v.就诊日期", "op": ">", "value": "2023-12-31"}, {"column": "v.就诊日期", "op": "<=", "value": "2024-06-30"}]"#,
            #"[{"column": "v.就诊日期", "op": "between", "value": ["2024-01-01", "2024-06-30"]}]"#,
        ]
        let statements = try wordings.map { try Fixtures.plan(Fixtures.visitsQuery(filters: $0)).statement }
        #expect(statements[0] == statements[1] && statements[1] == statements[2])
    }

    @Test("PostgreSQL: LEAST/GREATEST with a NULL guard, to_char months, floor for decimals; same bind values")
    func thresholdPostgres() throws {
        let sqlite = try Fixtures.plan(Self.example)
        let plan = try Fixtures.plan(Self.example, dialect: .postgres)
        let sql = Fixtures.text(plan.statement)
        #expect(sql.contains("CASE WHEN t0.\"总费用_元\" IS NULL THEN NULL ELSE LEAST(GREATEST(t0.\"总费用_元\", ?), ?) END"))
        #expect(sql.contains("to_char(to_timestamp((t0.\"就诊日期\" * ?)) AT TIME ZONE 'UTC', 'YYYY-MM')"))
        #expect(!sql.contains("MIN(MAX"))
        #expect(!sql.contains("strftime"))
        #expect(Set(Fixtures.binds(plan.statement)) == Set(Fixtures.binds(sqlite.statement)))
        #expect(plan.statement.columnCount == sqlite.statement.columnCount)
    }

    @Test("DP mode: counts clamped per unit, sums clamped per unit, contributions bounded by ROW_NUMBER, no HAVING")
    func dpBoth() throws {
        let json = Fixtures.visitsQuery(mode: "dp", groupBy: #"[{"column": "v.患者所在乡镇"}]"#,
                                        measures: #"[{"name": "n", "agg": "count_units"}, {"name": "c", "agg": "count_rows"}, {"name": "a", "agg": "avg", "column": "v.住院天数"}]"#,
                                        privacy: #"{"epsilon": 0.6, "contributions": 2}"#)
        let sqlite = Fixtures.text(try Fixtures.plan(json).statement)
        #expect(sqlite.contains("MIN(COUNT(*), ?) AS c"))
        #expect(sqlite.contains("MIN(MAX(CAST(COALESCE(SUM(x1), 0) AS BIGINT), ?), ?) AS s1"))
        #expect(sqlite.contains("ROW_NUMBER() OVER (PARTITION BY u ORDER BY c DESC, g1) AS rk"))
        #expect(sqlite.contains("FROM bounded WHERE rk <= ? GROUP BY g1"))
        #expect(!sqlite.contains("HAVING"))
        let plan = try Fixtures.plan(json, dialect: .postgres)
        let postgres = Fixtures.text(plan.statement)
        #expect(postgres.contains("LEAST(COUNT(*), ?) AS c"))
        #expect(postgres.contains("LEAST(GREATEST(CAST(COALESCE(SUM(x1), 0) AS BIGINT), ?), ?) AS s1"))
        let binds = Fixtures.binds(plan.statement)
        #expect(binds.contains(.integer(Int64(Fixtures.policy.sandboxMaxRowsPerUnit))))
        #expect(binds.last == .integer(2))
        #expect(plan.statement.columnCount == 1 + 2 + 1)
        #expect(plan.epsilon == 0.6)
    }

    @Test("DP without group keys skips the ROW_NUMBER step")
    func dpTotal() throws {
        let plan = try Fixtures.plan(Fixtures.visitsQuery(mode: "dp", groupBy: "[]", privacy: #"{"epsilon": 0.5}"#))
        let sql = Fixtures.text(plan.statement)
        #expect(!sql.contains("ROW_NUMBER"))
        #expect(!sql.contains("GROUP BY g"))
    }

    @Test("Integer and timestamp buckets floor exactly with bound widths on both dialects")
    func buckets() throws {
        let json = Fixtures.visitsQuery(groupBy: #"[{"column": "v.年龄", "bucket": 10}, {"column": "v.挂号时间", "bucket": 7}]"#)
        let plan = try Fixtures.plan(json, dialect: .postgres)
        let sql = Fixtures.text(plan.statement)
        #expect(sql.contains("(t0.\"年龄\" - ((t0.\"年龄\" % ?) + ?) % ?) AS g1"))
        let binds = Fixtures.binds(plan.statement)
        #expect(binds.filter { $0 == .integer(10) }.count == 3)
        #expect(binds.contains(.integer(CivilDate.microsecondsPerDay)))
        #expect(binds.filter { $0 == .integer(7) }.count == 3)
    }

    @Test("The dry run reads as catalog names and literals, with checks and the ε to charge")
    func dryRun() throws {
        let threshold = try Fixtures.plan(Self.example).dryRun
        #expect(threshold.sources == ["v = 医疗机构就诊记录 (res-visits)", "s = 户籍人口 (res-residents)"])
        #expect(threshold.joins == ["v.身份证号 = s.身份证号"])
        #expect(threshold.filters == ["v.就诊日期 between \"2024-01-01\" and \"2024-12-31\"", "v.就诊类型 in (\"门诊\", \"急诊\")"])
        #expect(threshold.groupKeys == ["v.患者所在乡镇", "v.年龄 bucket 10", "v.就诊日期 by month"])
        #expect(threshold.checks == ["min_units:20", "dominance:2/85", "cell_key:3", "audit"])
        #expect(threshold.epsilon == 0)
        let dp = try Fixtures.plan(Fixtures.visitsQuery(mode: "dp", privacy: #"{"epsilon": 0.5}"#)).dryRun
        #expect(dp.checks.contains("dp:laplace"))
        #expect(dp.checks.contains { $0.hasPrefix("dp_threshold:") })
        #expect(dp.measures[0].noiseStandardDeviation ?? 0 > 0)
        #expect(dp.epsilon == 0.5)
        #expect(try JSONDecoder().decode(DryRun.self, from: JSONEncoder().encode(dp)) == dp)
    }
}

@Suite("Injection: operator text reaches SQL only as bound values")
struct InjectionTests {
    static let hostile = ["'", "\"", ";", "--", "/*", "x'; DROP TABLE t; --", "\" OR \"1\"=\"1", "*/ UNION SELECT 1 /*"]

    @Test("SQL metacharacters in every string position end up only in .bind pieces or are refused")
    func metacharacters() throws {
        for payload in Self.hostile {
            let escaped = payload.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let positions = [
                Fixtures.visitsQuery(filters: #"[{"column": "v.患者所在乡镇", "op": "=", "value": "\#(escaped)"}]"#),
                Fixtures.visitsQuery(filters: #"[{"column": "v.就诊类型", "op": "in", "value": ["a", "\#(escaped)"]}]"#),
                Fixtures.visitsQuery(filters: #"[{"column": "v.诊断", "op": "=", "value": "\#(escaped)"}]"#),
                Fixtures.visitsQuery(groupBy: #"[{"column": "v.\#(escaped)"}]"#),
                Fixtures.visitsQuery(groupBy: #"[{"column": "\#(escaped).患者所在乡镇"}]"#),
                Fixtures.visitsQuery(measures: #"[{"name": "\#(escaped)", "agg": "count_units"}]"#),
                Fixtures.visitsQuery(measures: #"[{"name": "t", "agg": "sum", "column": "v.\#(escaped)"}]"#),
                Fixtures.visitsQuery(filters: #"[{"column": "v.就诊日期", "op": "=", "value": "\#(escaped)"}]"#),
                Fixtures.visitsQuery().replacingOccurrences(of: "res-visits", with: escaped),
                Fixtures.visitsQuery().replacingOccurrences(of: "\"alias\": \"v\"", with: "\"alias\": \"\(escaped)\""),
            ]
            for json in positions {
                let plan: QueryPlan
                do {
                    plan = try Fixtures.plan(json)
                } catch {
                    continue  // refused: nothing compiled
                }
                for piece in plan.statement.pieces {
                    if case .sql(let text) = piece {
                        #expect(!text.contains(payload), "payload \(payload) reached SQL text")
                    }
                }
                #expect(Fixtures.binds(plan.statement).contains(.text(payload)))
            }
        }
    }

    @Test("Catalog names go out as identifiers, never as SQL text, even when they contain quotes")
    func catalogNamesAreIdentifiers() throws {
        var dataset = Fixtures.visits
        dataset.columns[1].name = "乡镇\"; DROP TABLE x; --"
        dataset.table = "ds\"weird"
        let spec = Fixtures.visitsQuery(groupBy: #"[{"column": "v.乡镇\"; DROP TABLE x; --"}]"#)
        let plan = try Fixtures.plan(spec, datasets: [dataset])  // the fixture's partition follows the renamed column
        #expect(plan.statement.pieces.contains(.identifier("乡镇\"; DROP TABLE x; --")))
        #expect(plan.statement.pieces.contains(.identifier("ds\"weird")))
        for case .sql(let text) in plan.statement.pieces {
            #expect(!text.contains("DROP") && !text.contains("weird"))
        }
    }
}

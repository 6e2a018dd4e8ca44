import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

@Suite("Threshold output guard and differencing")
struct OutputGuardTests {
    static let spec = Fixtures.visitsQuery(measures: #"[{"name": "persons", "agg": "count_units"}, {"name": "total", "agg": "sum", "column": "v.总费用_元"}, {"name": "avg_cost", "agg": "avg", "column": "v.总费用_元"}]"#)

    /// g1, n_units, n_rows, s1 (cents), top1, abs1
    static func row(_ town: String, units: Int64, sum: Int64, top: Int64) -> [SQLValue] {
        [.text(town), .integer(units), .integer(units * 2), .integer(sum), .integer(top), .integer(sum)]
    }

    @Test("Rows below minUnits, dominated sums and differenced cells are suppressed and counted by reason")
    func guardSuppresses() throws {
        let plan = try Fixtures.plan(Self.spec)
        let output = ExecutionOutput(rows: [
            Self.row("甲镇", units: 50, sum: 1_000_000, top: 200_000),
            Self.row("乙镇", units: 11, sum: 100_000, top: 10_000),
            Self.row("丙镇", units: 30, sum: 1_000_000, top: 900_000),
            Self.row("丁镇", units: 40, sum: 400_000, top: 40_000),
            Self.row("戊镇", units: 40, sum: 400_000, top: 40_000),
        ], seconds: 0.1)
        let differences = ExecutionOutput(rows: [
            [.text("丁镇"), .integer(3)], [.text("戊镇"), .integer(0)], [.text("甲镇"), .integer(25)],
        ], seconds: 0.1)
        var random = SplitMix64(seed: 1)
        let answer = plan.release(output, differences: [differences], random: &random)
        #expect(answer.columns.map(\.name) == ["v.患者所在乡镇", "persons", "total", "avg_cost"])
        #expect(answer.columns.map(\.role) == [.group, .measure, .measure, .measure])
        #expect(answer.rows == [
            [.text("戊镇"), .number(40), .number(4000), .number(100)],
            [.text("甲镇"), .number(50), .number(10000), .number(200)],
        ] || answer.rows == [
            [.text("甲镇"), .number(50), .number(10000), .number(200)],
            [.text("戊镇"), .number(40), .number(4000), .number(100)],
        ])
        #expect(answer.suppressedRows == 3)
        #expect(answer.suppressedByReason == ["min_units": 1, "dominance": 1, "differencing": 1])
        #expect(answer.epsilonCharged == 0)
        #expect(answer.cellsReleased == 8)
        #expect(answer.mode == .threshold)
    }

    @Test("R12 the database's summary row of groups kept back for too few units is counted as suppressed, never released")
    func summaryRowCounted() throws {
        let plan = try Fixtures.plan(Self.spec)
        var random = SplitMix64(seed: 1)
        let answer = plan.release(ExecutionOutput(rows: [
            Self.row("甲镇", units: 50, sum: 1_000_000, top: 200_000),
            [.null, .integer(-4), .integer(0), .integer(0), .integer(0), .integer(0)],
        ], seconds: 0), differences: [], random: &random)
        #expect(answer.rows.count == 1)
        #expect(answer.suppressedRows == 4 && answer.suppressedByReason == ["min_units": 4])
    }

    @Test("The dominance rule is exactly the policy's top-N share: 85% passes, above it is suppressed")
    func dominanceBoundary() throws {
        let plan = try Fixtures.plan(Self.spec)
        var random = SplitMix64(seed: 1)
        let atLimit = plan.release(ExecutionOutput(rows: [Self.row("甲镇", units: 20, sum: 1000, top: 850)], seconds: 0),
                                   differences: [], random: &random)
        #expect(atLimit.rows.count == 1)
        let above = plan.release(ExecutionOutput(rows: [Self.row("甲镇", units: 20, sum: 1000, top: 851)], seconds: 0),
                                 differences: [], random: &random)
        #expect(above.suppressedByReason == ["dominance": 1])
    }

    @Test("Order by a measure and the limit apply after the guard")
    func orderAndLimit() throws {
        let json = Fixtures.visitsQuery().replacingOccurrences(of: "\"mode\"", with: #""orderBy": [{"measure": "persons", "desc": true}], "limit": 2, "mode""#)
        let plan = try Fixtures.plan(json)
        let rows: [[SQLValue]] = [("a", 15), ("b", 5), ("c", 30), ("d", 20)].map { [.text($0.0), .integer($0.1), .integer($0.1)] }
        var random = SplitMix64(seed: 1)
        let answer = plan.release(ExecutionOutput(rows: rows, seconds: 0), differences: [], random: &random)
        #expect(answer.rows == [[.text("c"), .number(30)], [.text("d"), .number(20)]])
        #expect(answer.suppressedByReason == ["min_units": 1])
        #expect(answer.notes.contains("limited to 2 rows"))
    }

    @Test("Date keys are released as YYYY-MM-DD, booleans as true/false")
    func keyFormatting() throws {
        let plan = try Fixtures.plan(Fixtures.visitsQuery(groupBy: #"[{"column": "v.就诊日期", "bucket": 7}, {"column": "v.医保"}]"#))
        var random = SplitMix64(seed: 1)
        let answer = plan.release(ExecutionOutput(rows: [[.integer(19723), .integer(1), .integer(30), .integer(30)]], seconds: 0),
                                  differences: [], random: &random)
        #expect(answer.rows == [[.text("2024-01-01"), .text("true"), .number(30)]])
    }

    @Test("Differencing compares per unit across both filter sets, only for comparable threshold queries")
    func differencingStatement() throws {
        let current = try Fixtures.plan(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": ">=", "value": 30}]"#))
        let earlier = try Fixtures.parse(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": ">=", "value": 35}]"#))
        let statement = try #require(current.differencing(against: earlier))
        let sql = Fixtures.text(statement)
        #expect(sql.contains("CASE WHEN t0.\"年龄\" >= ? THEN 1 ELSE 0 END AS a"))
        #expect(sql.contains("WHERE t0.\"身份证号\" IS NOT NULL AND ((t0.\"年龄\" >= ?) OR (t0.\"年龄\" >= ?))"))
        #expect(sql.contains("MAX(a) AS a, MAX(b) AS b FROM j GROUP BY u, g1"))
        #expect(sql.hasSuffix("SUM(CASE WHEN a <> b THEN 1 ELSE 0 END) AS BIGINT) AS diff FROM per_unit GROUP BY g1"))
        #expect(statement.columnCount == 2)
        #expect(Fixtures.binds(statement).contains(.integer(35)))
        // Not comparable: other group keys, identical filters, or DP.
        #expect(current.differencing(against: try Fixtures.parse(Fixtures.visitsQuery(groupBy: #"[{"column": "v.医保"}]"#))) == nil)
        #expect(current.differencing(against: current.spec) == nil)
        let dp = try Fixtures.plan(Fixtures.visitsQuery(mode: "dp", privacy: #"{"epsilon": 0.5}"#))
        #expect(dp.differencing(against: earlier) == nil)
    }

    @Test("The CSV export has a header, quotes fields and defuses formula-like text")
    func csv() {
        let answer = QueryAnswer(columns: [.init(name: "town", role: .group), .init(name: "n", role: .measure)],
                                 rows: [[.text("=cmd"), .number(12)], [.text("a,b"), .null]], suppressedRows: 0,
                                 suppressedByReason: [:], epsilonCharged: 0, mode: .threshold, notes: [])
        #expect(answer.csv == "town,n\r\n'=cmd,12\r\n\"a,b\",\r\n")
    }
}

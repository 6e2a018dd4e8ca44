import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

@Suite("Cell-key perturbation of threshold answers (R12, perturbation.md §2)")
struct CellKeyTests {
    static let spec = Fixtures.visitsQuery(measures: #"[{"name": "persons", "agg": "count_units"}, {"name": "total", "agg": "sum", "column": "v.总费用_元"}, {"name": "avg_cost", "agg": "avg", "column": "v.总费用_元"}]"#)
    static let table = PerturbationTable(maxNoise: 3, variance: 1.5)

    /// g1, n_units, n_rows, ck, top_rows, then s1 (cents), top1, abs1, largest1.
    static func row(_ town: String, units: Int64, sum: Int64, largest: Int64, key: Int64, top: Int64? = nil) -> [SQLValue] {
        [.text(town), .integer(units), .integer(units * 2), .integer(key), .integer(3),
         .integer(sum), .integer(top ?? largest), .integer(sum), .integer(largest)]
    }

    @Test("R12 every perturbation table row is a zero-mean distribution with variance V, bounded by D, never below zero")
    func tableRows() {
        for table in [Self.table, PerturbationTable(maxNoise: 5, variance: 3)] {
            #expect(table.rows[0].noise == [0])
            for (count, row) in table.rows.enumerated().dropFirst() {
                #expect(row.probabilities.allSatisfy { $0 >= 0 })
                #expect(zip(row.upperBounds, row.upperBounds.dropFirst()).allSatisfy { $0 < $1 })
                #expect(row.upperBounds.last == 1 << 32)
                let mean = zip(row.noise, row.probabilities).reduce(0) { $0 + Double($1.0) * $1.1 }
                let variance = zip(row.noise, row.probabilities).reduce(0) { $0 + Double($1.0 * $1.0) * $1.1 }
                #expect(abs(mean) < 1e-9)
                #expect(abs(variance - table.variance) < 1e-6)
                #expect(row.noise.allSatisfy { abs($0) <= Int64(table.maxNoise) && Int64(count) + $0 >= 0 })
            }
        }
    }

    @Test("R12 the symmetric row for D = 3, V = 1.5 matches the published worked example")
    func goldenRow() {
        // perturbation.md §2.3: the cumulative bounds of the row for counts ≥ 3, scaled to 2³².
        let published: [UInt64] = [76_879_915, 459_132_004, 1_459_000_390, 2_835_966_906, 3_835_835_292, 4_218_087_381, 4_294_967_296]
        let row = Self.table.rows[3]
        for (mine, theirs) in zip(row.upperBounds, published) { #expect(abs(Double(mine) - Double(theirs)) / Double(theirs) < 0.002) }
        #expect(Self.table.noise(count: 57, key: 1_500_000_000) == 0)
        #expect(Self.table.noise(count: 57, key: 4_000_000_000) == 2)
    }

    @Test("R12 cell keys drawn at random give the table's noise distribution (χ² at α = 0.001, mean 0, variance V)")
    func noiseDistribution() {
        var random = SplitMix64(seed: 42)
        for count in [1, 2, 3, 57] as [Int64] {
            let row = Self.table.rows[Int(min(count, 3))]
            var observed: [Int64: Int] = [:]
            let draws = 100_000
            for _ in 0..<draws { observed[Self.table.noise(count: count, key: random.next() & 0xFFFF_FFFF), default: 0] += 1 }
            var statistic = 0.0
            for (value, probability) in zip(row.noise, row.probabilities) {
                let expected = Double(draws) * probability
                statistic += pow(Double(observed[value] ?? 0) - expected, 2) / expected
            }
            // χ² critical values at α = 0.001 for 4, 5 and 6 degrees of freedom.
            #expect(statistic < [4: 18.47, 5: 20.52, 6: 22.46][row.noise.count - 1]!, "count \(count)")
            let values = observed.flatMap { Array(repeating: Double($0.key), count: $0.value) }
            let mean = values.reduce(0, +) / Double(draws)
            #expect(abs(mean) < 0.02)
            #expect(abs(values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws) - 1.5) < 0.05)
        }
    }

    @Test("R12 the same cell key always gives the same answer; another key gives other noise; no RNG is used")
    func consistent() throws {
        let plan = try Fixtures.plan(Self.spec)
        let output = ExecutionOutput(rows: [Self.row("甲镇", units: 50, sum: 1_000_000, largest: 200_000, key: 123_456_789)], seconds: 0)
        var first = SplitMix64(seed: 1), second = SplitMix64(seed: 2)
        #expect(plan.release(output, random: &first) == plan.release(output, random: &second))
        var answers: Set<String> = []
        for key in 0..<40 as Range<Int64> {
            let other = ExecutionOutput(rows: [Self.row("甲镇", units: 50, sum: 1_000_000, largest: 200_000, key: key * 97_000_013)], seconds: 0)
            answers.insert("\(plan.release(other, random: &first).rows)")
        }
        #expect(answers.count > 10)
    }

    @Test("R12 counts move by at most D, sums by between the floor and the ceiling share of the largest contribution")
    func bounds() throws {
        let plan = try Fixtures.plan(Self.spec)
        let policy = Fixtures.policy
        var random = SplitMix64(seed: 1)
        for key in 0..<500 as Range<Int64> {
            let output = ExecutionOutput(rows: [Self.row("甲镇", units: 50, sum: 1_000_000, largest: 200_000, key: key &* 2_654_435_761)], seconds: 0)
            let answer = plan.release(output, random: &random)
            let row = try #require(answer.rows.first)
            let units = try #require(row[1].number), total = try #require(row[2].number)
            #expect(abs(units - 50) <= Double(policy.sandboxCellKeyMaxNoise))
            let moved = abs(total - 10_000)   // in yuan: 1,000,000 cents
            #expect(moved >= 2_000 * Double(policy.sandboxSumNoiseFloorPercent) / 100 - 0.01)
            #expect(moved <= 2_000 * Double(policy.sandboxSumNoisePercent) / 100 + 0.01)
            #expect(row[3].number == total / units)
            #expect(answer.perturbation == QueryAnswer.Perturbation(countsAtMost: 3, sumsAtMostPercentOfLargest: policy.sandboxSumNoisePercent))
        }
    }

    @Test("R12 a cell below the minimum after perturbation is left out, and the answer says nothing of how many were")
    func smallCellsLeftOut() throws {
        let plan = try Fixtures.plan(Self.spec)
        var random = SplitMix64(seed: 1)
        let answer = plan.release(ExecutionOutput(rows: [
            Self.row("甲镇", units: 50, sum: 1_000_000, largest: 200_000, key: 1),
            Self.row("乙镇", units: 5, sum: 100_000, largest: 30_000, key: 2),
        ], seconds: 0), random: &random)
        #expect(answer.rows.count == 1 && answer.rows[0][0] == .text("甲镇"))
        let json = String(decoding: try JSONEncoder().encode(answer), as: UTF8.self)
        #expect(!json.contains("suppress") && !json.contains("乙镇"))
    }

    @Test("R12 a dominated sum always gets the ceiling share of noise")
    func dominatedIsSensitive() throws {
        let plan = try Fixtures.plan(Self.spec)
        var random = SplitMix64(seed: 1)
        for key in 0..<100 as Range<Int64> {
            let output = ExecutionOutput(rows: [Self.row("甲镇", units: 50, sum: 1_000_000, largest: 900_000, key: key &* 40_503, top: 950_000)],
                                         seconds: 0)
            let total = try #require(plan.release(output, random: &random).rows.first?[2].number)
            #expect(abs(abs(total - 10_000) - 9_000 * Double(Fixtures.policy.sandboxSumNoisePercent) / 100) <= 0.01)
        }
    }

    @Test("Order by a measure and the limit apply after perturbation")
    func orderAndLimit() throws {
        let json = Fixtures.visitsQuery().replacingOccurrences(of: "\"mode\"", with: #""orderBy": [{"measure": "persons", "desc": true}], "limit": 2, "mode""#)
        let plan = try Fixtures.plan(json)
        let rows: [[SQLValue]] = [("a", 15), ("丁镇", 200), ("丙镇", 3000), ("乙镇", 40)].map {
            [.text($0.0), .integer($0.1), .integer($0.1), .integer(7), .integer(1)]
        }
        var random = SplitMix64(seed: 1)
        let answer = plan.release(ExecutionOutput(rows: rows, seconds: 0), random: &random)
        #expect(answer.rows.map { $0[0] } == [.text("丙镇"), .text("丁镇")])
        #expect(answer.notes.contains("limited to 2 rows"))
    }

    @Test("Date keys are released as YYYY-MM-DD, booleans as true/false")
    func keyFormatting() throws {
        let plan = try Fixtures.plan(Fixtures.visitsQuery(groupBy: #"[{"column": "v.就诊日期", "bucket": 7}, {"column": "v.医保"}]"#))
        var random = SplitMix64(seed: 1)
        let answer = plan.release(ExecutionOutput(rows: [[.integer(19723), .integer(1), .integer(30), .integer(30), .integer(9), .integer(1)]], seconds: 0),
                                  random: &random)
        #expect(answer.rows.first?.prefix(2) == [.text("2024-01-01"), .text("true")])
    }

    @Test("The CSV export has a header, quotes fields and defuses formula-like text")
    func csv() {
        let answer = QueryAnswer(columns: [.init(name: "town", role: .group), .init(name: "n", role: .measure)],
                                 rows: [[.text("=cmd"), .number(12)], [.text("a,b"), .null]], epsilonCharged: 0, mode: .threshold, notes: [])
        #expect(answer.csv == "town,n\r\n'=cmd,12\r\n\"a,b\",\r\n")
    }
}

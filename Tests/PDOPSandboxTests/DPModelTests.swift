import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

/// Issue 10 item 4: model jobs release only DP coefficients, metrics from the noisy statistics and noisy counts.
@Suite("DP model jobs")
struct DPModelTests {
    static func plan(kind: String = "linear", features: String = #"["v.年龄", "v.住院天数"]"#, target: String = "v.总费用_元",
                     privacy: String = "") throws(DomainError) -> ModelPlan {
        let json = #"{"kind": "\#(kind)", "name": "费用模型", "sources": [{"alias": "v", "dataset": "res-visits"}], "features": \#(features), "target": "\#(target)"\#(privacy)}"#
        return try Fixtures.engine.plan(try Fixtures.engine.parseModelJob(Data(json.utf8)), datasets: Fixtures.all, dialect: .sqlite)
    }

    static func unit(_ index: Int) -> SQLValue { .text("U\(index)") }

    /// cost = 1300 + 30·age − 20·days + uniform noise of ±100: it fills the declared [0, 5000] of 总费用_元.
    static func linearRows(_ count: Int, seed: UInt64) -> [[SQLValue]] {
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        return (0..<count).map { index in
            let age = uniform() * 120, days = uniform() * 60
            return [unit(index), .double(age), .double(days), .double(1300 + 30 * age - 20 * days + (uniform() - 0.5) * 200)]
        }
    }

    static func fit(_ plan: ModelPlan, _ rows: [[SQLValue]], seed: UInt64) throws(DomainError) -> ModelResult {
        var random = SplitMix64(seed: seed)
        return try plan.fit(ExecutionOutput(rows: rows, seconds: 0), random: &random)
    }

    /// The mean relative error of the two slopes against the true (30, −20).
    static func slopeError(_ result: ModelResult) -> Double {
        (abs(result.coefficients[0].value - 30) / 30 + abs(result.coefficients[1].value + 20) / 20) / 2
    }

    @Test("R12 a DP linear fit recovers known coefficients at n = 20,000, and its error falls as n grows")
    func linearUtility() throws {
        let plan = try Self.plan()
        let rows = Self.linearRows(20_000, seed: 11)
        for seed in UInt64(1)...3 {
            let result = try Self.fit(plan, rows, seed: seed)
            #expect(result.coefficients.map(\.name) == ["v.年龄", "v.住院天数"] && result.kind == .linear)
            #expect(Self.slopeError(result) < 0.1, "seed \(seed): \(result.coefficients)")
            #expect(abs(result.intercept - 1300) < 250, "seed \(seed): \(result.intercept)")
            #expect((result.metrics["r2"] ?? 0) <= 1 && result.epsilonCharged == 1)
        }
        // Metrics come from the noisy statistics: with real residual spread (rmse 577, R² 0.54) they are close.
        var random = SplitMix64(seed: 13)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let spread: [[SQLValue]] = (0..<20_000).map { index in
            let age = uniform() * 120, days = uniform() * 60
            return [Self.unit(index), .double(age), .double(days), .double(2000 + 15 * age - 20 * days + (uniform() - 0.5) * 2000)]
        }
        let noisy = try Self.fit(plan, spread, seed: 1)
        #expect(abs((noisy.metrics["rmse"] ?? 0) / 577 - 1) < 0.1 && abs((noisy.metrics["r2"] ?? 0) - 0.54) < 0.05, "\(noisy.metrics)")
        func meanError(_ count: Int) throws -> Double {
            let rows = Self.linearRows(count, seed: UInt64(count))
            return try (UInt64(1)...4).map { Self.slopeError(try Self.fit(plan, rows, seed: $0 + 100)) }.reduce(0, +) / 4
        }
        let small = try meanError(2_000), large = try meanError(50_000)
        #expect(large < small / 3, "mean relative error \(small) at n = 2,000 vs \(large) at n = 50,000")
    }

    @Test("R12 a linear model over a narrow filter does not reproduce one person's value")
    func narrowRangeAttack() throws {
        // Eleven persons the attacker knows, aged 30–40 with small costs; the target, aged 41, has a large one.
        let others: [(age: Double, cost: Double)] = (0..<11).map { index -> (age: Double, cost: Double) in
            let age: Double = 30 + Double(index), cost: Double = 200 + Double(index % 3) * 10
            return (age, cost)
        }
        let target = (age: 41.0, cost: 4800.0)
        let people = others + [target]
        let rows: [[SQLValue]] = people.enumerated().map { [Self.unit($0.offset), .double($0.element.age), .double($0.element.cost)] }
        // The attacker's estimate: residuals of a fit with intercept sum to 0, so Σy = n·β₀ + β₁·Σx.
        func estimate(intercept: Double, slope: Double) -> Double {
            Double(people.count) * intercept + slope * people.map(\.age).reduce(0, +) - others.map(\.cost).reduce(0, +)
        }
        // On the exact least-squares fit the estimate is the target's value: the attack the DP fit must stop.
        let meanX = people.map(\.age).reduce(0, +) / 12, meanY = people.map(\.cost).reduce(0, +) / 12
        let covariance: Double = people.map { ($0.age - meanX) * ($0.cost - meanY) }.reduce(0, +)
        let variance: Double = people.map { ($0.age - meanX) * ($0.age - meanX) }.reduce(0, +)
        let slope = covariance / variance
        #expect(abs(estimate(intercept: meanY - slope * meanX, slope: slope) - target.cost) < 1e-6)

        let plan = try Self.plan(features: #"["v.年龄"]"#)
        let floor = 0.1 * 5000  // a tenth of the target column's declared range
        var protected = 0
        for seed in UInt64(1)...50 {
            do {
                let result = try Self.fit(plan, rows, seed: seed)
                if abs(estimate(intercept: result.intercept, slope: result.coefficients[0].value) - target.cost) >= floor { protected += 1 }
            } catch {
                #expect(error == ModelPlan.tooFewUnits)
                protected += 1
            }
        }
        #expect(protected >= 45, "only \(protected) of 50 releases kept the target's value off by \(floor)")
    }

    @Test("R12 a DP logistic fit (objective perturbation) classifies separable-ish data well at n = 20,000 and ε = 1")
    func logisticUtility() throws {
        let plan = try Self.plan(kind: "logistic", target: "v.医保", privacy: #", "privacy": {"epsilon": 1}"#)
        var random = SplitMix64(seed: 12)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let people: [(age: Double, days: Double, label: Bool)] = (0..<20_000).map { _ in
            let age = uniform() * 120, days = uniform() * 60
            return (age, days, age + days / 2 + (uniform() - 0.5) * 30 > 75)
        }
        let rows = people.enumerated().map { [Self.unit($0.offset), .double($0.element.age), .double($0.element.days), .integer($0.element.label ? 1 : 0)] }
        for seed in UInt64(1)...3 {
            let result = try Self.fit(plan, rows, seed: seed)
            let correct = people.filter { person in
                let logit = result.intercept + result.coefficients[0].value * person.age + result.coefficients[1].value * person.days
                return (logit > 0) == person.label
            }.count
            let accuracy = Double(correct) / Double(people.count)
            #expect(accuracy > 0.85, "seed \(seed): accuracy \(accuracy), \(result.coefficients), \(result.intercept)")
            #expect(result.metrics.isEmpty, "nothing computed on the rows is released")
        }
    }

    @Test("R12 the logistic noise vector has the Gamma(d+1, 2/ε′) norm its calibration assumes")
    func logisticNoiseNorm() throws {
        let fitter = try #require(DPLogisticRegression(featureCount: 2, epsilon: 0.8))
        #expect(abs(fitter.noiseEpsilon - 0.72) < 1e-9)
        var sampler = DiscreteNoise(SplitMix64(seed: 5))
        var total = 0.0, squares = 0.0
        for _ in 0..<2_000 {
            let vector = fitter.perturbation(&sampler)
            let norm = ModelAlgebra.dot(vector, vector).squareRoot()
            total += norm
            squares += norm * norm
        }
        let mean = total / 2_000, variance = squares / 2_000 - mean * mean
        let scale = 2 / fitter.noiseEpsilon
        #expect(abs(mean / (3 * scale) - 1) < 0.05, "mean \(mean)")
        #expect(abs(variance / (3 * scale * scale) - 1) < 0.15, "variance \(variance)")
    }

    @Test("R12 released rows and units are noisy counts, never below 0, and differ from the exact counts in most seeds")
    func noisyCounts() throws {
        let plan = try Self.plan()
        // 200 persons with 1 to 3 rows each: 400 rows.
        let rows = Self.linearRows(200, seed: 3).enumerated().flatMap { index, row in Array(repeating: row, count: 1 + index % 3) }
        var rowsDiffer = 0, unitsDiffer = 0
        for seed in UInt64(1)...40 {
            let result = try Self.fit(plan, rows, seed: seed)
            #expect(result.rows >= 0 && result.units >= plan.minUnits)
            if result.rows != rows.count { rowsDiffer += 1 }
            if result.units != 200 { unitsDiffer += 1 }
        }
        #expect(rowsDiffer >= 36 && unitsDiffer >= 32, "rows differed in \(rowsDiffer), units in \(unitsDiffer) of 40")
        // 30 persons with one row each: the row count's noise (scale 400 at ε = 1) often goes below 0 and is released as 0.
        let few = Self.linearRows(30, seed: 4)
        var zeros = 0
        for seed in UInt64(1)...40 {
            guard let result = try? Self.fit(plan, few, seed: seed) else { continue }
            #expect(result.rows >= 0 && result.units >= 0)
            if result.rows == 0 { zeros += 1 }
        }
        #expect(zeros > 0)
    }

    @Test("R12 a model job is refused for ε out of range, and for a noisy unit count below minUnits without quoting a count")
    func refusals() throws {
        for epsilon in ["0", "-1", "1.5"] {
            let error = Fixtures.error { try Self.plan(privacy: #", "privacy": {"epsilon": \#(epsilon)}"#) }
            #expect(error?.rule == "R12" && error?.field == "/privacy/epsilon" && error?.kind == .ruleRefusal, "ε \(epsilon)")
        }
        #expect(try Self.plan(privacy: #", "privacy": {"epsilon": 0.25}"#).epsilon == 0.25)
        #expect(try Self.plan(privacy: #", "privacy": {}"#).epsilon == Fixtures.policy.sandboxModelDefaultEpsilon)
        // Three persons with 200 rows each: the noisy unit count is below minUnits (12) almost always.
        let plan = try Self.plan()
        let rows = Self.linearRows(600, seed: 9).enumerated().map { [Self.unit($0.offset % 3)] + $0.element.dropFirst() }
        var refused = 0
        for seed in UInt64(1)...50 {
            guard let error = Fixtures.error({ try Self.fit(plan, rows, seed: seed) }) else { continue }
            #expect(error == ModelPlan.tooFewUnits && !error.message.contains(where: \.isNumber))
            refused += 1
        }
        #expect(refused >= 38, "refused \(refused) of 50")
        #expect(plan.refusalEpsilon == plan.epsilon * ModelPlan.unitShare)
    }
}

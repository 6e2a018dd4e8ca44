import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

@Suite("Model jobs")
struct ModelJobTests {
    static func job(kind: String = "linear", features: String = #"["v.年龄", "v.住院天数"]"#, target: String = "v.总费用_元") -> String {
        #"{"kind": "\#(kind)", "name": "费用模型", "sources": [{"alias": "v", "dataset": "res-visits"}], "features": \#(features), "target": "\#(target)"}"#
    }

    static func plan(_ json: String) throws(DomainError) -> ModelPlan {
        try Fixtures.engine.plan(try Fixtures.engine.parseModelJob(Data(json.utf8)), datasets: Fixtures.all, dialect: .sqlite)
    }

    static func unit(_ index: Int) -> SQLValue { .text("U\(index)") }

    @Test("A job compiles to unit, clamped features and target, with LIMIT bound to sandboxMaxModelRows + 1")
    func statement() throws {
        let plan = try Self.plan(Self.job())
        let sql = Fixtures.text(plan.statement)
        #expect(sql.hasPrefix("SELECT t0.\"身份证号\", MIN(MAX(CAST(t0.\"年龄\" AS DOUBLE PRECISION), ?), ?)"))
        #expect(sql.hasSuffix("t0.\"总费用_元\" IS NOT NULL LIMIT ?"))
        #expect(Fixtures.binds(plan.statement).last == .integer(Int64(Fixtures.policy.sandboxMaxModelRows) + 1))
        #expect(plan.statement.columnCount == 4)
        #expect(plan.definitionHash.count == 64)
        var changed = Fixtures.visits
        changed.dataVersion += 1
        let other = try Fixtures.engine.plan(try Fixtures.engine.parseModelJob(Data(Self.job().utf8)), datasets: [changed], dialect: .sqlite)
        #expect(other.definitionHash != plan.definitionHash)
    }

    @Test("R12 model inputs must be bounded AGGREGATE/PUBLIC numbers or GROUP_BY/PUBLIC booleans and integers; logistic targets binary")
    func inputRules() {
        let compare = Fixtures.error { try Self.plan(Self.job(features: #"["v.就诊类型"]"#)) }
        #expect(compare?.rule == "R12")
        #expect(compare?.field == "/features/0")
        let unbounded = Fixtures.error { try Self.plan(Self.job(target: "v.无界费用")) }
        #expect(unbounded?.field == "/target")
        let logistic = Fixtures.error { try Self.plan(Self.job(kind: "logistic")) }
        #expect(logistic?.rule == "R12")
        #expect(logistic?.field == "/target")
        #expect(Fixtures.error { try Self.plan(Self.job(kind: "logistic", target: "v.医保")) } == nil)
        let unknown = Fixtures.error { try Self.plan(Self.job(features: #"["v.姓名"]"#)) }
        #expect(unknown == DomainError(.notFound, "no such dataset or column in this workspace", field: "/features/0"))
        let extraKey = Fixtures.error { try Fixtures.engine.parseModelJob(Data(Self.job().replacingOccurrences(of: "\"kind\"", with: "\"code\": 1, \"kind\"").utf8)) }
        #expect(extraKey?.field == "/code")
    }

    @Test("Linear regression recovers known coefficients on the original scale")
    func linearRecovers() throws {
        let plan = try Self.plan(Self.job())
        var random = SplitMix64(seed: 11)
        let rows: [[SQLValue]] = (0..<2000).map { index in
            let age = Double(random.next() % 100), days = Double(random.next() % 30)
            let noise = Double(random.next() % 1000) / 1000 - 0.5
            return [Self.unit(index), .double(age), .double(days), .double(3 + 2 * age - 0.5 * days + noise)]
        }
        let result = try plan.fit(ExecutionOutput(rows: rows, seconds: 0))
        #expect(abs(result.coefficients[0].value - 2) < 0.01)
        #expect(abs(result.coefficients[1].value + 0.5) < 0.01)
        #expect(abs(result.intercept - 3) < 0.1)
        #expect(result.coefficients.map(\.name) == ["v.年龄", "v.住院天数"])
        #expect(result.metrics["r2"] ?? 0 > 0.99)
        #expect(abs((result.metrics["rmse"] ?? 0) - 0.29) < 0.05)
        #expect(result.rows == 2000 && result.units == 2000 && result.kind == .linear)
    }

    @Test("Logistic regression matches a known solution within tolerance and separates a clean dataset")
    func logisticFits() throws {
        let plan = try Self.plan(Self.job(kind: "logistic", target: "v.医保"))
        var random = SplitMix64(seed: 12)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let rows: [[SQLValue]] = (0..<20_000).map { index in
            let age = uniform() * 100, days = uniform() * 30
            let probability = 1 / (1 + exp(-(-1 + 0.04 * age - 0.1 * days)))
            return [Self.unit(index), .double(age), .double(days), .integer(uniform() < probability ? 1 : 0)]
        }
        let result = try plan.fit(ExecutionOutput(rows: rows, seconds: 0))
        #expect(abs(result.coefficients[0].value - 0.04) < 0.005)
        #expect(abs(result.coefficients[1].value + 0.1) < 0.015)
        #expect(abs(result.intercept + 1) < 0.15)
        #expect(result.metrics["auc"] ?? 0 > 0.7)
        let separable: [[SQLValue]] = (0..<1000).map { index in
            let age = uniform() * 100
            return [Self.unit(index), .double(age), .double(uniform() * 30), .integer(age > 50 ? 1 : 0)]
        }
        let clean = try plan.fit(ExecutionOutput(rows: separable, seconds: 0))
        #expect(clean.metrics["accuracy"] ?? 0 > 0.9)
        #expect(clean.metrics["auc"] ?? 0 > 0.95)
        #expect(clean.coefficients.allSatisfy { $0.value.isFinite })
    }

    @Test("R12 fit refuses rows from fewer than minUnits distinct units")
    func refusesFewUnits() throws {
        let plan = try Self.plan(Self.job())
        let rows: [[SQLValue]] = (0..<500).map { [Self.unit($0 % 5), .double(Double($0)), .double(1), .double(2)] }
        let error = Fixtures.error { try plan.fit(ExecutionOutput(rows: rows, seconds: 0)) }
        #expect(error?.rule == "R12")
        #expect(plan.minUnits == 12)
    }
}

@Suite("Synthetic previews")
struct SyntheticPreviewTests {
    static let profiles = [
        PreviewProfile(name: "患者所在乡镇", nullRate: 0.1, topValues: [("城关镇", 500), ("七星街道", 300), ("罕见村", 3)]),
        PreviewProfile(name: "身份证号", topValues: [("330624199001011234", 1)]),
        PreviewProfile(name: "就诊日期", minimum: "2024-01-01", maximum: "2024-06-30"),
        PreviewProfile(name: "就诊类型", topValues: [("门诊", 900)]),
    ]

    @Test("Previews never contain a low-count top value nor anything shaped like an ID, mobile or credit code")
    func noRealValues() {
        let rows = SyntheticPreview.rows(for: Fixtures.visits, profiles: Self.profiles, count: 500, seed: 42)
        let values = rows.flatMap { $0 }
        #expect(rows.count == 500 && rows.allSatisfy { $0.count == Fixtures.visits.columns.count })
        #expect(!values.contains("罕见村"))
        #expect(!values.contains("330624199001011234"))
        #expect(!values.contains("门诊"))  // a COMPARE column is never shown, however common the value
        #expect(!values.contains(where: PersonalShape.matches))
        #expect(values.contains("城关镇"))
        #expect(rows.map { $0[0] }.allSatisfy { $0.hasPrefix("MOCK-") })
        let dates = rows.map { $0[3] }.filter { !$0.isEmpty }
        #expect(dates.allSatisfy { $0 >= "2024-01-01" && $0 <= "2024-06-30" })
        let ages = rows.compactMap { Int($0[2]) }
        #expect(ages.allSatisfy { (0...120).contains($0) })
        let nulls = rows.filter { $0[1].isEmpty }.count
        #expect(nulls > 20 && nulls < 90)
    }

    @Test("Previews are deterministic for a seed and differ across seeds")
    func deterministic() {
        let a = SyntheticPreview.rows(for: Fixtures.visits, profiles: Self.profiles, count: 20, seed: 1)
        #expect(a == SyntheticPreview.rows(for: Fixtures.visits, profiles: Self.profiles, count: 20, seed: 1))
        #expect(a != SyntheticPreview.rows(for: Fixtures.visits, profiles: Self.profiles, count: 20, seed: 2))
    }

    @Test("The personal-data shape check catches IDs, mobiles and credit codes but not mocks")
    func shapes() {
        #expect(PersonalShape.matches("13812345678"))
        #expect(PersonalShape.matches("33062419900101123X"))
        #expect(PersonalShape.matches("91330624MA2A1B2C3D"))
        #expect(!PersonalShape.matches("MOCK-00042"))
        #expect(!PersonalShape.matches("2024-01-01"))
    }
}

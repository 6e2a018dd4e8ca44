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
        // ε is part of the definition: the default is written into the canonical job, and another ε is another hash.
        #expect(String(decoding: plan.job.canonicalJSON, as: UTF8.self).contains(#""privacy":{"epsilon":1}"#))
        #expect(plan.epsilon == Fixtures.policy.sandboxModelDefaultEpsilon)
        let cheaper = try Self.plan(Self.job().replacingOccurrences(of: "\"kind\"", with: #""privacy": {"epsilon": 0.5}, "kind""#))
        #expect(cheaper.epsilon == 0.5 && cheaper.definitionHash != plan.definitionHash)
    }

    @Test("R12 model inputs must be bounded AGGREGATE/PUBLIC numbers or GROUP_BY/PUBLIC booleans and integers; logistic targets binary")
    func inputRules() throws {
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
        // An integer used as a feature needs declared bounds: the DP sensitivity rests on them.
        var visits = Fixtures.visits
        visits.columns.append(SandboxColumn(name: "就诊次数", type: .integer, level: .groupBy))
        let job = try Fixtures.engine.parseModelJob(Data(Self.job(features: #"["v.年龄", "v.就诊次数"]"#).utf8))
        let unboundedInteger = Fixtures.error { try Fixtures.engine.plan(job, datasets: [visits], dialect: .sqlite) }
        #expect(unboundedInteger?.rule == "R12" && unboundedInteger?.field == "/features/1")
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

import Foundation
import PDOPDomain
import Testing

@Suite("Catalog rules: freshness, category tree, detected schema")
struct CatalogGapsRulesTests {
    static let loaded = Date(timeIntervalSince1970: 1_735_689_600)

    @Test("R3 freshness: fresh, due from the policy's share of the limit, stale past it, unscheduled when irregular")
    func freshness() {
        func state(_ days: Double, _ frequency: UpdateFrequency) -> Freshness {
            Freshness.assess(lastLoadedAt: Self.loaded, frequency: frequency, now: Self.loaded.addingTimeInterval(days * 86_400),
                             duePercent: 80)
        }
        #expect(state(10, .monthly).state == .fresh)
        #expect(state(10, .monthly).ageDays == 10)
        #expect(state(10, .monthly).limitDays == 32)
        #expect(state(25.6, .monthly).state == .due)      // 80 % of 32 days
        #expect(state(25.5, .monthly).state == .fresh)
        #expect(state(32, .monthly).state == .due)        // on the limit is not yet stale
        #expect(state(32.01, .monthly).state == .stale)
        #expect(state(3, .daily).state == .stale)
        #expect(state(400, .irregular).state == .unscheduled)
        #expect(state(400, .irregular).ageDays == 400)
        let never = Freshness.assess(lastLoadedAt: nil, frequency: .daily, now: Self.loaded, duePercent: 80)
        #expect(never.state == .noData && never.ageDays == nil)
    }

    @Test("R3 the category tree: subtree, path and display order; the default tree files every R21 domain")
    func tree() {
        let tree = CategoryTree(DefaultCategories.seed)
        #expect(tree.subtree("theme").contains("theme.health"))
        #expect(!tree.subtree("theme").contains("basic.credit"))
        #expect(tree.subtree("theme.health") == ["theme.health"])
        #expect(tree.subtree("nowhere").isEmpty)
        #expect(tree.path("theme.health").map(\.nameZh) == ["主题信息", "医疗健康"])
        #expect(tree.ordered.first?.category.code == "basic")
        #expect(tree.ordered.first { $0.category.code == "basic.credit" }?.depth == 1)
        for area in DomainArea.all {
            #expect(tree.category(DefaultCategories.code(forDomain: area.code)) != nil, "\(area.code)")
        }
    }

    @Test("R3 R5 applying a detected schema: types from the file, proposals confirmed unless rejected, descriptions kept")
    func detectedSchema() throws {
        let current = [ColumnSpec(name: "身份证号", type: .text, description: "公民身份号码", sensitivity: .quasiIdentifier),
                       ColumnSpec(name: "费用", type: .text, description: "总费用", sensitivity: .ordinary)]
        let detected = [DetectedColumn(name: "身份证号", type: .text, personalData: "resident_id"),
                        DetectedColumn(name: "手机号码", type: .text, personalData: "mobile"),
                        DetectedColumn(name: "费用", type: .decimal, personalData: nil)]
        let applied = try InferredSchema.apply(detected, to: current, rejecting: ["手机号码"])
        #expect(applied.map(\.name) == ["身份证号", "手机号码", "费用"])
        #expect(applied.map(\.sensitivity) == [.directIdentifier, .ordinary, .ordinary])
        #expect(applied[2].type == .decimal && applied[2].description == "总费用")
        #expect(applied[2].level == .aggregate, "a changed type gets a new proposed level")
        #expect(throws: DomainError.invalid("rejectedProposals.0", "column 费用 has no personal-data proposal to reject")) {
            try InferredSchema.apply(detected, to: current, rejecting: ["费用"])
        }
    }

    @Test("R3 R5 a file must carry the catalog schema's column names; the refusal names them")
    func fileColumns() throws {
        let catalog = [ColumnSpec(name: "乡镇", type: .text, description: "", sensitivity: .ordinary),
                       ColumnSpec(name: "人数", type: .integer, description: "", sensitivity: .ordinary)]
        try InferredSchema.checkFileColumns(["人数", "乡镇"], against: catalog)
        try InferredSchema.checkFileColumns(["任何"], against: [])
        do {
            try InferredSchema.checkFileColumns(["乡镇", "人口"], against: catalog)
            Issue.record("a mismatched file was accepted")
        } catch {
            #expect(error.kind == .ruleRefusal && error.rule == "R5" && error.field == "file")
            #expect(error.message.contains("missing 人数") && error.message.contains("not in the catalog 人口"))
        }
    }

    @Test("policy: sample rows and the due share are bounded")
    func policyBounds() throws {
        #expect(PolicySettings.plan.sampleRows == 10)
        #expect(throws: DomainError.self) { try PolicySettings.load(json: Data(#"{"sampleRows": 0}"#.utf8)) }
        #expect(throws: DomainError.self) { try PolicySettings.load(json: Data(#"{"freshnessDuePercent": 101}"#.utf8)) }
        #expect(try PolicySettings.load(json: Data(#"{"sampleRows": 3}"#.utf8)).sampleRows == 3)
    }
}

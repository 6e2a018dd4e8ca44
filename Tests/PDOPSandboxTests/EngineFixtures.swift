import Foundation
import PDOPDomain
@testable import PDOPSandbox

/// A seeded generator so DP and preview tests are deterministic: the previews' own SplitMix64.
typealias SplitMix64 = PreviewRandom

enum Fixtures {
    static let policy = PolicySettings.plan
    static let engine = SandboxEngine(policy: policy)

    static let visits = SandboxDataset(
        resourceID: "res-visits", name: "医疗机构就诊记录", providerID: "org-health", table: "ds_visits_v3", dataVersion: 3,
        rowCount: 1_000_000, unitColumn: "身份证号", unitDomain: "natural_person", minUnits: 12,
        columns: [
            SandboxColumn(name: "身份证号", type: .text, level: .joinOnly, keySpace: "resident_id"),
            SandboxColumn(name: "患者所在乡镇", type: .text, level: .groupBy),
            SandboxColumn(name: "年龄", type: .integer, level: .groupBy, lower: 0, upper: 120, bucketWidth: 5),
            SandboxColumn(name: "就诊日期", type: .date, level: .groupBy),
            SandboxColumn(name: "挂号时间", type: .timestamp, level: .groupBy),
            SandboxColumn(name: "就诊类型", type: .text, level: .compare),
            SandboxColumn(name: "总费用_元", type: .decimal, level: .aggregate, lower: 0, upper: 5000),
            SandboxColumn(name: "住院天数", type: .integer, level: .aggregate, lower: 0, upper: 60),
            SandboxColumn(name: "诊断", type: .text, level: .countOnly),
            SandboxColumn(name: "姓名", type: .text, level: .deny),
            SandboxColumn(name: "医保", type: .boolean, level: .publicLevel),
            SandboxColumn(name: "无界费用", type: .decimal, level: .aggregate),
        ], recordKeyColumn: "pdop_rk_test")

    static let residents = SandboxDataset(
        resourceID: "res-residents", name: "户籍人口", providerID: "org-police", table: "ds_residents_v1", dataVersion: 1,
        rowCount: 400_000, unitColumn: "身份证号", unitDomain: "natural_person", minUnits: 20,
        columns: [
            SandboxColumn(name: "身份证号", type: .text, level: .joinOnly, keySpace: "resident_id"),
            SandboxColumn(name: "户籍乡镇", type: .text, level: .groupBy),
            SandboxColumn(name: "月收入", type: .decimal, level: .aggregate, lower: 0, upper: 100_000),
            SandboxColumn(name: "低保", type: .boolean, level: .groupBy),
            SandboxColumn(name: "户号", type: .text, level: .joinOnly, keySpace: "household_id"),
        ], recordKeyColumn: "pdop_rk_test")

    static let enterprises = SandboxDataset(
        resourceID: "res-enterprises", name: "企业登记", providerID: "org-market", table: "ds_enterprises_v2", dataVersion: 2,
        rowCount: 30_000, unitColumn: "统一社会信用代码", unitDomain: "enterprise", minUnits: 10,
        columns: [
            SandboxColumn(name: "统一社会信用代码", type: .text, level: .joinOnly, keySpace: "resident_id"),
            SandboxColumn(name: "行业", type: .text, level: .groupBy),
        ], recordKeyColumn: "pdop_rk_test")

    static let all = [visits, residents, enterprises]

    static func parse(_ json: String) throws(DomainError) -> QuerySpec {
        try engine.parseQuery(Data(json.utf8))
    }

    static func plan(_ json: String, dialect: SQLDialect = .sqlite, datasets: [SandboxDataset] = all) throws(DomainError) -> QueryPlan {
        try engine.plan(try parse(json), datasets: datasets, dialect: dialect, partitions: partitions(for: datasets))
    }

    /// Audit partitions for the fixtures: listed codes (plus an "other" bin), single-atom ranges on
    /// each column's grid over a wide span, and a bin for nulls.
    static func partitions(for datasets: [SandboxDataset]) -> [String: AuditPartition] {
        let codes: [String: [String]] = [
            "患者所在乡镇": ["a", "丁镇", "丙镇", "乙镇", "戊镇", "甲镇"], "就诊类型": ["住院", "急诊", "门诊"], "诊断": ["H1", "糖尿病", "高血压"],
            "户籍乡镇": ["甲镇", "乙镇"], "行业": ["制造业", "零售业"],
        ]
        let spans: [String: ClosedRange<Int64>] = ["年龄": 0...120, "就诊日期": 19_000...20_500, "挂号时间": 19_000...20_500,
                                                   "医保": 0...1, "低保": 0...1]
        var result: [String: AuditPartition] = [:]
        for dataset in datasets {
            let dimensions = SandboxEngine.partitionedColumns(dataset).map { column -> PartitionDimension in
                let grid = Int64(max(1, column.bucketWidth ?? 1))
                if column.type == .text {
                    let bins = (codes[column.name] ?? []).map { PartitionBin(codes: [$0], label: $0) }
                    return PartitionDimension(column: column.name, kind: .codes, grid: 1,
                                              bins: bins + [PartitionBin(other: true, label: "其他"), PartitionBin(includesNull: true, label: "")])
                }
                let span = spans[column.name] ?? 0...100
                let bins = stride(from: span.lowerBound, through: span.upperBound, by: Int(grid)).map { PartitionBin(lower: $0, upper: $0, label: "") }
                return PartitionDimension(column: column.name, kind: .ranges, grid: grid, bins: bins + [PartitionBin(includesNull: true, label: "")])
            }
            result[dataset.resourceID] = AuditPartition(resourceID: dataset.resourceID, dataVersion: dataset.dataVersion, dimensions: dimensions)
        }
        return result
    }

    /// The error a throwing call gives, or nil.
    static func error<T>(_ body: () throws -> T) -> DomainError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? DomainError ?? DomainError(.conflict, "unexpected error \(error)")
        }
    }

    /// A statement as SQLite-style text, identifiers quoted and binds as ?, for structure checks.
    static func text(_ statement: CompiledStatement) -> String {
        statement.pieces.map { piece in
            switch piece {
            case .sql(let text): text
            case .identifier(let name): "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            case .bind: "?"
            }
        }.joined()
    }

    static func binds(_ statement: CompiledStatement) -> [SQLValue] {
        statement.pieces.compactMap { if case .bind(let value) = $0 { value } else { nil } }
    }

    /// A spec over visits with the given parts spliced into JSON (tests only).
    static func visitsQuery(mode: String = "threshold", filters: String = "[]", groupBy: String = #"[{"column": "v.患者所在乡镇"}]"#,
                            measures: String = #"[{"name": "persons", "agg": "count_units"}]"#, privacy: String? = nil) -> String {
        """
        {"mode": "\(mode)", "sources": [{"alias": "v", "dataset": "res-visits"}], "filters": \(filters),
         "groupBy": \(groupBy), "measures": \(measures)\(privacy.map { #", "privacy": "# + $0 } ?? "")}
        """
    }
}

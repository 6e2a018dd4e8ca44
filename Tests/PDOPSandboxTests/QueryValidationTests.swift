import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

@Suite("Query validation (R12 refusals and uniform not-found)")
struct QueryValidationTests {
    func refusal(_ json: String, datasets: [SandboxDataset] = Fixtures.all) -> DomainError? {
        Fixtures.error { try Fixtures.plan(json, datasets: datasets) }
    }

    func expectR12(_ json: String, _ pointer: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = refusal(json)
        #expect(error?.kind == .ruleRefusal, sourceLocation: sourceLocation)
        #expect(error?.rule == "R12", sourceLocation: sourceLocation)
        #expect(error?.field == pointer, sourceLocation: sourceLocation)
    }

    @Test("Unknown, ungranted and DENY names all get one identical not-found, differing only in the pointer")
    func uniformNotFound() {
        let unknownColumn = refusal(Fixtures.visitsQuery(groupBy: #"[{"column": "v.不存在的列"}]"#))
        // 身份证号码 exists in the provider's catalog but is not granted: the workspace's dataset simply lacks it.
        let ungrantedColumn = refusal(Fixtures.visitsQuery(groupBy: #"[{"column": "v.身份证号码"}]"#))
        let deniedColumn = refusal(Fixtures.visitsQuery(groupBy: #"[{"column": "v.姓名"}]"#))
        for error in [unknownColumn, ungrantedColumn, deniedColumn] {
            #expect(error == DomainError(.notFound, "no such dataset or column in this workspace", field: "/groupBy/0/column"))
        }
        let unknownDataset = refusal(Fixtures.visitsQuery().replacingOccurrences(of: "res-visits", with: "res-nothing"))
        let ungrantedDataset = refusal(Fixtures.visitsQuery(), datasets: [Fixtures.residents])
        for error in [unknownDataset, ungrantedDataset] {
            #expect(error == DomainError(.notFound, "no such dataset or column in this workspace", field: "/sources/0/dataset"))
        }
    }

    @Test("R12 a group key on a JOIN_ONLY column is refused and names /groupBy/0/column")
    func groupOnJoinOnly() { expectR12(Fixtures.visitsQuery(groupBy: #"[{"column": "v.身份证号"}]"#), "/groupBy/0/column") }

    @Test("R12 group keys on COMPARE, COUNT_ONLY and AGGREGATE columns are refused")
    func groupOnHiddenLevels() {
        for column in ["v.就诊类型", "v.诊断", "v.总费用_元"] {
            expectR12(Fixtures.visitsQuery(groupBy: #"[{"column": "\#(column)"}]"#), "/groupBy/0/column")
        }
    }

    @Test("R12 a numeric group key needs a bucket that is a positive multiple of bucketWidth")
    func numericBucket() {
        expectR12(Fixtures.visitsQuery(groupBy: #"[{"column": "v.年龄"}]"#), "/groupBy/0/bucket")
        expectR12(Fixtures.visitsQuery(groupBy: #"[{"column": "v.年龄", "bucket": 7}]"#), "/groupBy/0/bucket")
        expectR12(Fixtures.visitsQuery(groupBy: #"[{"column": "v.年龄", "bucket": -10}]"#), "/groupBy/0/bucket")
        #expect(refusal(Fixtures.visitsQuery(groupBy: #"[{"column": "v.年龄", "bucket": 10}]"#)) == nil)
    }

    @Test("A text group key takes no bucket (400); a timestamp needs one (R12)")
    func bucketKinds() {
        let text = refusal(Fixtures.visitsQuery(groupBy: #"[{"column": "v.患者所在乡镇", "bucket": "month"}]"#))
        #expect(text?.kind == .invalidInput)
        #expect(text?.field == "/groupBy/0/bucket")
        expectR12(Fixtures.visitsQuery(groupBy: #"[{"column": "v.挂号时间"}]"#), "/groupBy/0/bucket")
        #expect(refusal(Fixtures.visitsQuery(groupBy: #"[{"column": "v.挂号时间", "bucket": "year"}]"#)) == nil)
    }

    @Test("R12 filters on JOIN_ONLY and AGGREGATE columns are refused")
    func filterLevels() {
        expectR12(Fixtures.visitsQuery(filters: #"[{"column": "v.总费用_元", "op": ">", "value": 100}]"#), "/filters/0/column")
        let residents = #"{"mode": "threshold", "sources": [{"alias": "r", "dataset": "res-residents"}], "filters": [{"column": "r.户号", "op": "=", "value": "H1"}], "groupBy": [{"column": "r.户籍乡镇"}], "measures": [{"name": "n", "agg": "count_units"}]}"#
        expectR12(residents, "/filters/0/column")
    }

    @Test("R12 the privacy unit column is never filtered")
    func filterOnUnit() {
        expectR12(Fixtures.visitsQuery(filters: #"[{"column": "v.身份证号", "op": "=", "value": "330624199001011234"}]"#), "/filters/0/column")
    }

    @Test("R12 COUNT_ONLY filters allow only =, in, is_null, not_null, and only when every measure is a count")
    func countOnlyFilters() {
        #expect(refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.诊断", "op": "in", "value": ["糖尿病"]}]"#)) == nil)
        expectR12(Fixtures.visitsQuery(filters: #"[{"column": "v.诊断", "op": "!=", "value": "糖尿病"}]"#), "/filters/0/column")
        expectR12(Fixtures.visitsQuery(filters: #"[{"column": "v.诊断", "op": "not_null"}]"#,
                                       measures: #"[{"name": "t", "agg": "sum", "column": "v.总费用_元"}]"#), "/filters/0/column")
    }

    @Test("R12 numeric and date literals must lie on the bucketWidth grid")
    func literalGrid() {
        expectR12(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": ">=", "value": 37}]"#), "/filters/0/value")
        expectR12(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "between", "value": [30, 62]}]"#), "/filters/0/value/1")
        // On the grid, but an inclusive upper bound cuts the bin [65, 70) of the audit partition; the half-open form selects whole bins.
        expectR12(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "between", "value": [30, 65]}]"#), "/filters/0/value")
        #expect(refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": ">=", "value": 30}, {"column": "v.年龄", "op": "<", "value": 65}]"#)) == nil)
    }

    @Test("Literal types must match the column type (400 naming the value)")
    func literalTypes() {
        let date = refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.就诊日期", "op": ">=", "value": "2024/01/01"}]"#))
        #expect(date?.kind == .invalidInput)
        #expect(date?.field == "/filters/0/value")
        let number = refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.患者所在乡镇", "op": "=", "value": 3}]"#))
        #expect(number?.field == "/filters/0/value")
        // JSON 0 and 1 are numbers, not booleans, and true is not a number.
        #expect(refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": ">=", "value": 0}]"#)) == nil)
        #expect(refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": ">=", "value": 1}]"#))?.rule == "R12")
        #expect(refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "=", "value": true}]"#))?.kind == .invalidInput)
        #expect(refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.医保", "op": "=", "value": 1}]"#))?.kind == .invalidInput)
        let ordering = refusal(Fixtures.visitsQuery(filters: #"[{"column": "v.患者所在乡镇", "op": "<", "value": "a"}]"#))
        #expect(ordering?.field == "/filters/0/op")
    }

    @Test("R12 sum and avg need AGGREGATE (or PUBLIC numeric) columns with bounds")
    func measureColumns() {
        expectR12(Fixtures.visitsQuery(measures: #"[{"name": "t", "agg": "sum", "column": "v.年龄"}]"#), "/measures/0/column")
        expectR12(Fixtures.visitsQuery(measures: #"[{"name": "t", "agg": "avg", "column": "v.无界费用"}]"#), "/measures/0/column")
        expectR12(Fixtures.visitsQuery(measures: #"[{"name": "t", "agg": "sum", "column": "v.诊断"}]"#), "/measures/0/column")
    }

    @Test("R12 joins: JOIN_ONLY on both sides, the same key space, two different sources")
    func joinRules() {
        func join(_ left: String, _ right: String) -> String {
            #"{"mode": "threshold", "sources": [{"alias": "v", "dataset": "res-visits"}, {"alias": "r", "dataset": "res-residents"}], "joins": [{"left": "\#(left)", "right": "\#(right)"}], "groupBy": [{"column": "r.户籍乡镇"}], "measures": [{"name": "n", "agg": "count_units"}]}"#
        }
        #expect(refusal(join("v.身份证号", "r.身份证号")) == nil)
        expectR12(join("v.患者所在乡镇", "r.身份证号"), "/joins/0/left")
        expectR12(join("v.身份证号", "r.户号"), "/joins/0/right")
        expectR12(join("v.身份证号", "v.身份证号"), "/joins/0")
    }

    @Test("R12 every source beyond the first must be joined, and all share one unit domain")
    func connectivityAndDomain() {
        let unjoined = #"{"mode": "threshold", "sources": [{"alias": "v", "dataset": "res-visits"}, {"alias": "r", "dataset": "res-residents"}], "groupBy": [{"column": "r.户籍乡镇"}], "measures": [{"name": "n", "agg": "count_units"}]}"#
        expectR12(unjoined, "/sources/1")
        let domains = #"{"mode": "threshold", "sources": [{"alias": "v", "dataset": "res-visits"}, {"alias": "e", "dataset": "res-enterprises"}], "joins": [{"left": "v.身份证号", "right": "e.统一社会信用代码"}], "groupBy": [{"column": "e.行业"}], "measures": [{"name": "n", "agg": "count_units"}]}"#
        expectR12(domains, "/sources/1/dataset")
    }

    @Test("R12 privacy: absent in threshold mode, required in dp, epsilon within the policy, gaussian needs a small delta")
    func privacyRules() {
        expectR12(Fixtures.visitsQuery(privacy: #"{"epsilon": 0.5}"#), "/privacy")
        expectR12(Fixtures.visitsQuery(mode: "dp"), "/privacy")
        expectR12(Fixtures.visitsQuery(mode: "dp", privacy: #"{"epsilon": 1.5}"#), "/privacy/epsilon")
        expectR12(Fixtures.visitsQuery(mode: "dp", privacy: #"{"epsilon": 0.5, "mechanism": "gaussian"}"#), "/privacy/delta")
        expectR12(Fixtures.visitsQuery(mode: "dp", privacy: #"{"epsilon": 0.5, "mechanism": "gaussian", "delta": 0.01}"#), "/privacy/delta")
    }

    @Test("minUnits is the strictest of the platform floor and every joined dataset")
    func minUnits() throws {
        let plan = try Fixtures.plan(#"{"mode": "threshold", "sources": [{"alias": "v", "dataset": "res-visits"}, {"alias": "r", "dataset": "res-residents"}], "joins": [{"left": "v.身份证号", "right": "r.身份证号"}], "groupBy": [{"column": "r.户籍乡镇"}], "measures": [{"name": "n", "agg": "count_units"}]}"#)
        #expect(plan.minUnits == 20)
        #expect(plan.datasetIDs == ["res-visits", "res-residents"])
        #expect(plan.providerIDs == ["org-health", "org-police"])
        #expect(try Fixtures.plan(Fixtures.visitsQuery()).minUnits == 12)
    }

    @Test("Refusal messages never name a column")
    func messagesNameNoColumns() {
        let specs = [
            Fixtures.visitsQuery(groupBy: #"[{"column": "v.身份证号"}]"#),
            Fixtures.visitsQuery(filters: #"[{"column": "v.总费用_元", "op": ">", "value": 100}]"#),
            Fixtures.visitsQuery(measures: #"[{"name": "t", "agg": "avg", "column": "v.无界费用"}]"#),
            Fixtures.visitsQuery(groupBy: #"[{"column": "v.不存在的列"}]"#),
        ]
        let names = Fixtures.visits.columns.map(\.name) + ["不存在的列"]
        for spec in specs {
            let message = refusal(spec)?.message ?? ""
            #expect(!message.isEmpty)
            #expect(!names.contains { message.contains($0) })
        }
    }

    @Test("The cache key changes with the data version and the column policy, not with key order in the JSON")
    func cacheKey() throws {
        let base = try Fixtures.plan(Fixtures.visitsQuery())
        let reordered = try Fixtures.plan(#"{"measures": [{"agg": "count_units", "name": "persons"}], "groupBy": [{"column": "v.患者所在乡镇"}], "sources": [{"dataset": "res-visits", "alias": "v"}], "mode": "threshold"}"#)
        #expect(base.cacheKey == reordered.cacheKey)
        var newer = Fixtures.visits
        newer.dataVersion = 4
        #expect(try Fixtures.plan(Fixtures.visitsQuery(), datasets: [newer]).cacheKey != base.cacheKey)
        var narrowed = Fixtures.visits
        narrowed.columns[6].upper = 4000
        #expect(try Fixtures.plan(Fixtures.visitsQuery(), datasets: [narrowed]).cacheKey != base.cacheKey)
        #expect(base.cacheKey.count == 64)
    }
}

import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

@Suite("Query spec parsing (400 with a JSON pointer)")
struct QueryParseTests {
    @Test("A full example spec parses, defaults the limit and round-trips through its canonical JSON")
    func parsesExample() throws {
        let spec = try Fixtures.parse("""
        {"mode": "dp", "sources": [{"alias": "v", "dataset": "res-visits"}, {"alias": "s", "dataset": "res-residents"}],
         "joins": [{"left": "v.身份证号", "right": "s.身份证号"}],
         "filters": [{"column": "v.就诊日期", "op": "between", "value": ["2024-01-01", "2024-12-31"]},
                     {"column": "v.就诊类型", "op": "in", "value": ["门诊", "急诊"]}],
         "groupBy": [{"column": "v.患者所在乡镇"}, {"column": "v.年龄", "bucket": 10}, {"column": "v.就诊日期", "bucket": "month"}],
         "measures": [{"name": "persons", "agg": "count_units"}, {"name": "avg_cost", "agg": "avg", "column": "v.总费用_元"}],
         "privacy": {"epsilon": 0.5, "mechanism": "gaussian", "delta": 1e-7}, "orderBy": [{"measure": "persons", "desc": true}]}
        """)
        #expect(spec.limit == Fixtures.policy.sandboxMaxResultRows)
        #expect(spec.privacy?.contributions == 1)
        #expect(spec.groupBy[2].bucket == .calendar(.month))
        let again = try Fixtures.engine.parseQuery(spec.canonicalJSON)
        #expect(again == spec)
        #expect(again.canonicalJSON == spec.canonicalJSON)
    }

    @Test("Malformed JSON is a 400 on the root pointer")
    func malformed() {
        let error = Fixtures.error { try Fixtures.parse("{\"mode\": ") }
        #expect(error?.kind == .invalidInput)
        #expect(error?.field == "/")
    }

    @Test("A spec over sandboxSpecMaxBytes is a 400 on the root pointer")
    func oversized() {
        let padding = String(repeating: " ", count: Fixtures.policy.sandboxSpecMaxBytes)
        let error = Fixtures.error { try Fixtures.parse(Fixtures.visitsQuery() + padding) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.field == "/")
    }

    @Test("An unknown key is named by its pointer, at the top and nested")
    func unknownKeys() {
        #expect(Fixtures.error { try Fixtures.parse(#"{"mode": "threshold", "sql": "x"}"#) }?.field == "/sql")
        let nested = Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "=", "value": 30, "colum": 1}]"#)
        #expect(Fixtures.error { try Fixtures.parse(nested) }?.field == "/filters/0/colum")
    }

    @Test("A wrong type names the value's pointer")
    func wrongTypes() {
        let limit = Fixtures.visitsQuery().replacingOccurrences(of: "\"mode\"", with: "\"limit\": \"ten\", \"mode\"")
        #expect(Fixtures.error { try Fixtures.parse(limit) }?.field == "/limit")
        let value = Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "=", "value": {"a": 1}}]"#)
        #expect(Fixtures.error { try Fixtures.parse(value) }?.field == "/filters/0/value")
        let op = Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "LIKE", "value": 30}]"#)
        #expect(Fixtures.error { try Fixtures.parse(op) }?.field == "/filters/0/op")
        let bucket = Fixtures.visitsQuery(groupBy: #"[{"column": "v.年龄", "bucket": 2.5}]"#)
        #expect(Fixtures.error { try Fixtures.parse(bucket) }?.field == "/groupBy/0/bucket")
    }

    @Test("More than sandboxMaxSources sources is a 400 on /sources")
    func tooManySources() {
        let sources = (0...Fixtures.policy.sandboxMaxSources).map { #"{"alias": "a\#($0)", "dataset": "res-visits"}"# }
        let json = #"{"mode": "threshold", "sources": [\#(sources.joined(separator: ","))], "measures": [{"name": "n", "agg": "count_units"}]}"#
        #expect(Fixtures.error { try Fixtures.parse(json) }?.field == "/sources")
    }

    @Test("More than sandboxMaxFilters filters is a 400 on /filters")
    func tooManyFilters() {
        let filters = (0...Fixtures.policy.sandboxMaxFilters).map { _ in #"{"column": "v.医保", "op": "=", "value": true}"# }
        let error = Fixtures.error { try Fixtures.parse(Fixtures.visitsQuery(filters: "[" + filters.joined(separator: ",") + "]")) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.field == "/filters")
    }

    @Test("An in list longer than sandboxMaxListValues is a 400 on /filters/0/value")
    func tooManyListValues() {
        let values = (0...Fixtures.policy.sandboxMaxListValues).map { "\"t\($0)\"" }.joined(separator: ",")
        let json = Fixtures.visitsQuery(filters: #"[{"column": "v.患者所在乡镇", "op": "in", "value": [\#(values)]}]"#)
        #expect(Fixtures.error { try Fixtures.parse(json) }?.field == "/filters/0/value")
    }

    @Test("Value shapes follow the operator: between takes two, is_null none")
    func valueShapes() {
        let between = Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "between", "value": [30]}]"#)
        #expect(Fixtures.error { try Fixtures.parse(between) }?.field == "/filters/0/value")
        let isNull = Fixtures.visitsQuery(filters: #"[{"column": "v.年龄", "op": "is_null", "value": 30}]"#)
        #expect(Fixtures.error { try Fixtures.parse(isNull) }?.field == "/filters/0/value")
    }

    @Test("Aliases and measure names follow their patterns and are unique")
    func names() {
        let alias = #"{"mode": "threshold", "sources": [{"alias": "V-1", "dataset": "res-visits"}], "measures": [{"name": "n", "agg": "count_units"}]}"#
        #expect(Fixtures.error { try Fixtures.parse(alias) }?.field == "/sources/0/alias")
        let duplicate = Fixtures.visitsQuery(measures: #"[{"name": "n", "agg": "count_units"}, {"name": "n", "agg": "count_rows"}]"#)
        #expect(Fixtures.error { try Fixtures.parse(duplicate) }?.field == "/measures/1/name")
        let upper = Fixtures.visitsQuery(measures: #"[{"name": "Persons", "agg": "count_units"}]"#)
        #expect(Fixtures.error { try Fixtures.parse(upper) }?.field == "/measures/0/name")
    }

    @Test("At least one measure; sum needs a column, counts take none; limit within 1...sandboxMaxResultRows")
    func measuresAndLimit() {
        #expect(Fixtures.error { try Fixtures.parse(Fixtures.visitsQuery(measures: "[]")) }?.field == "/measures")
        let sum = Fixtures.visitsQuery(measures: #"[{"name": "t", "agg": "sum"}]"#)
        #expect(Fixtures.error { try Fixtures.parse(sum) }?.field == "/measures/0/column")
        let count = Fixtures.visitsQuery(measures: #"[{"name": "t", "agg": "count_rows", "column": "v.年龄"}]"#)
        #expect(Fixtures.error { try Fixtures.parse(count) }?.field == "/measures/0/column")
        let limit = Fixtures.visitsQuery().replacingOccurrences(of: "\"mode\"", with: "\"limit\": 0, \"mode\"")
        #expect(Fixtures.error { try Fixtures.parse(limit) }?.field == "/limit")
    }

    @Test("DP contributions are 1...5 and epsilon positive")
    func privacyShape() {
        let contributions = Fixtures.visitsQuery(mode: "dp", privacy: #"{"epsilon": 0.5, "contributions": 6}"#)
        #expect(Fixtures.error { try Fixtures.parse(contributions) }?.field == "/privacy/contributions")
        let epsilon = Fixtures.visitsQuery(mode: "dp", privacy: #"{"epsilon": 0}"#)
        #expect(Fixtures.error { try Fixtures.parse(epsilon) }?.field == "/privacy/epsilon")
    }
}

import Foundation
import HummingbirdTesting
import PDOPDomain
import PDOPSandbox
import PDOPServer
import Testing

/// Issue 10: the attack classes that broke the first sandbox, tried over the API as a determined
/// operator would. Each test computes what the attacker could infer about a few persons from what
/// was released and checks it against the fixture's truth: nothing below the minimum ever leaves
/// (the policy's k, less the largest count noise D), and each test shows that its attack was
/// actually stopped somewhere, so it cannot pass vacuously. Every response is scanned for
/// identifiers at the end.
@Suite("R12 red team: attacks on one person's data")
struct PrivacyAttackTests {
    typealias Attacker = SandboxRedTeamTests.Operator

    static func spec(_ fixture: SandboxFixture, alias: String = "v", groupBy: [String] = ["district"], filters: String = "[]",
                     mode: String = "threshold") -> String {
        let keys = groupBy.map { #"{"column":"\#(alias).\#($0)"}"# }.joined(separator: ",")
        return #"{"mode":"\#(mode)","sources":[{"alias":"\#(alias)","dataset":"\#(fixture.visits.id)"}],"filters":\#(filters.replacingOccurrences(of: "v.", with: alias + ".")),"groupBy":[\#(keys)],"measures":[{"name":"persons","agg":"count_units"}]}"#
    }

    /// Released rows as [key…: count], or nil when the query was refused.
    static func cells(_ response: TestResponse) throws -> [String: Double]? {
        guard response.status == .created || response.status == .ok else { return nil }
        var cells: [String: Double] = [:]
        for row in try SandboxRedTeamTests.rows(response) {
            let key = row.dropLast().map { "\($0)" }.joined(separator: "|")
            cells[key] = (row.last as? NSNumber)?.doubleValue
        }
        return cells
    }

    /// The least true difference any released pair may have: k − D.
    static func floor(_ fixture: SandboxFixture) -> Int {
        10 - fixture.services.policy.sandboxCellKeyMaxNoise
    }

    static func persons(_ fixture: SandboxFixture, district: String, _ include: (SandboxFixture.Person) -> Bool) -> Int {
        fixture.persons.filter { $0.district == district && include($0) }.count
    }

    @Test("R12 the suppression oracle is gone: no answer counts or explains withheld cells, in threshold or DP mode")
    func noSuppressionOracle() async throws {
        try await withSandbox { fixture, client in
            let transcript = SandboxRedTeamTests.Transcript()
            let attacker = try await SandboxRedTeamTests.attacker(fixture, client, transcript: transcript)
            var bodies: [String] = []
            for spec in [Self.spec(fixture, groupBy: ["district", "age"]), Self.spec(fixture, groupBy: ["visit_day"]),
                         Self.spec(fixture, groupBy: ["district", "visit_day"], mode: "dp").replacingOccurrences(of: #""measures""#, with: #""privacy":{"epsilon":0.5},"measures""#)] {
                let response = try await attacker.query(spec)
                #expect(response.status == .created, "\(response.text)")
                let answer = try #require(try response.json()["answer"] as? [String: Any])
                // Many cells of these fine tables are below the minimum: nothing says how many, or why.
                #expect(Set(answer.keys).isSubset(of: ["columns", "rows", "epsilonCharged", "mode", "notes", "cellsReleased", "perturbation"]),
                        "\(answer.keys.sorted())")
                bodies.append(response.text)
            }
            for body in bodies { #expect(!body.contains("suppress") && !body.contains("dropped") && !body.contains("withheldCount")) }
            for body in transcript.all { #expect(SandboxRedTeamTests.identifying(body) == nil) }
        }
    }

    @Test("R12 differencing: aliases and key order change nothing, flooding does not age the history, and no released pair differs by fewer than k persons")
    func differencing() async throws {
        try await withSandbox { fixture, client in
            let transcript = SandboxRedTeamTests.Transcript()
            let attacker = try await SandboxRedTeamTests.attacker(fixture, client, transcript: transcript)
            let base = try #require(try Self.cells(try await attacker.query(Self.spec(fixture))))
            // A renamed alias and a reordered pair of group keys reach the same cells: the same perturbed values.
            #expect(try Self.cells(try await attacker.query(Self.spec(fixture, alias: "renamed"))) == base)
            let byDistrictAge = try #require(try Self.cells(try await attacker.query(Self.spec(fixture, groupBy: ["district", "age"]))))
            let byAgeDistrict = try #require(try Self.cells(try await attacker.query(Self.spec(fixture, groupBy: ["age", "district"]))))
            for (key, value) in byDistrictAge {
                let parts = key.split(separator: "|")
                #expect(byAgeDistrict["\(parts[1])|\(parts[0])"] == value)
            }
            // Flooding: 25 other questions, then the differencing pairs.
            for index in 0..<25 {
                _ = try await attacker.query(Self.spec(fixture, alias: "f\(index)", groupBy: index % 2 == 0 ? ["age"] : ["visit_day"]))
            }
            var stopped = 0
            let floor = Self.floor(fixture)
            // Removing people (an age bin) or rows (a day) from every district.
            var filters: [(String, (SandboxFixture.Person) -> Bool)] = []
            for age in 19...30 { filters.append((#"[{"column":"v.age","op":">=","value":\#(age)}]"#, { $0.age < age })) }
            for age in 70...80 { filters.append((#"[{"column":"v.age","op":"<","value":\#(age)}]"#, { $0.age >= age })) }
            for (filter, removed) in filters {
                guard let cells = try Self.cells(try await attacker.query(Self.spec(fixture, filters: filter))) else { stopped += 1; continue }
                for (district, count) in base where count > 0 {
                    let difference = Self.persons(fixture, district: district, removed)
                    guard difference > 0 else { continue }
                    if cells[district] == nil { stopped += 1; continue }
                    #expect(difference >= floor, "\(district) \(filter): a difference of \(difference) persons was released")
                }
            }
            #expect(stopped > 0, "the attack was tried where it would have isolated someone")
            for body in transcript.all { #expect(SandboxRedTeamTests.identifying(body) == nil, "\(body)") }
        }
    }

    @Test("R12 trackers: T − H − L never isolates fewer than k persons, and the tracker rule holds back the last query when it would")
    func trackers() async throws {
        try await withSandbox { fixture, client in
            let transcript = SandboxRedTeamTests.Transcript()
            let attacker = try await SandboxRedTeamTests.attacker(fixture, client, transcript: transcript)
            let floor = Self.floor(fixture)
            // T: two large districts; H: one of them. Each pair far apart (70, 80 persons).
            let total = try #require(try Self.cells(try await attacker.query(Self.spec(fixture, groupBy: [],
                filters: #"[{"column":"v.district","op":"in","value":["城关","南明"]}]"#))))
            let other = try #require(try Self.cells(try await attacker.query(Self.spec(fixture, groupBy: [],
                filters: #"[{"column":"v.district","op":"=","value":"南明"}]"#))))
            #expect(!total.isEmpty && !other.isEmpty)
            var heldBack = 0
            for age in 19...40 {
                // L: the rest of 城关 above an age; T − H − L = 城关's persons below it.
                let last = try Self.cells(try await attacker.query(Self.spec(fixture, groupBy: [],
                    filters: #"[{"column":"v.district","op":"=","value":"城关"},{"column":"v.age","op":">=","value":\#(age)}]"#)))
                guard let last else { continue }   // the age cuts a bin: refused
                let isolated = Self.persons(fixture, district: "城关") { $0.age < age }
                if last.isEmpty {
                    heldBack += 1
                } else {
                    #expect(isolated >= floor, "a tracker isolated \(isolated) persons below \(age)")
                }
            }
            #expect(heldBack > 0, "the tracker was tried where it would have isolated someone")
            for body in transcript.all { #expect(SandboxRedTeamTests.identifying(body) == nil) }
        }
    }

    @Test("R12 model jobs: a regression over one person's range is refused or noisy, counts are noisy, and the job enters the audit")
    func models() async throws {
        try await withSandbox { fixture, client in
            let transcript = SandboxRedTeamTests.Transcript()
            let attacker = try await SandboxRedTeamTests.attacker(fixture, client, transcript: transcript, epsilonBudget: 5)
            let job = #"{"kind":"linear","name":"cost by age","sources":[{"alias":"v","dataset":"\#(fixture.visits.id)"}],"#
                + #""filters":[{"column":"v.district","op":"=","value":"城关"}],"features":["v.age"],"target":"v.cost","privacy":{"epsilon":1}}"#
            let response = try await attacker.post("/api/v1/sandbox/workspaces/\(attacker.workspace)/models", job)
            #expect([.created, .unprocessableContent].contains(response.status), "\(response.text)")
            if response.status == .created {
                let result = try #require(try response.json()["result"] as? [String: Any])
                let rows = fixture.persons.filter { $0.district == "城关" }.count
                #expect((result["units"] as? Int) != rows || (result["rows"] as? Int) != rows, "exact counts are never released together")
            }
            let audit = try await fixture.services.stores.platform.withConnection { db in
                try await db.raw("SELECT body FROM lifecycle_records WHERE kind = 'release_audit'").all().count
            }
            #expect(audit == 1)
            // Filters that cut a bin are refused for model jobs as for queries.
            let cut = job.replacingOccurrences(of: #""value":"城关""#, with: #""value":"\#(SandboxFixture.tinyDistrict)""#)
            #expect(try await attacker.post("/api/v1/sandbox/workspaces/\(attacker.workspace)/models", cut).status == .unprocessableContent)
            for body in transcript.all { #expect(SandboxRedTeamTests.identifying(body) == nil) }
        }
    }

    @Test("R12 the audit partition is published: bins per column, the rare district among the other codes, no count")
    func publishedPartition() async throws {
        try await withSandbox { fixture, client in
            let transcript = SandboxRedTeamTests.Transcript()
            let attacker = try await SandboxRedTeamTests.attacker(fixture, client, transcript: transcript)
            let response = try await attacker.get("/api/v1/sandbox/workspaces/\(attacker.workspace)/partitions")
            #expect(response.status == .ok, "\(response.text)")
            let visits = try #require(try response.json()[fixture.visits.id.rawValue] as? [String: Any])
            let dimensions = try #require(visits["dimensions"] as? [[String: Any]])
            let district = try #require(dimensions.first { $0["column"] as? String == "district" })
            let codes = (district["bins"] as? [[String: Any]] ?? []).flatMap { $0["codes"] as? [String] ?? [] }
            #expect(Set(["城关", "南明", "七星"]).isSubset(of: Set(codes)) && !codes.contains(SandboxFixture.tinyDistrict))
            #expect(!dimensions.contains { $0["column"] as? String == "person_id" || $0["column"] as? String == "name" })
            #expect(!response.text.contains("units") && !response.text.contains("count"))
            let other = try await fixture.platform.token(for: fixture.platform.users["other"]!)
            #expect(try await client.api(.get, "/api/v1/sandbox/workspaces/\(attacker.workspace)/partitions", token: other).status == .notFound)
            for body in transcript.all { #expect(SandboxRedTeamTests.identifying(body) == nil) }
        }
    }
}

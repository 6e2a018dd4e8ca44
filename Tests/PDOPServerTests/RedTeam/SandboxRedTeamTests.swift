import Foundation
import HummingbirdTesting
import PDOPDomain
import PDOPSandbox
import PDOPServer
import Testing

/// Issue 5 item 10: attacks on "usable but not visible". Each must be refused or release nothing
/// identifying; every response the operator gets is scanned for ID numbers, mobiles and credit codes.
@Suite("Sandbox red team")
struct SandboxRedTeamTests {
    /// Collects every body the operator receives, for the final scan.
    final class Transcript: @unchecked Sendable {
        private let lock = NSLock()
        private var bodies: [String] = []
        func add(_ text: String) { lock.withLock { bodies.append(text) } }
        var all: [String] { lock.withLock { bodies } }
    }

    struct Operator {
        let client: any TestClientProtocol
        let token: String
        let workspace: String
        let transcript: Transcript

        func post(_ path: String, _ json: String) async throws -> TestResponse {
            let response = try await client.api(.post, path, token: token, json: json)
            transcript.add(response.text)
            return response
        }

        func get(_ path: String) async throws -> TestResponse {
            let response = try await client.api(.get, path, token: token)
            transcript.add(response.text)
            return response
        }

        func query(_ spec: String) async throws -> TestResponse { try await post("/api/v1/sandbox/workspaces/\(workspace)/queries", spec) }
    }

    static func attacker(_ fixture: SandboxFixture, _ client: any TestClientProtocol, transcript: Transcript,
                         epsilonBudget: Double = 3) async throws -> Operator {
        let workspace = try await fixture.grantedWorkspace(epsilonBudget: epsilonBudget)
        return Operator(client: client, token: try await fixture.platform.token(.operatorTechnical), workspace: workspace.id, transcript: transcript)
    }

    static func spec(_ fixture: SandboxFixture, groupBy: String = #"[{"column":"v.district"}]"#, filters: String = "[]",
                     measures: String = #"[{"name":"persons","agg":"count_units"}]"#, mode: String = "threshold") -> String {
        #"{"mode":"\#(mode)","sources":[{"alias":"v","dataset":"\#(fixture.visits.id)"}],"filters":\#(filters),"groupBy":\#(groupBy),"measures":\#(measures)}"#
    }

    static func rows(_ response: TestResponse) throws -> [[Any]] {
        ((try response.json()["answer"] as? [String: Any])?["rows"] as? [[Any]]) ?? []
    }

    /// An 18-character ID number or credit code with a valid check character (written as they are
    /// issued: digits and capital letters), or a mainland mobile number.
    static func identifying(_ text: String) -> String? {
        let scalars = Array(text)
        if scalars.count >= 18 {
            for start in 0...(scalars.count - 18) {
                let window = String(scalars[start..<start + 18])
                guard window.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }) else { continue }
                // Part of a longer token (a hex hash, an id with a prefix) is not an ID number standing on its own.
                func alphanumeric(_ index: Int) -> Bool { scalars.indices.contains(index) && scalars[index].isASCII && (scalars[index].isLetter || scalars[index].isNumber) }
                if alphanumeric(start - 1) || alphanumeric(start + 18) { continue }
                if ResidentID.isValid(window) || CreditCode.isValid(window) { return window }
            }
        }
        if let range = text.range(of: #"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"#, options: .regularExpression) { return String(text[range]) }
        return nil
    }

    @Test("R12 red team: unique keys, isolating filters, a one-person difference, join keys, DENY columns, SQL metacharacters, other workspaces — nothing identifying leaves")
    func attacks() async throws {
        try await withSandbox { fixture, client in
            let transcript = Transcript()
            let attacker = try await Self.attacker(fixture, client, transcript: transcript)

            // Group by the privacy unit (a JOIN_ONLY key): refused, naming the field.
            var response = try await attacker.query(Self.spec(fixture, groupBy: #"[{"column":"v.person_id"}]"#))
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(response.text.contains("/groupBy/0/column"))
            // Group by a unique key the provider left groupable: every value is rare, so the audit partition
            // has one bin for all of them, and the one released row names no visit.
            response = try await attacker.query(Self.spec(fixture, groupBy: #"[{"column":"v.visit_no"}]"#))
            #expect(response.status == .created, "\(response.text)")
            let visitRows = try Self.rows(response)
            #expect(visitRows.count <= 1 && visitRows.allSatisfy { ($0.first as? String) == "其他" }, "\(visitRows)")
            // A filter that isolates one person: the district is a rare code, so the filter cuts the "other" bin — refused.
            response = try await attacker.query(Self.spec(fixture, filters: #"[{"column":"v.district","op":"=","value":"\#(SandboxFixture.tinyDistrict)"}]"#))
            #expect(response.status == .unprocessableContent && response.text.contains("/filters/0/value"), "\(response.text)")
            // Two queries whose difference is one person: the second cuts an age bin (refused) or is held back.
            response = try await attacker.query(Self.spec(fixture, filters: #"[{"column":"v.district","op":"=","value":"城关"}]"#))
            #expect(try Self.rows(response).count == 1)
            response = try await attacker.query(Self.spec(fixture, filters: #"[{"column":"v.district","op":"=","value":"城关"},{"column":"v.age","op":">=","value":20}]"#))
            let heldBack = try response.status == .unprocessableContent || Self.rows(response).isEmpty
            #expect(heldBack, "a cell one person away from an earlier answer never leaves: \(response.text)")
            // A join key or a DENY column in the output.
            response = try await attacker.query(Self.spec(fixture, measures: #"[{"name":"x","agg":"sum","column":"v.person_id"}]"#))
            #expect(response.status == .unprocessableContent)
            response = try await attacker.query(Self.spec(fixture, groupBy: #"[{"column":"v.name"}]"#))
            let deny = response
            #expect(deny.status == .notFound)
            response = try await attacker.query(Self.spec(fixture, groupBy: #"[{"column":"v.no_such_column"}]"#))
            #expect(response.status == .notFound)
            #expect(try (deny.json()["detail"] as? String) == (response.json()["detail"] as? String),
                    "a DENY column and an unknown one get the same answer")
            // SQL metacharacters in every string of the spec: refused or bound, never executed.
            for evil in [#"'; DROP TABLE x; --"#, #"\" OR 1=1 --"#, "/* */ UNION SELECT", "城关' OR '1'='1"] {
                let text = evil.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                for spec in [
                    #"{"mode":"threshold","sources":[{"alias":"\#(text)","dataset":"\#(fixture.visits.id)"}],"measures":[{"name":"n","agg":"count_units"}]}"#,
                    #"{"mode":"threshold","sources":[{"alias":"v","dataset":"\#(text)"}],"measures":[{"name":"n","agg":"count_units"}]}"#,
                    Self.spec(fixture, groupBy: #"[{"column":"v.\#(text)"}]"#),
                    Self.spec(fixture, filters: #"[{"column":"v.district","op":"=","value":"\#(text)"}]"#),
                    Self.spec(fixture, measures: #"[{"name":"\#(text)","agg":"count_units"}]"#),
                ] {
                    response = try await attacker.query(spec)
                    #expect([.created, .ok, .badRequest, .notFound, .unprocessableContent].contains(response.status), "\(spec): \(response.status)")
                    if response.status == .created { #expect(try Self.rows(response).isEmpty) }
                }
            }
            #expect(try await fixture.services.stores.domain.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM datasets").all().count
            } == 1, "the domain store's tables are intact")
            // Another operator's workspace: not found.
            let other = try await fixture.platform.token(for: fixture.platform.users["other"]!)
            response = try await client.api(.post, "/api/v1/sandbox/workspaces/\(attacker.workspace)/queries", token: other, json: Self.spec(fixture))
            #expect(response.status == .notFound)
            response = try await client.api(.get, "/api/v1/sandbox/workspaces/\(attacker.workspace)", token: other)
            #expect(response.status == .notFound)
            // Malformed and oversized specs: 400 with a pointer; nothing charged.
            response = try await attacker.query(#"{"mode":"dp","sources":[]"#)
            #expect(response.status == .badRequest)
            response = try await attacker.query(Self.spec(fixture, measures: #"[{"name":"n","agg":"count_units","column":"v.cost","extra":1}]"#))
            #expect(response.status == .badRequest && response.text.contains("/measures/0"))
            let huge = String(repeating: "城", count: fixture.services.policy.sandboxSpecMaxBytes)
            response = try await attacker.query(Self.spec(fixture, filters: #"[{"column":"v.district","op":"=","value":"\#(huge)"}]"#))
            #expect(response.status == .badRequest || response.status == .contentTooLarge)
            #expect(try await fixture.sandbox.workspace(attacker.workspace, scope: .all).workspace.epsilonSpent == 0)

            // Everything the operator saw: workspace, previews, answers, lists.
            _ = try await attacker.get("/api/v1/sandbox/workspaces/\(attacker.workspace)")
            _ = try await attacker.get("/api/v1/sandbox/workspaces/\(attacker.workspace)/queries?limit=200")
            _ = try await attacker.get("/api/v1/sandbox/data-requests")
            for body in transcript.all {
                #expect(Self.identifying(body) == nil, "an identifying value reached the operator: \(Self.identifying(body) ?? "")")
            }
            // The scan itself finds what it must (so it cannot pass vacuously).
            #expect(Self.identifying("x \(fixture.persons[0].id) y") != nil && Self.identifying(fixture.persons[0].phone) != nil
                    && Self.identifying(fixture.persons[0].employer) != nil)
        }
    }

    @Test("R12 R17 queries are refused after suspension, after termination and when the budget is spent")
    func refusedAfterStops() async throws {
        try await withSandbox { fixture, client in
            let attacker = try await Self.attacker(fixture, client, transcript: Transcript(), epsilonBudget: 1.5)
            let dp = Self.spec(fixture, mode: "dp").replacingOccurrences(of: #""measures""#, with: #""privacy":{"epsilon":1.0},"measures""#)
            var response = try await attacker.query(dp)
            #expect(response.status == .created, "\(response.text)")
            response = try await attacker.query(dp.replacingOccurrences(of: #""persons""#, with: #""people""#))
            #expect(response.status == .unprocessableContent, "a second ε 1.0 would pass the budget of 1.5: \(response.text)")
            #expect(try await fixture.sandbox.workspace(attacker.workspace, scope: .all).workspace.epsilonSpent == 1.0)
            _ = try await fixture.lifecycle.service.issueCorrectionOrder(agreement: fixture.agreement.id, violation: "超范围",
                                                                         deadline: fixture.lifecycle.clock.now().addingTimeInterval(5 * 86_400),
                                                                         by: fixture.authority)
            // Suspension revoked the operator's tokens: a fresh one still gets no answer.
            let fresh = Operator(client: client, token: try await fixture.platform.token(.operatorTechnical), workspace: attacker.workspace,
                                 transcript: Transcript())
            response = try await fresh.query(Self.spec(fixture))
            #expect(response.status == .conflict, "\(response.text)")
            try await fixture.lifecycle.advance(days: 6)
            // Termination revoked every token again; with a new one the closed workspace still answers nothing.
            response = try await fresh.query(Self.spec(fixture))
            #expect(response.status == .unauthorized)
            let after = Operator(client: client, token: try await fixture.platform.token(.operatorTechnical), workspace: attacker.workspace,
                                 transcript: Transcript())
            response = try await after.query(Self.spec(fixture))
            #expect(response.status == .conflict && response.text.contains("closed"), "\(response.text)")
        }
    }
}

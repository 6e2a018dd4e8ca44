import Foundation
import HTTPTypes
import HummingbirdTesting
import PDOPServer
import Testing

/// AUD-10 for the sandbox: every state-changing sandbox route writes exactly its audit entries,
/// in the same transaction as the change (the rest of the table is in AuditCoverageTests).
@Suite("Sandbox audit coverage")
struct SandboxAuditTests {
    @Test("AUD-10 every state-changing sandbox route writes its entries")
    func everySandboxChangeAudited() async throws {
        try await withSandbox { fixture, client in
            let platform = fixture.platform
            var exercised: Set<String> = []
            func succeed(_ method: HTTPRequest.Method, _ template: String, _ uri: String, _ json: String, token: String,
                         entries: Int64 = 1) async throws -> [String: Any] {
                let before = try await platform.auditHead()
                let response = try await client.api(method, uri, token: token, json: json)
                #expect((200..<300).contains(Int(response.status.code)), "\(method) \(template): \(response.status) \(response.text)")
                #expect(try await platform.auditHead() == before + entries, "\(method) \(template) writes exactly \(entries) entries")
                exercised.insert("\(method.rawValue) \(template)")
                return try response.json()
            }
            let operatorToken = try await platform.token(.operatorTechnical)
            let authority = try await platform.token(.authority)
            let provider = try await platform.token(.provider)
            let provider2 = try await platform.token(for: fixture.secondProvider)
            let policy = try await client.api(.get, "/api/v1/sandbox/policies/\(fixture.visits.id)", token: provider).json()
            let columns = try JSONSerialization.data(withJSONObject: policy["columns"]!)
            _ = try await succeed(.put, "/api/v1/sandbox/policies/{resourceId}", "/api/v1/sandbox/policies/\(fixture.visits.id)",
                                  #"{"unitColumn":"person_id","unitDomain":"natural_person","minUnits":12,"version":1,"columns":\#(String(decoding: columns, as: UTF8.self))}"#,
                                  token: provider)
            var request = try await succeed(.post, "/api/v1/sandbox/data-requests", "/api/v1/sandbox/data-requests",
                                            #"{"agreementId":"\#(fixture.agreement.id)","scenarioId":"\#(fixture.scenarioID)","purpose":"统计","items":[{"resourceId":"\#(fixture.visits.id)"},{"resourceId":"\#(fixture.pensions.id)"}],"epsilonBudget":2}"#,
                                            token: operatorToken)
            let requestID = request["id"] as! String
            for (token, entries) in [(authority, Int64(1)), (provider, 1), (provider2, 2)] {
                request = try await succeed(.post, "/api/v1/sandbox/data-requests/{id}/decision", "/api/v1/sandbox/data-requests/\(requestID)/decision",
                                            #"{"approve":true,"version":\#(request["version"] as! Int)}"#, token: token, entries: entries)
            }
            let workspace = try await client.api(.get, "/api/v1/sandbox/workspaces", token: operatorToken).json()
            let workspaceID = ((workspace["items"] as! [[String: Any]])[0])["id"] as! String
            let spec = SandboxFlowTests.spec(fixture)
            _ = try await succeed(.post, "/api/v1/sandbox/workspaces/{id}/dry-run", "/api/v1/sandbox/workspaces/\(workspaceID)/dry-run", spec,
                                  token: operatorToken)
            let run = try await succeed(.post, "/api/v1/sandbox/workspaces/{id}/queries", "/api/v1/sandbox/workspaces/\(workspaceID)/queries", spec,
                                        token: operatorToken)
            let job = #"{"kind":"linear","name":"费用模型","sources":[{"alias":"v","dataset":"\#(fixture.visits.id)"}],"features":["v.age"],"target":"v.cost"}"#
            _ = try await succeed(.post, "/api/v1/sandbox/workspaces/{id}/models", "/api/v1/sandbox/workspaces/\(workspaceID)/models", job,
                                  token: operatorToken)
            var export = try await succeed(.post, "/api/v1/sandbox/exports", "/api/v1/sandbox/exports",
                                           #"{"outputKind":"query_run","outputId":"\#(run["id"] as! String)","justification":"产品测算"}"#,
                                           token: operatorToken)
            let exportID = export["id"] as! String
            for token in [authority, provider, provider2] {
                export = try await succeed(.post, "/api/v1/sandbox/exports/{id}/decision", "/api/v1/sandbox/exports/\(exportID)/decision",
                                           #"{"approve":true,"version":\#(export["version"] as! Int)}"#, token: token)
            }
            let download = try await client.api(.get, "/api/v1/sandbox/exports/\(exportID)/download", token: operatorToken)
            #expect(download.status == .ok && download.text.contains(exportID))
            _ = try await succeed(.post, "/api/v1/sandbox/workspaces/{id}/halt", "/api/v1/sandbox/workspaces/\(workspaceID)/halt",
                                  #"{"reason":"发现风险"}"#, token: operatorToken)
            let halted = try await client.api(.get, "/api/v1/sandbox/workspaces/\(workspaceID)", token: authority).json()
            _ = try await succeed(.post, "/api/v1/sandbox/workspaces/{id}/resume", "/api/v1/sandbox/workspaces/\(workspaceID)/resume",
                                  #"{"resolution":"已处置","version":\#(halted["version"] as! Int)}"#, token: authority)

            let sandboxRoutes = Set(routeTable(fixture.services).filter {
                $0.spec.audience == .api && $0.spec.changesState && $0.spec.path.hasPrefix("/api/v1/sandbox/")
            }.map(\.spec.description))
            #expect(sandboxRoutes == exercised, "untested: \(sandboxRoutes.subtracting(exercised))")
        }
    }
}

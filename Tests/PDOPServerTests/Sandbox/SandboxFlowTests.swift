import Foundation
import HummingbirdTesting
import PDOPDomain
import PDOPSandbox
import PDOPServer
import Testing

/// Issue 5: data requests (R11), workspaces and queries (R12), model jobs, exports, stop (R17),
/// metering (R15), end to end through the services and the JSON API.
@Suite("Sandbox flow")
struct SandboxFlowTests {
    static func spec(_ fixture: SandboxFixture, mode: String = "threshold", privacy: String = "", filters: String = "[]",
                     measures: String = #"[{"name":"persons","agg":"count_units"},{"name":"avg_cost","agg":"avg","column":"v.cost"}]"#) -> String {
        #"{"mode":"\#(mode)","sources":[{"alias":"v","dataset":"\#(fixture.visits.id)"},{"alias":"p","dataset":"\#(fixture.pensions.id)"}],"joins":[{"left":"v.person_id","right":"p.person_id"}],"filters":\#(filters),"groupBy":[{"column":"v.district"}],"measures":\#(measures)\#(privacy)}"#
    }

    @Test("R11 a request draws only from the scenario's data list, needs the authority and every provider, and the grant opens one workspace")
    func requestAndGrant() async throws {
        try await withSandbox { fixture, _ in
            let sandbox = fixture.sandbox
            // A resource outside the scenario's list, and a column outside it, are refused.
            await #expect(throws: DomainError.self) {
                try await sandbox.requestData(agreementID: fixture.agreement.id, scenarioID: fixture.scenarioID, purpose: "越权",
                                              items: [DataRequestItem(resourceID: fixture.lifecycle.open.id, columns: [])], epsilonBudget: nil,
                                              scope: fixture.operatorScope, by: fixture.operatorActor)
            }
            do {
                _ = try await sandbox.requestData(agreementID: fixture.agreement.id, scenarioID: fixture.scenarioID, purpose: "越权",
                                                  items: [DataRequestItem(resourceID: fixture.visits.id, columns: ["phone"])], epsilonBudget: nil,
                                                  scope: fixture.operatorScope, by: fixture.operatorActor)
                Issue.record("a column outside the data list was accepted")
            } catch let error as DomainError {
                #expect(error.rule == "R11" && error.field == "items.0.columns")
            }
            // Another operator cannot use this agreement.
            await #expect(throws: DomainError.self) {
                try await sandbox.requestData(agreementID: fixture.agreement.id, scenarioID: fixture.scenarioID, purpose: "他人",
                                              items: [DataRequestItem(resourceID: fixture.visits.id, columns: [])], epsilonBudget: nil,
                                              scope: .organization(fixture.lifecycle.otherOperator.organizationID!), by: fixture.lifecycle.otherOperator)
            }
            var request = try await sandbox.requestData(
                agreementID: fixture.agreement.id, scenarioID: fixture.scenarioID, purpose: "分乡镇统计",
                items: [DataRequestItem(resourceID: fixture.visits.id, columns: []), DataRequestItem(resourceID: fixture.pensions.id, columns: [])],
                epsilonBudget: 3, scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(Set(request.approvals.map(\.party)) == [.authority, .provider(fixture.lifecycle.departmentID),
                                                             .provider(fixture.secondProvider.organizationID)])
            // A provider decides only once, and not for the other provider.
            request = try await sandbox.decideDataRequest(request.id, approve: true, reason: nil, narrowed: [:], epsilonBudget: nil,
                                                          version: request.version, by: fixture.provider)
            await #expect(throws: DomainError.self) {
                try await sandbox.decideDataRequest(request.id, approve: true, reason: nil, narrowed: [:], epsilonBudget: nil,
                                                    version: request.version, by: fixture.provider)
            }
            #expect(try await sandbox.workspaces(scope: fixture.operatorScope, page: .first).total == 0, "no workspace before every approval")
            for actor in [fixture.authority, fixture.provider2] {
                request = try await sandbox.decideDataRequest(request.id, approve: true, reason: nil, narrowed: [:], epsilonBudget: nil,
                                                              version: request.version, by: actor)
            }
            #expect(request.state == .granted)
            let workspaces = try await sandbox.workspaces(scope: fixture.operatorScope, page: .first)
            #expect(workspaces.total == 1 && workspaces.items[0].epsilonBudget == 3)
            #expect(try await fixture.platform.auditCount(action: "data_request.grant") == 1)
            #expect(try await fixture.platform.auditCount(action: "workspace.open") == 1)
        }
    }

    @Test("R11 province-returned data also needs the provincial authority; prohibited data can never be requested")
    func provinceAndProhibited() async throws {
        try await withSandbox { fixture, _ in
            var returned = fixture.visits
            returned.origin = .provinceReturned
            returned.version += 1
            let changed = returned
            try await fixture.services.store.transaction { tx in try await tx.catalog.update(changed) }
            let request = try await fixture.sandbox.requestData(
                agreementID: fixture.agreement.id, scenarioID: fixture.scenarioID, purpose: "回流数据",
                items: [DataRequestItem(resourceID: fixture.visits.id, columns: [])], epsilonBudget: nil,
                scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(request.approvals.contains { $0.party == .province })
            var prohibited = fixture.pensions
            prohibited.openAttribute = .prohibited
            prohibited.version += 1
            let closed = prohibited
            try await fixture.services.store.transaction { tx in try await tx.catalog.update(closed) }
            do {
                _ = try await fixture.sandbox.requestData(agreementID: fixture.agreement.id, scenarioID: fixture.scenarioID, purpose: "禁止",
                                                          items: [DataRequestItem(resourceID: fixture.pensions.id, columns: [])], epsilonBudget: nil,
                                                          scope: fixture.operatorScope, by: fixture.operatorActor)
                Issue.record("prohibited data was requested")
            } catch let error as DomainError {
                #expect(error.rule == "R21")
            }
        }
    }

    @Test("R11 a grant carries the provider's column policy as granted: widening the policy later widens nothing granted")
    func grantCarriesPolicy() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace()
            var current = try await fixture.sandbox.columnPolicy(for: fixture.visits.id)
            current.columns = current.columns.map { column in
                var widened = column
                if column.name == "district" { widened.level = .publicLevel }
                return widened
            }
            _ = try await fixture.sandbox.setColumnPolicy(for: fixture.visits.id, unitColumn: current.unitColumn, unitDomain: current.unitDomain,
                                                          minUnits: current.minUnits, columns: current.columns, version: current.version,
                                                          scope: .organization(fixture.lifecycle.departmentID), by: fixture.provider)
            let view = try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope)
            let district = view.datasets.first { $0.resourceID == fixture.visits.id.rawValue }?.columns.first { $0.name == "district" }
            #expect(district?.level == .groupBy)
        }
    }

    @Test("R12 the workspace shows schemas, levels and synthetic previews — never a real value")
    func previewsAreSynthetic() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace()
            let view = try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope)
            #expect(view.datasets.count == 2)
            #expect(view.datasets.allSatisfy { $0.table.isEmpty }, "storage is never shown")
            let visits = view.datasets.first { $0.resourceID == fixture.visits.id.rawValue }!
            #expect(!visits.columns.contains { $0.name == "name" || $0.name == "phone" }, "DENY columns are not in the workspace")
            let cells = Set(view.previews.values.flatMap { $0.flatMap { $0 } })
            #expect(!cells.isEmpty)
            for person in fixture.persons {
                #expect(!cells.contains(person.id) && !cells.contains(person.name) && !cells.contains(person.phone) && !cells.contains(person.employer))
            }
        }
    }

    @Test("R12 a threshold query over two departments' data releases districts by their audit bins, perturbed, and says nothing of the withheld")
    func thresholdJoin() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace()
            let (run, cached) = try await fixture.sandbox.runQuery(workspace.id, spec: Data(Self.spec(fixture).utf8), scope: fixture.operatorScope,
                                                                   by: fixture.operatorActor)
            #expect(!cached && run.state == .quarantined && run.epsilonCharged == 0)
            let answer = try JSONDecoder().decode(QueryAnswer.self, from: Data(run.answer.utf8))
            let districts = answer.rows.compactMap { row -> String? in if case .text(let name) = row[0] { return name } else { return nil } }
            // 羽林's single person is a rare code: it lies in the "other" bin, merged into the first district's bin.
            #expect(Set(districts) == ["城关", "南明", "七星/其他"])
            #expect(answer.perturbation?.countsAtMost == fixture.services.policy.sandboxCellKeyMaxNoise)
            #expect(!run.answer.contains("suppress") && !run.answer.contains(SandboxFixture.tinyDistrict))
            #expect(try await fixture.services.sandbox.usage(scope: fixture.operatorScope, workspace: workspace.id, page: .first).items
                .contains { $0.kind == .query && $0.subjectID == run.id && $0.figures.rowsScanned > 0 && $0.figures.cellsReleased == answer.cellsReleased })
        }
    }

    @Test("R12 DP queries spend ε from the ledger, an identical query is answered again for free, and the budget is never exceeded")
    func dpLedger() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 1.5)
            let dp = Data(Self.spec(fixture, mode: "dp", privacy: #","privacy":{"epsilon":1.0}"#).utf8)
            let plan = try await fixture.sandbox.dryRun(workspace.id, spec: dp, scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(plan.epsilon == 1.0)
            #expect(try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace.epsilonSpent == 0, "a dry run spends nothing")
            let first = try await fixture.sandbox.runQuery(workspace.id, spec: dp, scope: fixture.operatorScope, by: fixture.operatorActor)
            let again = try await fixture.sandbox.runQuery(workspace.id, spec: dp, scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(again.cached && again.run.id == first.run.id && again.run.answer == first.run.answer)
            var current = try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace
            #expect(current.epsilonSpent == 1.0 && current.ledger.count == 1)
            // A different query asking more than is left is refused and charges nothing.
            let greedy = Data(Self.spec(fixture, mode: "dp", privacy: #","privacy":{"epsilon":0.6}"#).utf8)
            do {
                _ = try await fixture.sandbox.runQuery(workspace.id, spec: greedy, scope: fixture.operatorScope, by: fixture.operatorActor)
                Issue.record("the budget was exceeded")
            } catch let error as DomainError {
                #expect(error.rule == "R12" && error.field == "/privacy/epsilon")
            }
            current = try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace
            #expect(current.epsilonSpent == 1.0)
        }
    }

    @Test("R12 a DP linear model trains on the joined data, charged to the ε ledger; its output is quarantined and bound to the job's hash")
    func modelJob() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 2.5)
            let job = #"{"kind":"linear","name":"费用与缴费基数","sources":[{"alias":"v","dataset":"\#(fixture.visits.id)"},{"alias":"p","dataset":"\#(fixture.pensions.id)"}],"joins":[{"left":"v.person_id","right":"p.person_id"}],"features":["p.base","v.age"],"target":"v.cost"}"#
            let model = try await fixture.sandbox.runModel(workspace.id, job: Data(job.utf8), scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(model.state == .quarantined && model.definitionHash.count == 64)
            let result = try JSONDecoder().decode(ModelResult.self, from: Data(model.result.utf8))
            // Counts are noisy, never below 0; the noisy unit count passed minUnits.
            #expect(result.coefficients.count == 2 && result.rows >= 0 && result.units >= 10 && result.epsilonCharged == 1)
            var current = try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace
            #expect(current.epsilonSpent == 1 && current.ledger.last?.runID == model.id)
            let again = try await fixture.sandbox.runModel(workspace.id, job: Data(job.utf8), scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(again.definitionHash == model.definitionHash)
            // 0.5 left: a third job is refused before anything runs, and nothing is charged or kept.
            do {
                _ = try await fixture.sandbox.runModel(workspace.id, job: Data(job.utf8), scope: fixture.operatorScope, by: fixture.operatorActor)
                Issue.record("the budget was exceeded")
            } catch let error as DomainError {
                #expect(error.rule == "R12" && error.field == "/privacy/epsilon")
            }
            current = try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace
            #expect(current.epsilonSpent == 2)
            let runs = try await fixture.sandbox.modelRuns(workspace.id, scope: fixture.operatorScope, page: .first)
            #expect(runs.items.count == 2)
        }
    }

    @Test("R12 a model job over a few persons is refused for too few noisy units, quoting no count, and the refusal's ε share is charged")
    func modelRefusedForFewUnits() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 10)
            // The one person of 羽林 cannot be named (a rare code cuts the "other" bin: refused before anything runs)…
            func job(_ filters: String) -> Data {
                Data(#"{"kind":"linear","name":"小群体模型","sources":[{"alias":"v","dataset":"\#(fixture.visits.id)"}],"filters":\#(filters),"features":["v.age"],"target":"v.cost"}"#.utf8)
            }
            await #expect(throws: DomainError.self) {
                try await fixture.sandbox.runModel(workspace.id, job: job(#"[{"column":"v.district","op":"=","value":"\#(SandboxFixture.tinyDistrict)"}]"#),
                                                   scope: fixture.operatorScope, by: fixture.operatorActor)
            }
            #expect(try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace.epsilonSpent == .zero)
            // …so the attacker takes the oldest age bin of one district (a handful of persons, on whole bins) and
            // asks until the noisy unit count refuses it: each answer costs 1, the refusal its 0.15 share.
            var oldest: String?
            for age in (60...79).reversed() where oldest == nil {
                let filters = #"[{"column":"v.district","op":"=","value":"城关"},{"column":"v.age","op":">=","value":\#(age)}]"#
                do {
                    _ = try await fixture.sandbox.dryRun(workspace.id, spec: Data(#"{"mode":"threshold","sources":[{"alias":"v","dataset":"\#(fixture.visits.id)"}],"filters":\#(filters),"measures":[{"name":"n","agg":"count_units"}]}"#.utf8),
                                                         scope: fixture.operatorScope, by: fixture.operatorActor)
                    oldest = filters
                } catch let error as DomainError where error.field == "/filters/1/value" {
                    continue   // the age cuts a bin of the partition
                }
            }
            let filters = try #require(oldest)
            var refusals = 0, kept = 0
            for _ in 0..<6 where refusals == 0 {
                do {
                    _ = try await fixture.sandbox.runModel(workspace.id, job: job(filters), scope: fixture.operatorScope, by: fixture.operatorActor)
                    kept += 1
                } catch let error as DomainError {
                    #expect(error == ModelPlan.tooFewUnits && !error.message.contains(where: \.isNumber), "\(error)")
                    refusals += 1
                }
            }
            #expect(refusals == 1)
            let current = try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace
            #expect(current.epsilonSpent == Epsilon(micros: Int64(kept) * 1_000_000 + 150_000), "each kept model 1, the refusal 0.15")
        }
    }

    @Test("R12 an export is reviewed by the authority and each provider; approved, it downloads with its id and watermark, every download logged")
    func exportReview() async throws {
        try await withSandbox { fixture, _ in
            let sandbox = fixture.sandbox
            let workspace = try await fixture.grantedWorkspace()
            let run = try await sandbox.runQuery(workspace.id, spec: Data(Self.spec(fixture).utf8), scope: fixture.operatorScope,
                                                 by: fixture.operatorActor).run
            // Not approved yet: no download.
            var export = try await sandbox.requestExport(outputKind: "query_run", outputID: run.id, justification: "产品测算",
                                                         scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(export.approvals.count == 3)
            await #expect(throws: DomainError.self) { try await sandbox.download(export.id, scope: fixture.operatorScope, by: fixture.operatorActor) }
            // A rejection records its reason; the output can be asked for again.
            export = try await sandbox.decideExport(export.id, approve: false, reason: "口径需说明", version: export.version, by: fixture.provider2)
            #expect(export.state == .rejected && export.rejectionReason == "口径需说明")
            export = try await sandbox.requestExport(outputKind: "query_run", outputID: run.id, justification: "补充口径说明",
                                                     scope: fixture.operatorScope, by: fixture.operatorActor)
            for actor in [fixture.authority, fixture.provider, fixture.provider2] {
                export = try await sandbox.decideExport(export.id, approve: true, reason: nil, version: export.version, by: actor)
            }
            #expect(export.state == .approved && export.watermark?.contains(export.id) == true)
            let file = try await sandbox.download(export.id, scope: fixture.operatorScope, by: fixture.operatorActor)
            let text = String(decoding: file.body, as: UTF8.self)
            #expect(text.hasPrefix("# PDOP \(export.id)") && text.contains("城关"))
            _ = try await sandbox.download(export.id, scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(try await fixture.platform.auditCount(action: "export.download") == 2)
            #expect(try await sandbox.usage(scope: fixture.operatorScope, workspace: nil, page: .first).items.filter { $0.kind == .download }
                .allSatisfy { $0.figures.bytesExported == file.body.count })
        }
    }

    @Test("R17 a halt cancels the running query within a second, refuses new ones, opens a risk report; only the authority resumes")
    func haltAndResume() async throws {
        try await withSandbox { fixture, _ in
            let sandbox = fixture.sandbox
            let workspace = try await fixture.grantedWorkspace()
            // A long-running piece of work registered for the workspace stands in for a slow statement.
            let running = Task {
                try await sandbox.running.run(workspace: workspace.id, operator: fixture.lifecycle.operatorID) {
                    try await Task.sleep(for: .seconds(30))
                }
            }
            while sandbox.running.count(workspace: workspace.id) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let report = try await sandbox.halt(workspace.id, reason: "发现异常导出尝试", scope: fixture.operatorScope, by: fixture.operatorActor)
            #expect(report.state == "open")
            let started = ContinuousClock.now
            do {
                _ = try await running.value
                Issue.record("the running work was not stopped")
            } catch let error as DomainError {
                #expect(error.state == "halted", "a stopped run is answered as halted, releasing nothing")
            }
            #expect(started.duration(to: .now) < .seconds(1))
            do {
                _ = try await sandbox.runQuery(workspace.id, spec: Data(Self.spec(fixture).utf8), scope: fixture.operatorScope, by: fixture.operatorActor)
                Issue.record("a halted workspace answered")
            } catch let error as DomainError {
                #expect(error.state == "halted")
            }
            let halted = try await sandbox.workspace(workspace.id, scope: .all).workspace
            await #expect(throws: DomainError.self) {
                try await sandbox.resume(workspace.id, resolution: "自行恢复", version: halted.version, by: fixture.operatorActor)
            }
            let resumed = try await sandbox.resume(workspace.id, resolution: "已排查", version: halted.version, by: fixture.authority)
            #expect(resumed.state == .open)
            #expect(try await sandbox.riskReports(scope: .all, page: .first).items.allSatisfy { $0.state == "closed" })
        }
    }

    @Test("R8 R17 suspension halts the workspace; termination closes it and the deletion record counts the workspace data")
    func lifecycleStops() async throws {
        try await withSandbox { fixture, _ in
            let sandbox = fixture.sandbox
            let workspace = try await fixture.grantedWorkspace()
            _ = try await sandbox.runQuery(workspace.id, spec: Data(Self.spec(fixture).utf8), scope: fixture.operatorScope, by: fixture.operatorActor)
            let order = try await fixture.lifecycle.service.issueCorrectionOrder(agreement: fixture.agreement.id, violation: "超范围使用",
                                                                                 deadline: fixture.lifecycle.clock.now().addingTimeInterval(10 * 86_400),
                                                                                 by: fixture.authority)
            #expect(try await sandbox.workspace(workspace.id, scope: .all).workspace.state == .halted)
            _ = order
            try await fixture.lifecycle.advance(days: 11)
            let closed = try await sandbox.workspace(workspace.id, scope: .all).workspace
            #expect(closed.state == .closed)
            let deletion = try await fixture.lifecycle.service.list(DeletionRecord.self, page: .first, scope: .all).items[0]
            #expect(deletion.items.contains { $0.what == "workspaces" && $0.count == 1 })
            #expect(deletion.items.contains { $0.what == "query_results" && $0.count == 1 })
            let purged = try await sandbox.queryRuns(workspace.id, scope: .all, page: .first).items[0]
            #expect(purged.state == .purged && purged.answer.isEmpty)
        }
    }
}

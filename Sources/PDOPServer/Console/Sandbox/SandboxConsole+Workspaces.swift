import Foundation
import Hummingbird
import PDOPDomain
import PDOPSandbox

extension SandboxConsole {
    /// What a workspace page shows besides the workspace: a dry run, the typed texts, which form failed.
    struct WorkspaceExtras {
        var dryRun: DryRun?
        var spec: String?
        var job: String?
        /// "query" or "model": the form the error belongs to, so its JSON pointer shows there.
        var form: String?
    }

    var workspaceRoutes: [Route] {
        let sandbox = self.sandbox
        func post(_ path: String, _ reach: [Role: ScopeKind], form: String? = nil,
                  _ act: @escaping @Sendable (String, Caller) async throws -> Response) -> Route {
            Route(RouteSpec(.post, "/console/sandbox/workspaces/{workspaceId}/\(path)", .roles(reach), audience: .console)) { request, context, caller in
                let id = try context.parameter("workspaceId")
                return try await FormOutcome.attempt({ try await act(id, caller) }, otherwise: { error, status in
                    try await workspacePage(request, context, caller, error: error, status: status,
                                            extras: WorkspaceExtras(spec: caller.form["spec"], job: caller.form["job"], form: form))
                })
            }
        }
        return [
            Route(RouteSpec(.get, "/console/sandbox/workspaces", .roles(SandboxReach.workspaceReaders), audience: .console)) { request, context, caller in
                let locale = context.locale
                let result = try await sandbox.workspaces(scope: caller.scope, page: request.pageRequest())
                return page.render("sandbox_workspaces", [
                    "items": result.items.map { workspace in
                        ["id": workspace.id, "operator": workspace.operatorName, "scenario": workspace.scenarioTitle,
                         "state": text("sandbox.workspaceState.\(workspace.state.rawValue)", locale), "stateCode": workspace.state.rawValue,
                         "grants": workspace.grantIDs.count, "budget": Self.epsilon(workspace.epsilonBudget),
                         "remaining": Self.epsilon(workspace.epsilonRemaining), "updated": workspace.updatedAt.consoleText] as [String: Any]
                    },
                    "pager": pager(result, path: "/console/sandbox/workspaces"),
                ], caller: caller, context: context, request: request, active: "/console/sandbox/workspaces")
            },
            Route(RouteSpec(.get, "/console/sandbox/workspaces/{workspaceId}", .roles(SandboxReach.workspaceReaders), audience: .console)) { request, context, caller in
                try await workspacePage(request, context, caller, error: nil, status: .ok, extras: WorkspaceExtras())
            },
            Route(RouteSpec(.post, "/console/sandbox/workspaces/{workspaceId}/dry-run", .roles(SandboxReach.analysts), audience: .console)) { request, context, caller in
                let id = try context.parameter("workspaceId")
                let spec = caller.field("spec")
                return try await FormOutcome.attempt({
                    let dry = try await sandbox.dryRun(id, spec: Data(spec.utf8), scope: caller.scope, by: caller.actor)
                    return try await workspacePage(request, context, caller, error: nil, status: .ok, extras: WorkspaceExtras(dryRun: dry, spec: spec))
                }, otherwise: { error, status in
                    try await workspacePage(request, context, caller, error: error, status: status, extras: WorkspaceExtras(spec: spec, form: "query"))
                })
            },
            post("queries", SandboxReach.analysts, form: "query") { id, caller in
                let (run, cached) = try await sandbox.runQuery(id, spec: Data(caller.field("spec").utf8), scope: caller.scope, by: caller.actor)
                return Response.seeOther("/console/sandbox/queries/\(run.id)" + (cached ? "?cached=1" : ""))
            },
            post("models", SandboxReach.analysts, form: "model") { id, caller in
                let run = try await sandbox.runModel(id, job: Data(caller.field("job").utf8), scope: caller.scope, by: caller.actor)
                return Response.seeOther("/console/sandbox/models/\(run.id)")
            },
            post("halt", SandboxReach.haltParties) { id, caller in
                _ = try await sandbox.halt(id, reason: caller.field("reason"), scope: caller.scope, by: caller.actor)
                return Response.seeOther("/console/sandbox/workspaces/\(id)")
            },
            post("resume", Reach.authorityOnly) { id, caller in
                _ = try await sandbox.resume(id, resolution: caller.field("resolution"), version: try caller.intField("version"), by: caller.actor)
                return Response.seeOther("/console/sandbox/workspaces/\(id)")
            },
            Route(RouteSpec(.get, "/console/sandbox/risks", .roles(SandboxReach.workspaceReaders), audience: .console)) { request, context, caller in
                let result = try await sandbox.riskReports(scope: caller.scope, page: request.pageRequest())
                return page.render("sandbox_risks", [
                    "items": result.items.map { riskRow($0, context.locale) },
                    "pager": pager(result, path: "/console/sandbox/risks"),
                ], caller: caller, context: context, request: request, active: "/console/sandbox/workspaces")
            },
        ]
    }

    func riskRow(_ report: RiskReport, _ locale: Locale) -> [String: Any] {
        ["id": report.id, "workspaceId": report.workspaceID, "by": report.reportedBy, "description": report.description,
         "state": text("sandbox.riskState.\(report.state)", locale), "stateCode": report.state, "created": report.createdAt.consoleText,
         "resolution": report.resolution ?? "", "closed": report.closedAt?.consoleText ?? ""]
    }

    func workspacePage(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?, status: HTTPResponse.Status,
                       extras: WorkspaceExtras) async throws -> Response {
        let locale = context.locale
        let view = try await sandbox.workspace(try context.parameter("workspaceId"), scope: caller.scope)
        let workspace = view.workspace
        let names = try await names()
        let roles = roles(caller)
        let analyst = isStaff(caller, of: workspace.operatorID, analyst: true)
        let open = workspace.state == .open
        let runs = try await sandbox.queryRuns(workspace.id, scope: caller.scope, page: try PageRequest(limit: 50))
        let models = try await sandbox.modelRuns(workspace.id, scope: caller.scope, page: try PageRequest(limit: 50))
        let risks = try await sandbox.riskReports(scope: caller.scope, workspace: workspace.id, page: try PageRequest(limit: 50))
        let partitions = try await sandbox.publishedPartitions(workspace.id, scope: caller.scope)
        let datasets: [[String: Any]] = view.datasets.map { dataset in
            var model: [String: Any] = [
                "id": dataset.resourceID, "name": dataset.name, "provider": names[OrganizationID(dataset.providerID)] ?? dataset.providerID,
                "rows": dataset.rowCount, "version": dataset.dataVersion, "unit": dataset.unitColumn,
                "unitDomain": text("sandbox.unitDomain.\(dataset.unitDomain)", locale), "minUnits": dataset.minUnits,
                "columns": dataset.columns.map { column in
                    ["name": column.name, "type": text("type.\(column.type.rawValue)", locale), "level": levelLabel(column.level, locale),
                     "levelCode": column.level.rawValue,
                     "bounds": column.lower.flatMap { lower in column.upper.map { "[\(Self.number(lower, decimals: 6)), \(Self.number($0, decimals: 6))]" } } ?? "",
                     "keySpace": column.keySpace ?? "", "bucket": column.bucketWidth.map(String.init) ?? ""] as [String: Any]
                },
            ]
            let bins = AuditBinsView.model(partitions[dataset.resourceID], dataset: dataset) { text($0, locale) }
            if !bins.isEmpty { model["auditBins"] = ["columns": bins] as [String: Any] }
            if let rows = view.previews[dataset.resourceID], !rows.isEmpty {
                model["preview"] = ["headers": dataset.columns.map(\.name), "rows": rows.map { ["cells": $0] }] as [String: Any]
            }
            return model
        }
        let errorField = (error?["field"] as? String) ?? ""
        return page.render("sandbox_workspace", [
            "w": ["id": workspace.id, "operator": workspace.operatorName, "scenario": workspace.scenarioTitle, "agreementId": workspace.agreementID,
                  "state": text("sandbox.workspaceState.\(workspace.state.rawValue)", locale), "stateCode": workspace.state.rawValue,
                  // Empty unless halted: the template shows the reason only then.
                  "haltedReason": workspace.haltedReason.map { [$0] } ?? [], "haltedBy": workspace.haltedBy ?? "", "haltedAt": workspace.haltedAt?.consoleText ?? "",
                  "version": workspace.version, "running": view.runningNow, "created": workspace.createdAt.consoleText,
                  "grants": workspace.grantIDs] as [String: Any],
            "ledger": ["budget": Self.epsilon(workspace.epsilonBudget), "spent": Self.epsilon(workspace.epsilonSpent),
                       "remaining": Self.epsilon(workspace.epsilonRemaining),
                       "entries": workspace.ledger.map { ["at": $0.at.consoleText, "runId": $0.runID, "epsilon": Self.epsilon($0.epsilon)] }] as [String: Any],
            "datasets": datasets,
            "canQuery": analyst && open,
            "spec": extras.spec ?? SandboxAnswerView.exampleQuery(view.datasets),
            "dpExample": SandboxAnswerView.exampleQuery(view.datasets, mode: .dp, epsilon: min(0.5, services.policy.sandboxMaxEpsilonPerQuery)),
            "job": extras.job ?? SandboxAnswerView.exampleModel(view.datasets),
            "specError": extras.form == "query" && error != nil, "jobError": extras.form == "model" && error != nil,
            "errorField": errorField,
            "dryRun": extras.dryRun.map { SandboxAnswerView.dryRun($0, views: views, locale: locale) } as Any,
            "runs": runs.items.map { run in
                ["id": run.id, "mode": text("sandbox.mode.\(run.mode)", locale), "epsilon": Self.epsilon(run.epsilonCharged),
                 "cells": run.usage.cellsReleased, "state": text("sandbox.outputState.\(run.state.rawValue)", locale), "stateCode": run.state.rawValue,
                 "by": run.runBy, "created": run.createdAt.consoleText,
                 "canExport": analyst && open && (run.state == .quarantined || run.state == .exportRefused)] as [String: Any]
            },
            "runsTotal": runs.total,
            "models": models.items.map { model in
                ["id": model.id, "name": model.name, "kind": text("sandbox.modelKind.\(model.modelKind)", locale), "kindCode": model.modelKind,
                 "state": text("sandbox.outputState.\(model.state.rawValue)", locale), "by": model.runBy, "created": model.createdAt.consoleText]
            },
            "risks": risks.items.filter { $0.workspaceID == workspace.id }.map { riskRow($0, locale) },
            "canHalt": open && (isStaff(caller, of: workspace.operatorID) || roles.contains(.authority)),
            "canResume": workspace.state == .halted && roles.contains(.authority),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/sandbox/workspaces", status: status)
    }
}

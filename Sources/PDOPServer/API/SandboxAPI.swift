import Foundation
import Hummingbird
import NIOCore
import PDOPAPI
import PDOPDomain
import PDOPSandbox

/// /api/v1/sandbox: column policies, data requests (R11), workspaces, queries, model jobs,
/// quarantine and reviewed exports (R12), stop and risk reports (R17), usage (R15).
struct SandboxAPI {
    let services: PlatformServices
    var sandbox: SandboxService { services.sandbox }

    static func rawBody(_ caller: Caller) throws -> Data {
        guard let body = caller.body, body.readableBytes > 0 else { throw DomainError.invalid("/", "a JSON body is required") }
        return Data(buffer: body)
    }

    static func levels(_ input: [String: [String: String]]?) throws -> [String: [String: SandboxLevel]] {
        try (input ?? [:]).reduce(into: [:]) { result, entry in
            result[entry.key] = try entry.value.reduce(into: [:]) { levels, column in
                levels[column.key] = try parseEnum(SandboxLevel.self, column.value, field: "narrowed.\(entry.key).\(column.key)")
            }
        }
    }

    var routes: [Route] { policyRoutes + requestRoutes + workspaceRoutes + outputRoutes + exportRoutes }

    var policyRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/sandbox/policies/{resourceId}", .roles(Reach.everyRole), audience: .api)) { _, context, _ in
                try APIResponse.json(SandboxPolicyOut(try await sandbox.columnPolicy(for: ResourceID(try context.parameter("resourceId")))))
            },
            Route(RouteSpec(.put, "/api/v1/sandbox/policies/{resourceId}", .roles(SandboxReach.providers), audience: .api)) { _, context, caller in
                let input = try caller.input(SandboxPolicyWrite.self)
                let columns = try input.columns.enumerated().map { index, column in
                    ColumnPolicy(name: column.name, level: try parseEnum(SandboxLevel.self, column.level, field: "columns.\(index).level"),
                                 lower: column.lower, upper: column.upper, keySpace: column.keySpace, bucketWidth: column.bucketWidth)
                }
                let written = try await sandbox.setColumnPolicy(for: ResourceID(try context.parameter("resourceId")), unitColumn: input.unitColumn,
                                                                unitDomain: input.unitDomain, minUnits: input.minUnits, columns: columns,
                                                                version: input.version, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(SandboxPolicyOut(written))
            },
        ]
    }

    var requestRoutes: [Route] {
        [
            Route(RouteSpec(.post, "/api/v1/sandbox/data-requests", .roles(SandboxReach.analysts), audience: .api)) { _, _, caller in
                let input = try caller.input(DataRequestCreate.self)
                let request = try await sandbox.requestData(
                    agreementID: input.agreementId, scenarioID: input.scenarioId, purpose: input.purpose,
                    items: input.items.map { DataRequestItem(resourceID: ResourceID($0.resourceId), columns: $0.columns ?? []) },
                    epsilonBudget: input.epsilonBudget, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(DataRequestOut(request), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/data-requests", .roles(SandboxReach.requestReaders), audience: .api)) { request, _, caller in
                let page = try await sandbox.dataRequests(scope: caller.scope, provider: SandboxReach.providerView(caller), page: request.pageRequest())
                return try APIResponse.json(PageOut(page, DataRequestOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/data-requests/{id}", .roles(SandboxReach.requestReaders), audience: .api)) { _, context, caller in
                try APIResponse.json(DataRequestOut(try await sandbox.dataRequest(try context.parameter("id"), scope: caller.scope,
                                                                                  provider: SandboxReach.providerView(caller))))
            },
            Route(RouteSpec(.post, "/api/v1/sandbox/data-requests/{id}/decision", .roles(SandboxReach.requestDeciders), audience: .api)) { _, context, caller in
                let input = try caller.input(ApprovalDecisionInput.self)
                let decided = try await sandbox.decideDataRequest(try context.parameter("id"), approve: input.approve, reason: input.reason,
                                                                  narrowed: try Self.levels(input.narrowed), epsilonBudget: input.epsilonBudget,
                                                                  version: input.version, by: caller.actor)
                return try APIResponse.json(DataRequestOut(decided))
            },
        ]
    }

    var workspaceRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/sandbox/workspaces", .roles(SandboxReach.workspaceReaders), audience: .api)) { request, _, caller in
                try APIResponse.json(PageOut(try await sandbox.workspaces(scope: caller.scope, page: request.pageRequest()), WorkspaceOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/workspaces/{id}", .roles(SandboxReach.workspaceReaders), audience: .api)) { _, context, caller in
                let view = try await sandbox.workspace(try context.parameter("id"), scope: caller.scope)
                var out = WorkspaceOut(view.workspace)
                out.datasets = .of(view.datasets)
                out.previews = .of(view.previews)
                out.runningNow = view.runningNow
                return try APIResponse.json(out)
            },
            Route(RouteSpec(.post, "/api/v1/sandbox/workspaces/{id}/halt", .roles(SandboxReach.haltParties),
                            audience: .api)) { _, context, caller in
                let input = try caller.input(HaltInput.self)
                let report = try await sandbox.halt(try context.parameter("id"), reason: input.reason, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(RiskReportOut(report), status: .created)
            },
            Route(RouteSpec(.post, "/api/v1/sandbox/workspaces/{id}/resume", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(ResumeInput.self)
                return try APIResponse.json(WorkspaceOut(try await sandbox.resume(try context.parameter("id"), resolution: input.resolution,
                                                                                  version: input.version, by: caller.actor)))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/risk-reports", .roles(SandboxReach.workspaceReaders), audience: .api)) { request, _, caller in
                try APIResponse.json(PageOut(try await sandbox.riskReports(scope: caller.scope, page: request.pageRequest()), RiskReportOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/usage", .roles(SandboxReach.workspaceReaders), audience: .api)) { request, _, caller in
                let page = try await sandbox.usage(scope: caller.scope, workspace: try request.queryText("workspaceId"), page: request.pageRequest())
                return try APIResponse.json(PageOut(page, UsageEventOut.init))
            },
        ]
    }

    var outputRoutes: [Route] {
        [
            Route(RouteSpec(.post, "/api/v1/sandbox/workspaces/{id}/dry-run", .roles(SandboxReach.operatorStaff), audience: .api)) { _, context, caller in
                let plan = try await sandbox.dryRun(try context.parameter("id"), spec: try Self.rawBody(caller), scope: caller.scope,
                                                    by: caller.actor)
                return try APIResponse.json(JSONValue.of(plan))
            },
            Route(RouteSpec(.post, "/api/v1/sandbox/workspaces/{id}/queries", .roles(SandboxReach.operatorStaff), audience: .api)) { _, context, caller in
                let (run, cached) = try await sandbox.runQuery(try context.parameter("id"), spec: try Self.rawBody(caller), scope: caller.scope,
                                                               by: caller.actor)
                return try APIResponse.json(QueryRunOut(run, cached: cached), status: cached ? .ok : .created)
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/workspaces/{id}/partitions", .roles(SandboxReach.workspaceReaders), audience: .api)) { _, context, caller in
                try APIResponse.json(try await sandbox.publishedPartitions(try context.parameter("id"), scope: caller.scope))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/workspaces/{id}/queries", .roles(SandboxReach.workspaceReaders), audience: .api)) { request, context, caller in
                let page = try await sandbox.queryRuns(try context.parameter("id"), scope: caller.scope, page: request.pageRequest())
                return try APIResponse.json(PageOut(page) { QueryRunOut($0) })
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/query-runs/{id}", .roles(SandboxReach.workspaceReaders), audience: .api)) { _, context, caller in
                try APIResponse.json(QueryRunOut(try await sandbox.queryRun(try context.parameter("id"), scope: caller.scope)))
            },
            Route(RouteSpec(.post, "/api/v1/sandbox/workspaces/{id}/models", .roles(SandboxReach.operatorStaff), audience: .api)) { _, context, caller in
                let run = try await sandbox.runModel(try context.parameter("id"), job: try Self.rawBody(caller), scope: caller.scope, by: caller.actor)
                return try APIResponse.json(ModelRunOut(run), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/workspaces/{id}/models", .roles(SandboxReach.workspaceReaders), audience: .api)) { request, context, caller in
                let page = try await sandbox.modelRuns(try context.parameter("id"), scope: caller.scope, page: request.pageRequest())
                return try APIResponse.json(PageOut(page, ModelRunOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/model-runs/{id}", .roles(SandboxReach.workspaceReaders), audience: .api)) { _, context, caller in
                try APIResponse.json(ModelRunOut(try await sandbox.modelRun(try context.parameter("id"), scope: caller.scope)))
            },
        ]
    }

    var exportRoutes: [Route] {
        [
            Route(RouteSpec(.post, "/api/v1/sandbox/exports", .roles(SandboxReach.operatorStaff), audience: .api)) { _, _, caller in
                let input = try caller.input(ExportCreate.self)
                let export = try await sandbox.requestExport(outputKind: input.outputKind, outputID: input.outputId,
                                                             justification: input.justification, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(ExportOut(export), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/exports", .roles(SandboxReach.requestReaders), audience: .api)) { request, _, caller in
                let page = try await sandbox.exports(scope: caller.scope, provider: SandboxReach.providerView(caller), page: request.pageRequest())
                return try APIResponse.json(PageOut(page, ExportOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/exports/{id}", .roles(SandboxReach.requestReaders), audience: .api)) { _, context, caller in
                try APIResponse.json(ExportOut(try await sandbox.export(try context.parameter("id"), scope: caller.scope,
                                                                        provider: SandboxReach.providerView(caller))))
            },
            Route(RouteSpec(.post, "/api/v1/sandbox/exports/{id}/decision", .roles(SandboxReach.exportDeciders), audience: .api)) { _, context, caller in
                let input = try caller.input(ExportDecisionInput.self)
                return try APIResponse.json(ExportOut(try await sandbox.decideExport(try context.parameter("id"), approve: input.approve,
                                                                                     reason: input.reason, version: input.version,
                                                                                     by: caller.actor)))
            },
            Route(RouteSpec(.get, "/api/v1/sandbox/exports/{id}/download", .roles(SandboxReach.operatorStaff), audience: .api)) { _, context, caller in
                let file = try await sandbox.download(try context.parameter("id"), scope: caller.scope, by: caller.actor)
                return Response(status: .ok, headers: [.contentType: file.contentType,
                                                       .contentDisposition: "attachment; filename=\"\(file.filename)\""],
                                body: .init(byteBuffer: ByteBuffer(bytes: file.body)))
            },
        ]
    }
}

import Foundation
import Hummingbird
import PDOPDomain
import PDOPSandbox

extension SandboxConsole {
    var outputRoutes: [Route] {
        let sandbox = self.sandbox
        return [
            Route(RouteSpec(.get, "/console/sandbox/queries/{runId}", .roles(SandboxReach.workspaceReaders), audience: .console)) { request, context, caller in
                try await queryPage(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/sandbox/queries/{runId}/export", .roles(SandboxReach.analysts), audience: .console)) { request, context, caller in
                let id = try context.parameter("runId")
                return try await FormOutcome.attempt({
                    let export = try await sandbox.requestExport(outputKind: "query_run", outputID: id, justification: caller.field("justification"),
                                                                 scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/sandbox/exports/\(export.id)")
                }, otherwise: { error, status in try await queryPage(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.get, "/console/sandbox/models/{runId}", .roles(SandboxReach.workspaceReaders), audience: .console)) { request, context, caller in
                try await modelPage(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/sandbox/models/{runId}/export", .roles(SandboxReach.analysts), audience: .console)) { request, context, caller in
                let id = try context.parameter("runId")
                return try await FormOutcome.attempt({
                    let export = try await sandbox.requestExport(outputKind: "model_run", outputID: id, justification: caller.field("justification"),
                                                                 scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/sandbox/exports/\(export.id)")
                }, otherwise: { error, status in try await modelPage(request, context, caller, error: error, status: status) })
            },
        ]
    }

    /// A query run for its page and for the export review: what was asked, what was released.
    func queryModel(_ run: QueryRun, _ locale: Locale) -> [String: Any] {
        var model: [String: Any] = [
            "id": run.id, "workspaceId": run.workspaceID, "mode": text("sandbox.mode.\(run.mode)", locale), "modeCode": run.mode,
            "spec": Self.pretty(run.spec), "epsilon": Self.epsilon(run.epsilonCharged), "cells": run.usage.cellsReleased,
            "state": text("sandbox.outputState.\(run.state.rawValue)", locale), "stateCode": run.state.rawValue,
            "by": run.runBy, "created": run.createdAt.consoleText, "datasets": run.datasetIDs.joined(separator: ", "),
            "usage": usageFigures(run.usage),
        ]
        if let answer = SandboxAnswerView.decode(run.answer) { model["answer"] = SandboxAnswerView.model(answer, views: views, locale: locale) }
        return model
    }

    func modelModel(_ run: ModelRun, _ locale: Locale) -> [String: Any] {
        var model: [String: Any] = [
            "id": run.id, "workspaceId": run.workspaceID, "name": run.name, "kind": text("sandbox.modelKind.\(run.modelKind)", locale),
            "kindCode": run.modelKind, "definition": Self.pretty(run.definition), "hash": run.definitionHash,
            "state": text("sandbox.outputState.\(run.state.rawValue)", locale), "stateCode": run.state.rawValue,
            "by": run.runBy, "created": run.createdAt.consoleText, "datasets": run.datasetIDs.joined(separator: ", "),
            "usage": usageFigures(run.usage),
        ]
        if let result = SandboxAnswerView.modelResult(run.result, views: views, locale: locale) { model["result"] = result }
        return model
    }

    func usageFigures(_ figures: UsageFigures) -> [String: Any] {
        ["cpu": figures.cpuMilliseconds, "rows": figures.rowsScanned, "cells": figures.cellsReleased, "bytes": figures.bytesExported]
    }

    func queryPage(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                   status: HTTPResponse.Status) async throws -> Response {
        let run = try await sandbox.queryRun(try context.parameter("runId"), scope: caller.scope)
        return page.render("sandbox_query", [
            "q": queryModel(run, context.locale),
            "cached": request.uri.queryParameters.get("cached") != nil,
            "canExport": isStaff(caller, of: run.operatorID, analyst: true) && (run.state == .quarantined || run.state == .exportRefused),
            "exportAction": "/console/sandbox/queries/\(run.id)/export", "justification": caller.field("justification"),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/sandbox/workspaces", status: status)
    }

    func modelPage(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                   status: HTTPResponse.Status) async throws -> Response {
        let run = try await sandbox.modelRun(try context.parameter("runId"), scope: caller.scope)
        return page.render("sandbox_model", [
            "m": modelModel(run, context.locale),
            "canExport": isStaff(caller, of: run.operatorID, analyst: true) && (run.state == .quarantined || run.state == .exportRefused),
            "exportAction": "/console/sandbox/models/\(run.id)/export", "justification": caller.field("justification"),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/sandbox/workspaces", status: status)
    }

    /// Stored canonical JSON, indented for reading.
    static func pretty(_ json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return json }
        return String(decoding: data, as: UTF8.self)
    }
}

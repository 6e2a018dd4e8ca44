import Foundation
import Hummingbird
import NIOCore
import PDOPDomain
import PDOPSandbox

extension SandboxConsole {
    var exportRoutes: [Route] {
        let sandbox = self.sandbox
        return [
            Route(RouteSpec(.get, "/console/sandbox/exports", .roles(SandboxReach.exportReaders), audience: .console)) { request, context, caller in
                let locale = context.locale
                let result = try await sandbox.exports(scope: caller.scope, provider: SandboxReach.providerView(caller), page: request.pageRequest())
                return page.render("sandbox_exports", [
                    "items": result.items.map { export in
                        ["id": export.id, "operator": export.operatorName, "workspaceId": export.workspaceID,
                         "kind": text("sandbox.outputKind.\(export.outputKind)", locale), "outputId": export.outputID,
                         "state": text("sandbox.exportState.\(export.state.rawValue)", locale), "stateCode": export.state.rawValue,
                         "created": export.createdAt.consoleText, "awaitsMe": parties(caller).contains { export.awaits($0) }] as [String: Any]
                    },
                    "pager": pager(result, path: "/console/sandbox/exports"),
                ], caller: caller, context: context, request: request, active: "/console/sandbox/exports")
            },
            Route(RouteSpec(.get, "/console/sandbox/exports/{exportId}", .roles(SandboxReach.exportReaders), audience: .console)) { request, context, caller in
                try await exportDetail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/sandbox/exports/{exportId}/decision", .roles(SandboxReach.exportDeciders), audience: .console)) { request, context, caller in
                let id = try context.parameter("exportId")
                return try await FormOutcome.attempt({
                    let reason = caller.field("reason").trimmingCharacters(in: .whitespacesAndNewlines)
                    _ = try await sandbox.decideExport(id, approve: caller.field("decision") != "reject", reason: reason.isEmpty ? nil : reason,
                                                       version: try caller.intField("version"), by: caller.actor)
                    return Response.seeOther("/console/sandbox/exports/\(id)")
                }, otherwise: { error, status in try await exportDetail(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.get, "/console/sandbox/exports/{exportId}/download", .roles(SandboxReach.analysts), audience: .console)) { _, context, caller in
                let file = try await sandbox.download(try context.parameter("exportId"), scope: caller.scope, by: caller.actor)
                let name = file.filename.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
                var headers = HTTPFields()
                headers[.contentType] = file.contentType
                headers[.contentDisposition] = "attachment; filename=\"\(name)\""
                var buffer = ByteBuffer()
                buffer.writeBytes([UInt8](file.body))
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
            },
            Route(RouteSpec(.get, "/console/sandbox/usage", .roles(SandboxReach.usageReaders), audience: .console)) { request, context, caller in
                let locale = context.locale
                let workspace = request.uri.queryParameters.get("workspace").flatMap { $0.isEmpty ? nil : $0 }
                let result = try await sandbox.usage(scope: caller.scope, workspace: workspace, page: request.pageRequest())
                let names = try await names()
                return page.render("sandbox_usage", [
                    "items": result.items.map { event in
                        ["at": event.at.consoleText, "operator": names[event.operatorID] ?? event.operatorID.rawValue, "workspaceId": event.workspaceID,
                         "kind": text("sandbox.usageKind.\(event.kind.rawValue)", locale), "subject": event.subjectID,
                         "link": Self.subjectLink(event), "figures": usageFigures(event.figures)] as [String: Any]
                    },
                    "workspace": workspace ?? "",
                    "pager": pager(result, path: "/console/sandbox/usage", query: [("workspace", workspace ?? "")]),
                ], caller: caller, context: context, request: request, active: "/console/sandbox/usage")
            },
        ]
    }

    static func subjectLink(_ event: UsageEvent) -> String {
        switch event.kind {
        case .query: "/console/sandbox/queries/\(event.subjectID)"
        case .modelJob: "/console/sandbox/models/\(event.subjectID)"
        case .export, .download: "/console/sandbox/exports/\(event.subjectID)"
        }
    }

    func exportDetail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                      status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let export = try await sandbox.export(try context.parameter("exportId"), scope: caller.scope, provider: SandboxReach.providerView(caller))
        let names = try await names()
        let deciding = parties(caller).first { export.awaits($0) }
        // The export was found in the caller's reach; its output is shown to every reviewer of it.
        var output: [String: Any] = [:]
        if export.outputKind == "query_run", let run = try? await sandbox.queryRun(export.outputID, scope: .all) {
            output["query"] = queryModel(run, locale)
        } else if export.outputKind == "model_run", let run = try? await sandbox.modelRun(export.outputID, scope: .all) {
            output["model"] = modelModel(run, locale)
        }
        let canRead = isStaff(caller, of: export.operatorID) || roles(caller).contains(.authority) || roles(caller).contains(.regulator)
        return page.render("sandbox_export", [
            "e": ["id": export.id, "operator": export.operatorName, "workspaceId": export.workspaceID, "workspaceLink": canRead,
                  "kind": text("sandbox.outputKind.\(export.outputKind)", locale), "outputId": export.outputID, "hash": export.outputHash,
                  "justification": export.justification, "state": text("sandbox.exportState.\(export.state.rawValue)", locale),
                  "stateCode": export.state.rawValue, "rejection": export.rejectionReason ?? "", "watermark": export.watermark ?? "",
                  "downloads": export.downloads, "by": export.requestedBy, "created": export.createdAt.consoleText,
                  "version": export.version] as [String: Any],
            "output": output, "slots": slotRows(export.approvals, names, locale),
            "canDecide": deciding != nil, "decidingAs": deciding.map { partyLabel($0, names, locale) } ?? "",
            "canDownload": export.state == .approved && isStaff(caller, of: export.operatorID, analyst: true),
            "reason": caller.field("reason"),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/sandbox/exports", status: status)
    }
}

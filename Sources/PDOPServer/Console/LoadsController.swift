import Foundation
import Hummingbird
import PDOPDomain
import PDOPIngest
import PDOPStore

/// The provider's upload page (issue 3 item 11): a file form that works without JavaScript,
/// the load history, and the latest load's schema, detected personal data and column profiles.
struct LoadsController {
    let services: PlatformServices
    let page: ConsolePage
    var views: ViewRenderer { services.views }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/catalog/{resourceId}/loads", .roles(CatalogAPI.loadReaders), audience: .console)) { request, context, caller in
                try await render(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/catalog/{resourceId}/schema", .roles(CatalogAPI.writers), audience: .console)) { request, context, caller in
                let id = ResourceID(try context.parameter("resourceId"))
                return try await FormOutcome.attempt({
                    _ = try await services.catalog.applyDetectedSchema(
                        id, load: DataLoadID(caller.field("load_id")), rejecting: Self.rejectedProposals(caller.form),
                        version: caller.intField("version"), scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/catalog/\(id)")
                }, otherwise: { error, status in try await render(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/catalog/{resourceId}/loads", .roles(CatalogAPI.writers), audience: .console,
                            streamsBody: true)) { request, context, caller in
                let id = ResourceID(try context.parameter("resourceId"))
                guard let boundary = MultipartReader<RequestBodyBytes>.boundary(of: request.headers[.contentType]) else {
                    throw DomainError.invalid("file", "upload the file with the form")
                }
                let reader = MultipartReader(boundary: boundary, body: RequestBodyBytes(body: request.body))
                let fields = try await reader.fieldsBeforeFile()
                // The token comes first in the form, so it is checked before any byte of the file is stored.
                try Gatekeeper.requireCSRF(expected: caller.principal?.csrfToken, form: fields)
                _ = try await DataLoadService(services: services).load(
                    id, mode: LoadMode(rawValue: fields["mode"] ?? "") ?? .replace,
                    format: IngestFormat(rawValue: fields["format"] ?? "") ?? .csv,
                    encoding: TextEncoding(rawValue: fields["encoding"] ?? "") ?? .auto,
                    scope: caller.scope, by: caller.actor, chunks: reader.fileChunks)
                return Response.seeOther("/console/catalog/\(id)/loads")
            },
        ]
    }

    func render(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                status: HTTPResponse.Status) async throws -> Response {
        let id = ResourceID(try context.parameter("resourceId"))
        let resource = try await services.catalog.resource(id, scope: caller.scope)
        let loads = try await DataLoadService(services: services).loads(of: id, page: request.pageRequest(), scope: caller.scope)
        let latest = loads.items.first { $0.state == .succeeded }
        let report = latest?.reportJSON.flatMap { try? JSONDecoder().decode(LoadReport.self, from: Data($0.utf8)) }
        let canUpload = CatalogController.canWrite(caller) && resource.state != .retired
        let proposals = report?.columns.enumerated().filter { $0.element.personalData != nil }.map { index, column in
            ["index": index, "name": column.name, "kind": views.text("pii.\(column.personalData ?? "")", context.locale)] as [String: Any]
        } ?? []
        return page.render("loads", [
            "r": ["id": resource.id.rawValue, "name": resource.name],
            "canUpload": canUpload,
            "apply": (canUpload && latest != nil ? ["loadId": latest?.id.rawValue ?? "", "version": resource.version,
                                                    "proposals": proposals] as [String: Any]? : nil) as Any,
            "canSeeSample": SamplesController.admits(caller, resource),
            "error": error as Any,
            "loads": loads.items.map { load in
                ["state": views.text("load.\(load.state.rawValue)", context.locale), "failed": load.state == .failed,
                 "mode": load.mode.rawValue, "rows": load.rowCount.map(String.init) ?? "—",
                 "version": load.dataVersion.map(String.init) ?? "—", "error": load.error ?? "", "by": load.startedBy,
                 "at": load.startedAt.consoleText] as [String: Any]
            },
            "report": report.map { report in
                ["version": report.dataVersion, "rows": report.rows, "encoding": report.encoding,
                 "columns": report.columns.map { column in
                     let profile = report.profiles.first { $0.name == column.name }
                     return ["name": column.name, "type": views.text("type.\(column.type)", context.locale),
                             "pii": column.personalData.map { kind in
                                 String(format: views.text("pii.summary", context.locale), column.personalDataMatches ?? 0,
                                        column.sampledValues ?? 0, views.text("pii.\(kind)", context.locale))
                             } ?? "", "isPII": column.personalData != nil,
                             "nullRate": profile.map { String(format: "%.1f%%", $0.nullRate * 100) } ?? "",
                             "distinct": profile.map { "\($0.distinctCountIsExact ? "" : "≈")\($0.distinctCount)" } ?? "",
                             "min": profile?.minimum ?? "", "max": profile?.maximum ?? "",
                             "top": profile?.topValues?.prefix(5).map { "\($0.value) (\($0.count))" }
                                 .joined(separator: views.text("list.separator", context.locale)) ?? ""] as [String: Any]
                 }] as [String: Any]
            } as Any,
        ], caller: caller, context: context, request: request, active: "/console/catalog", status: status)
    }

    /// The form's `proposal_<i>` radios; `proposal_name_<i>` says which column each one is.
    static func rejectedProposals(_ form: [String: String]) -> [String] {
        form.keys.filter { $0.hasPrefix("proposal_") && !$0.hasPrefix("proposal_name_") }.sorted()
            .filter { form[$0] == "reject" }
            .compactMap { form["proposal_name_" + $0.dropFirst("proposal_".count)] }
    }
}

/// A request body as byte arrays, for readers that work on `[UInt8]`.
struct RequestBodyBytes: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let body: RequestBody

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        mutating func next() async throws -> [UInt8]? {
            try await base.next().map { Array($0.readableBytesView) }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: body.makeAsyncIterator()) }
}

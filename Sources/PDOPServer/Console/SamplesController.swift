import Foundation
import Hummingbird
import PDOPDomain

/// Masked sample rows of a resource's current data, for its provider and the authority (issue 3).
struct SamplesController {
    let services: PlatformServices
    let page: ConsolePage

    /// Whether the sample page admits this caller for this resource (the link shows only then).
    static func admits(_ caller: Caller, _ resource: DataResource) -> Bool {
        guard let principal = caller.principal else { return false }
        let spec = RouteSpec(.get, "/console/catalog/{resourceId}/sample", .roles(CatalogDataAPI.sampleReaders), audience: .console)
        return spec.scope(for: principal)?.permits(resource.providerID) ?? false
    }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/catalog/{resourceId}/sample", .roles(CatalogDataAPI.sampleReaders), audience: .console)) { request, context, caller in
                let id = ResourceID(try context.parameter("resourceId"))
                let resource = try await services.catalog.resource(id, scope: caller.scope)
                let sample = try await SampleService(services: services).sample(id, scope: caller.scope)
                let views = services.views
                return page.render("sample", [
                    "r": ["id": resource.id.rawValue, "name": resource.name],
                    "sample": sample.map { sample in
                        ["version": sample.dataVersion,
                         "columns": sample.columns.map { column in
                             ["name": column.name, "masked": column.maskReason != nil,
                              "reason": column.maskReason.map { views.text("sample.\($0.rawValue)", context.locale) } ?? ""] as [String: Any]
                         },
                         "rows": sample.rows.map { row in ["cells": row.map { ["value": $0 ?? "", "null": $0 == nil] as [String: Any] }] }]
                            as [String: Any]
                    } as Any,
                    "limit": services.policy.sampleRows,
                ], caller: caller, context: context, request: request, active: "/console/catalog")
            },
        ]
    }
}

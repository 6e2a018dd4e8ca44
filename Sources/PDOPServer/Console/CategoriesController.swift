import Foundation
import Hummingbird
import PDOPDomain

/// The authority's page for the catalog's category tree (R3 分类): add, rename, move, delete.
struct CategoriesController {
    let services: PlatformServices
    let page: ConsolePage
    var categories: CategoryService { services.categories }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/catalog/categories", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await render(request, context, caller, values: [:], error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/catalog/categories", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    _ = try await categories.create(Self.draft(caller.form, code: caller.field("code")), by: caller.actor)
                    return Response.seeOther("/console/catalog/categories")
                }, otherwise: { error, status in try await render(request, context, caller, values: caller.form, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/catalog/categories/{categoryCode}", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let code = try context.parameter("categoryCode")
                return try await FormOutcome.attempt({
                    _ = try await categories.update(code, with: Self.draft(caller.form, code: code), version: caller.intField("version"),
                                                    by: caller.actor)
                    return Response.seeOther("/console/catalog/categories")
                }, otherwise: { error, status in try await render(request, context, caller, values: [:], error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/catalog/categories/{categoryCode}/delete", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let code = try context.parameter("categoryCode")
                return try await FormOutcome.attempt({
                    try await categories.delete(code, by: caller.actor)
                    return Response.seeOther("/console/catalog/categories")
                }, otherwise: { error, status in try await render(request, context, caller, values: [:], error: error, status: status) })
            },
        ]
    }

    static func draft(_ form: [String: String], code: String) -> CategoryDraft {
        CategoryDraft(code: code, nameZh: form["name_zh"] ?? "", nameEn: form["name_en"] ?? "", parentCode: form["parent_code"])
    }

    func render(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, values: [String: String], error: [String: Any]?,
                status: HTTPResponse.Status) async throws -> Response {
        let tree = try await categories.tree()
        let models = CatalogViewModels(views: services.views, locale: context.locale)
        return page.render("categories", [
            "categories": tree.ordered.map { item in
                ["code": item.category.code, "nameZh": item.category.nameZh, "nameEn": item.category.nameEn,
                 "indent": String(repeating: "　", count: item.depth), "version": item.category.version,
                 "parents": [["value": "", "label": "—", "selected": item.category.parentCode == nil] as [String: Any]]
                    + models.options(tree, selected: item.category.parentCode).filter { option in
                        !tree.subtree(item.category.code).contains(option["value"] as? String ?? "")
                    }] as [String: Any]
            },
            "parents": models.options(tree, selected: values["parent_code"]),
            "values": values,
            "error": error as Any,
        ], caller: caller, context: context, request: request, active: "/console/catalog", status: status)
    }
}

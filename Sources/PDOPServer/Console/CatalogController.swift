import Foundation
import Hummingbird
import PDOPDomain

/// Console pages of the catalog (issue 3 item 11): browse and search, detail, and the provider's form.
struct CatalogController {
    let services: PlatformServices
    let page: ConsolePage
    var catalog: CatalogService { services.catalog }
    var views: ViewRenderer { services.views }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/catalog", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                let filter = try CatalogQuery.filter(from: request)
                let result = try await catalog.search(filter, page: request.pageRequest(), scope: caller.scope)
                let names = try await providerNames()
                let locale = context.locale
                let tree = try await services.categories.tree()
                let quality = try await services.quality.quality(of: result.items)
                let models = CatalogViewModels(views: views, locale: locale)
                return page.render("catalog", [
                    "items": result.items.map { resource in
                        summary(resource, names: names, locale: locale).merging(
                            ["category": models.path(resource.category, in: tree), "quality": models.quality(quality[resource.id])]) { $1 }
                    },
                    "categories": models.options(tree, selected: filter.category),
                    "q": filter.text ?? "",
                    "domains": DomainArea.all.map { ["value": $0.code, "label": label($0, locale), "selected": $0.code == filter.domain] as [String: Any] },
                    "grades": options(DataGrade.self, selected: filter.grade?.rawValue, views: views, locale: locale, prefix: "grade"),
                    "opens": options(OpenAttribute.self, selected: filter.openAttribute?.rawValue, views: views, locale: locale, prefix: "open"),
                    "origins": options(DataOrigin.self, selected: filter.origin?.rawValue, views: views, locale: locale, prefix: "origin"),
                    "canCreate": Self.canWrite(caller),
                    "canManageCategories": caller.principal?.user.roles.contains(.authority) ?? false,
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/catalog",
                                         query: [("q", filter.text ?? ""), ("domain", filter.domain ?? ""), ("category", filter.category ?? ""),
                                                 ("grade", filter.grade?.rawValue ?? ""),
                                                 ("openAttribute", filter.openAttribute?.rawValue ?? ""), ("origin", filter.origin?.rawValue ?? "")]),
                ], caller: caller, context: context, request: request, active: "/console/catalog")
            },
            Route(RouteSpec(.get, "/console/catalog/map", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                let map = try await catalog.map(scope: caller.scope, providerNames: try await providerNames())
                return page.render("resource_map", [
                    "svg": ResourceMapSVG.render(map, title: views.text("catalog.map", context.locale)),
                    "providers": map.nodes.filter { $0.kind == .provider }.count,
                    "resources": map.nodes.filter { $0.kind == .resource }.count,
                    "domains": map.nodes.filter { $0.kind == .domain }.count,
                ], caller: caller, context: context, request: request, active: "/console/catalog")
            },
            Route(RouteSpec(.get, "/console/catalog/new", .roles(CatalogAPI.writers), audience: .console)) { request, context, caller in
                try await form(request, context, caller, resource: nil, values: [:], error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/catalog", .roles(CatalogAPI.writers), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let provider = try CatalogQuery.provider(caller.field("provider_id").isEmpty ? nil : caller.field("provider_id"), caller: caller)
                    let resource = try await catalog.create(try ResourceForm.draft(caller.form), provider: provider,
                                                            scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/catalog/\(resource.id)")
                }, otherwise: { error, status in try await form(request, context, caller, resource: nil, values: caller.form, error: error, status: status) })
            },
            Route(RouteSpec(.get, "/console/catalog/{resourceId}", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                try await detail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.get, "/console/catalog/{resourceId}/edit", .roles(CatalogAPI.writers), audience: .console)) { request, context, caller in
                let resource = try await catalog.resource(ResourceID(context.parameter("resourceId")), scope: caller.scope)
                guard caller.scope.permits(resource.providerID) else { throw DomainError.notFound("resource") }
                return try await form(request, context, caller, resource: resource, values: ResourceForm.values(resource), error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/catalog/{resourceId}", .roles(CatalogAPI.writers), audience: .console)) { request, context, caller in
                let id = ResourceID(try context.parameter("resourceId"))
                return try await FormOutcome.attempt({
                    _ = try await catalog.update(id, with: try ResourceForm.draft(caller.form), version: caller.intField("version"),
                                                 scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/catalog/\(id)")
                }, otherwise: { error, status in
                    let resource = try await catalog.resource(id, scope: caller.scope)
                    return try await form(request, context, caller, resource: resource, values: caller.form, error: error, status: status)
                })
            },
            Route(RouteSpec(.post, "/console/catalog/{resourceId}/state", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let id = ResourceID(try context.parameter("resourceId"))
                return try await FormOutcome.attempt({
                    _ = try await catalog.changeState(id, to: try parseEnumField(ResourceState.self, caller.field("state"), field: "state"),
                                                      version: caller.intField("version"), reason: caller.field("reason"), by: caller.actor)
                    return Response.seeOther("/console/catalog/\(id)")
                }, otherwise: { error, status in try await detail(request, context, caller, error: error, status: status) })
            },
        ]
    }

    static func canWrite(_ caller: Caller) -> Bool {
        caller.principal.map { !$0.user.roles.isDisjoint(with: [.provider, .authority]) } ?? false
    }

    func label(_ area: DomainArea, _ locale: Locale) -> String { locale == .zhCN ? area.nameZh : area.nameEn }

    func providerNames() async throws -> [OrganizationID: String] { try await services.parties.organizationNames(kind: .department) }

    func summary(_ r: DataResource, names: [OrganizationID: String], locale: Locale) -> [String: Any] {
        ["id": r.id.rawValue, "name": r.name, "provider": names[r.providerID] ?? r.providerID.rawValue,
         "domain": DomainArea.named(r.domain).map { label($0, locale) } ?? r.domain, "grade": r.grade.rawValue,
         "open": views.text("open.\(r.openAttribute.rawValue)", locale), "openCode": r.openAttribute.rawValue,
         "origin": views.text("origin.\(r.origin.rawValue)", locale), "state": views.text("resource.\(r.state.rawValue)", locale),
         "stateCode": r.state.rawValue, "updated": r.updatedAt.consoleText, "columns": r.columns.count]
    }

    func detail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                status: HTTPResponse.Status) async throws -> Response {
        let id = ResourceID(try context.parameter("resourceId"))
        let resource = try await catalog.resource(id, scope: caller.scope)
        let revisions = try await catalog.revisions(id, scope: caller.scope)
        let locale = context.locale
        let isAuthority = caller.principal?.user.roles.contains(.authority) ?? false
        var model = summary(resource, names: try await providerNames(), locale: locale)
        let models = CatalogViewModels(views: views, locale: locale)
        model["category"] = models.path(resource.category, in: try await services.categories.tree())
        model["description"] = resource.description
        model["keywords"] = resource.keywords.joined(separator: views.text("list.separator", locale))
        model["frequency"] = views.text("frequency.\(resource.updateFrequency.rawValue)", locale)
        model["schemaVersion"] = resource.schemaVersion
        model["version"] = resource.version
        model["grantable"] = (try? GrantableResources([resource])) != nil
        let figures = try await services.supply.objectionFigures(id)
        let objections = try await services.supply.objections(resource: id, overdueOnly: false, page: .first, scope: caller.scope)
        let quality = try await services.quality.quality(of: [resource])[resource.id]
        return page.render("resource", [
            "r": model,
            "quality": models.quality(quality),
            "figures": ["total": figures.total, "open": figures.open, "overdue": figures.overdue, "corrected": figures.corrected],
            "objections": objections.items.map { objection in
                ["id": objection.id.rawValue, "reason": views.text("objection.\(objection.reason.rawValue)", locale),
                 "state": views.text("objectionState.\(objection.state.rawValue)", locale), "overdue": objection.overdue,
                 "created": objection.createdAt.consoleText] as [String: Any]
            },
            "reasons": options(ObjectionReason.self, selected: nil, views: views, locale: locale, prefix: "objection"),
            "schema": resource.columns.map { column in
                ["name": column.name, "type": views.text("type.\(column.type.rawValue)", locale), "description": column.description,
                 "sensitivity": views.text("sensitivity.\(column.sensitivity.rawValue)", locale), "level": column.level.rawValue] as [String: Any]
            },
            "revisions": revisions.map { ["version": $0.version, "schemaVersion": $0.schemaVersion, "change": $0.change,
                                          "by": $0.changedBy, "at": $0.at.consoleText] as [String: Any] },
            "canEdit": Self.canWrite(caller) && caller.scope.permits(resource.providerID) && resource.state != .retired,
            "canManage": isAuthority,
            "canSeeLoads": caller.scope.permits(resource.providerID),
            "canSeeSample": SamplesController.admits(caller, resource),
            "targets": ResourceState.allCases.filter { (try? resource.state.transition(to: $0)) != nil }.map {
                ["value": $0.rawValue, "label": views.text("resource.\($0.rawValue)", locale)]
            },
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/catalog", status: status)
    }

    func form(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, resource: DataResource?, values: [String: String],
              error: [String: Any]?, status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let providers = caller.scope == .all ? try await providerNames().sorted { $0.value < $1.value }.map {
            ["value": $0.key.rawValue, "label": $0.value, "selected": $0.key.rawValue == values["provider_id"]] as [String: Any]
        } : []
        return page.render("resource_form", [
            "resource": resource.map { ["id": $0.id.rawValue, "version": $0.version] as [String: Any] },
            "values": values,
            "providers": providers,
            "domains": DomainArea.all.map { ["value": $0.code, "label": label($0, locale), "selected": $0.code == values["domain"]] as [String: Any] },
            "grades": options(DataGrade.self, selected: values["grade"], views: views, locale: locale, prefix: "grade"),
            "opens": options(OpenAttribute.self, selected: values["open_attribute"], views: views, locale: locale, prefix: "open"),
            "origins": options(DataOrigin.self, selected: values["origin"], views: views, locale: locale, prefix: "origin"),
            "frequencies": options(UpdateFrequency.self, selected: values["update_frequency"], views: views, locale: locale, prefix: "frequency"),
            "categories": CatalogViewModels(views: views, locale: locale).options(try await services.categories.tree(),
                                                                                  selected: values["category"]),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/catalog", status: status)
    }
}

/// The resource form: plain fields plus the schema as text, one column per line
/// (`name | type | sensitivity | description`), so it works without JavaScript.
enum ResourceForm {
    static func draft(_ form: [String: String]) throws -> ResourceDraft {
        func field(_ name: String) -> String { form[name] ?? "" }
        var columns: [ColumnSpec] = []
        let lines = field("columns").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for (index, line) in lines.enumerated() {
            let parts = line.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 3 else {
                throw DomainError.invalid("columns", "line \(index + 1): write name | type | sensitivity | description")
            }
            let type = try parseEnumField(ColumnType.self, parts[1], field: "columns")
            let sensitivity = try parseEnumField(Sensitivity.self, parts[2], field: "columns")
            columns.append(ColumnSpec(name: parts[0], type: type, description: parts.count > 3 ? parts[3] : "", sensitivity: sensitivity))
        }
        return ResourceDraft(
            domain: field("domain"), name: field("name"), description: field("description"),
            keywords: field("keywords").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            grade: try parseEnumField(DataGrade.self, field("grade"), field: "grade"),
            openAttribute: try parseEnumField(OpenAttribute.self, field("open_attribute"), field: "openAttribute"),
            origin: try parseEnumField(DataOrigin.self, field("origin"), field: "origin"),
            updateFrequency: try parseEnumField(UpdateFrequency.self, field("update_frequency"), field: "updateFrequency"),
            columns: columns, category: field("category").isEmpty ? nil : field("category"))
    }

    static func values(_ r: DataResource) -> [String: String] {
        ["domain": r.domain, "category": r.category, "name": r.name, "description": r.description, "keywords": r.keywords.joined(separator: ", "),
         "grade": r.grade.rawValue, "open_attribute": r.openAttribute.rawValue, "origin": r.origin.rawValue,
         "update_frequency": r.updateFrequency.rawValue, "provider_id": r.providerID.rawValue,
         "columns": r.columns.map { "\($0.name) | \($0.type.rawValue) | \($0.sensitivity.rawValue) | \($0.description)" }.joined(separator: "\n")]
    }
}

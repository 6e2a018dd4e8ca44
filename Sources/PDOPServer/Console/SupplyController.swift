import Foundation
import Hummingbird
import PDOPDomain

/// Console pages for demands and objections (R4; issue 3 item 11).
struct SupplyController {
    let services: PlatformServices
    let page: ConsolePage
    var supply: SupplyService { services.supply }
    var views: ViewRenderer { services.views }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/demands", .roles(SupplyAPI.demandParties), audience: .console)) { request, context, caller in
                try await demandList(request, context, caller, values: [:], error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/demands", .roles(SupplyAPI.operatorStaff), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let demand = try await supply.postDemand(domain: caller.field("domain"), title: caller.field("title"),
                                                             description: caller.field("description"),
                                                             wantedFields: caller.field("wanted_fields"), by: caller.actor)
                    return Response.seeOther("/console/demands/\(demand.id)")
                }, otherwise: { error, status in try await demandList(request, context, caller, values: caller.form, error: error, status: status) })
            },
            Route(RouteSpec(.get, "/console/demands/{demandId}", .roles(SupplyAPI.demandParties), audience: .console)) { request, context, caller in
                try await demandDetail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/demands/{demandId}/route", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let id = DemandID(try context.parameter("demandId"))
                return try await FormOutcome.attempt({
                    _ = try await supply.routeDemand(id, to: OrganizationID(caller.field("provider_id")), version: caller.intField("version"),
                                                     by: caller.actor)
                    return Response.seeOther("/console/demands/\(id)")
                }, otherwise: { error, status in try await demandDetail(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/demands/{demandId}/answer", .roles(SupplyAPI.providers), audience: .console)) { request, context, caller in
                let id = DemandID(try context.parameter("demandId"))
                return try await FormOutcome.attempt({
                    _ = try await supply.answerDemand(id, answer: try parseEnumField(DemandAnswer.self, caller.field("answer"), field: "answer"),
                                                      reason: caller.field("reason"), version: caller.intField("version"),
                                                      scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/demands/\(id)")
                }, otherwise: { error, status in try await demandDetail(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.get, "/console/objections", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                let result = try await supply.objections(resource: nil, overdueOnly: request.uri.queryParameters.get("overdue") == "true",
                                                         page: request.pageRequest(), scope: caller.scope)
                return page.render("objections", [
                    "items": result.items.map { objectionRow($0, context.locale) },
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/objections", query: []),
                ], caller: caller, context: context, request: request, active: "/console/objections")
            },
            Route(RouteSpec(.post, "/console/catalog/{resourceId}/objections", .roles(Reach.everyRoleOwnOrg), audience: .console)) { _, context, caller in
                let resource = ResourceID(try context.parameter("resourceId"))
                _ = try await supply.raiseObjection(to: resource, reason: try parseEnumField(ObjectionReason.self, caller.field("reason"), field: "reason"),
                                                    evidence: caller.field("evidence"), scope: caller.scope, by: caller.actor)
                return Response.seeOther("/console/catalog/\(resource)")
            },
            Route(RouteSpec(.get, "/console/objections/{objectionId}", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                try await objectionDetail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/objections/{objectionId}/answer", .roles(SupplyAPI.providers), audience: .console)) { request, context, caller in
                let id = ObjectionID(try context.parameter("objectionId"))
                return try await FormOutcome.attempt({
                    _ = try await supply.answerObjection(
                        id, resolution: try parseEnumField(ObjectionResolution.self, caller.field("resolution"), field: "resolution"),
                        response: caller.field("response"), version: caller.intField("version"), scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/objections/\(id)")
                }, otherwise: { error, status in try await objectionDetail(request, context, caller, error: error, status: status) })
            },
        ]
    }

    func names() async throws -> [OrganizationID: String] { try await services.parties.organizationNames() }

    func domainLabel(_ code: String, _ locale: Locale) -> String {
        DomainArea.named(code).map { locale == .zhCN ? $0.nameZh : $0.nameEn } ?? code
    }

    func demandRow(_ d: Demand, _ names: [OrganizationID: String], _ locale: Locale) -> [String: Any] {
        ["id": d.id.rawValue, "title": d.title, "description": d.description, "wantedFields": d.wantedFields,
         "domain": domainLabel(d.domain, locale), "operator": names[d.operatorID] ?? d.operatorID.rawValue,
         "provider": d.providerID.map { names[$0] ?? $0.rawValue } ?? "—", "state": views.text("demand.\(d.state.rawValue)", locale),
         "due": d.dueAt?.consoleText ?? "—", "overdue": d.overdue, "version": d.version,
         "answer": d.answer.map { views.text("answer.\($0.rawValue)", locale) } ?? "", "answerReason": d.answerReason ?? "",
         "created": d.createdAt.consoleText]
    }

    func demandList(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, values: [String: String],
                    error: [String: Any]?, status: HTTPResponse.Status) async throws -> Response {
        let result = try await supply.demands(overdueOnly: request.uri.queryParameters.get("overdue") == "true",
                                              page: request.pageRequest(), scope: caller.scope)
        let names = try await names()
        let isOperator = caller.principal.map { $0.user.roles.contains(where: \.isOperatorStaff) } ?? false
        return page.render("demands", [
            "items": result.items.map { demandRow($0, names, context.locale) },
            "canPost": isOperator, "values": values,
            "domains": DomainArea.all.map { ["value": $0.code, "label": domainLabel($0.code, context.locale),
                                             "selected": $0.code == values["domain"]] as [String: Any] },
            "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/demands", query: []),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/demands", status: status)
    }

    func demandDetail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                      status: HTTPResponse.Status) async throws -> Response {
        let demand = try await supply.demand(DemandID(context.parameter("demandId")), scope: caller.scope)
        let names = try await names()
        let roles = caller.principal?.user.roles ?? []
        let departments = try await services.parties.organizations(OrganizationFilter(kind: .department),
                                                                   page: PageRequest(limit: PageRequest.maxLimit), scope: .all)
        return page.render("demand", [
            "d": demandRow(demand, names, context.locale),
            "canRoute": roles.contains(.authority) && demand.state == .posted,
            "canAnswer": roles.contains(.provider) && demand.state == .routed && demand.providerID.map(caller.scope.permits) == true,
            "departments": departments.items.map { ["value": $0.id.rawValue, "label": $0.name] },
            "answers": options(DemandAnswer.self, selected: nil, views: views, locale: context.locale, prefix: "answer"),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/demands", status: status)
    }

    func objectionRow(_ o: Objection, _ locale: Locale) -> [String: Any] {
        ["id": o.id.rawValue, "resourceId": o.resourceID.rawValue, "reason": views.text("objection.\(o.reason.rawValue)", locale),
         "evidence": o.evidence, "state": views.text("objectionState.\(o.state.rawValue)", locale), "due": o.dueAt.consoleText,
         "overdue": o.overdue, "resolution": o.resolution.map { views.text("resolution.\($0.rawValue)", locale) } ?? "",
         "response": o.response ?? "", "version": o.version, "created": o.createdAt.consoleText]
    }

    func objectionDetail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                         status: HTTPResponse.Status) async throws -> Response {
        let objection = try await supply.objection(ObjectionID(context.parameter("objectionId")), scope: caller.scope)
        let resource = try await services.catalog.resource(objection.resourceID, scope: .all)
        let roles = caller.principal?.user.roles ?? []
        return page.render("objection", [
            "o": objectionRow(objection, context.locale), "resourceName": resource.name,
            "canAnswer": roles.contains(.provider) && objection.state == .open && caller.scope.permits(objection.providerID),
            "resolutions": options(ObjectionResolution.self, selected: nil, views: views, locale: context.locale, prefix: "resolution"),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/objections", status: status)
    }
}

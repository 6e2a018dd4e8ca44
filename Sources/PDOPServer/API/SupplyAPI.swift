import Hummingbird
import PDOPAPI
import PDOPDomain

/// /api/v1/demands and /api/v1/objections: supply and demand (R4).
struct SupplyAPI {
    let services: PlatformServices
    var supply: SupplyService { services.supply }

    static let operatorStaff: [Role: ScopeKind] = [.operatorManager: .own, .operatorTechnical: .own, .operatorOperations: .own]
    /// The parties of a demand: the operator that posted it, the provider it was routed to, and the supervisors.
    static let demandParties: [Role: ScopeKind] = operatorStaff.merging([.provider: .own, .authority: .all, .regulator: .all]) { $1 }
    static let providers: [Role: ScopeKind] = [.provider: .own]

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/demands", .roles(Self.demandParties), audience: .api)) { request, _, caller in
                let page = try await supply.demands(overdueOnly: request.uri.queryParameters.get("overdue") == "true",
                                                    page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, DemandOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/demands", .roles(Self.operatorStaff), audience: .api)) { _, _, caller in
                let input = try caller.input(DemandCreate.self)
                let demand = try await supply.postDemand(domain: input.domain, title: input.title, description: input.description,
                                                         wantedFields: input.wantedFields ?? "", by: caller.actor)
                return try APIResponse.json(DemandOut(demand), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/demands/{demandId}", .roles(Self.demandParties), audience: .api)) { _, context, caller in
                try APIResponse.json(DemandOut(try await supply.demand(DemandID(context.parameter("demandId")), scope: caller.scope)))
            },
            Route(RouteSpec(.post, "/api/v1/demands/{demandId}/route", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(DemandRouteIn.self)
                let demand = try await supply.routeDemand(DemandID(context.parameter("demandId")), to: OrganizationID(input.providerId),
                                                          version: input.version, by: caller.actor)
                return try APIResponse.json(DemandOut(demand))
            },
            Route(RouteSpec(.post, "/api/v1/demands/{demandId}/answer", .roles(Self.providers), audience: .api)) { _, context, caller in
                let input = try caller.input(DemandAnswerIn.self)
                let demand = try await supply.answerDemand(
                    DemandID(context.parameter("demandId")), answer: try parseEnum(DemandAnswer.self, input.answer, field: "answer"),
                    reason: input.reason ?? "", version: input.version, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(DemandOut(demand))
            },
            Route(RouteSpec(.get, "/api/v1/objections", .roles(Reach.everyRoleOwnOrg), audience: .api)) { request, _, caller in
                let page = try await supply.objections(resource: try request.queryText("resourceId").map(ResourceID.init),
                                                       overdueOnly: request.uri.queryParameters.get("overdue") == "true",
                                                       page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, ObjectionOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/catalog/resources/{resourceId}/objections", .roles(Reach.everyRoleOwnOrg), audience: .api)) { _, context, caller in
                let input = try caller.input(ObjectionCreate.self)
                let objection = try await supply.raiseObjection(
                    to: ResourceID(context.parameter("resourceId")), reason: try parseEnum(ObjectionReason.self, input.reason, field: "reason"),
                    evidence: input.evidence, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(ObjectionOut(objection), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/objections/{objectionId}", .roles(Reach.everyRoleOwnOrg), audience: .api)) { _, context, caller in
                try APIResponse.json(ObjectionOut(try await supply.objection(ObjectionID(context.parameter("objectionId")), scope: caller.scope)))
            },
            Route(RouteSpec(.post, "/api/v1/objections/{objectionId}/answer", .roles(Self.providers), audience: .api)) { _, context, caller in
                let input = try caller.input(ObjectionAnswerIn.self)
                let objection = try await supply.answerObjection(
                    ObjectionID(context.parameter("objectionId")),
                    resolution: try parseEnum(ObjectionResolution.self, input.resolution, field: "resolution"),
                    response: input.response, version: input.version, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(ObjectionOut(objection))
            },
        ]
    }
}

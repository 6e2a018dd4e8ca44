import Foundation
import Hummingbird
import PDOPDomain

/// The audit log search page for the authority and regulators, and the governance bodies page.
struct AuditController {
    let services: PlatformServices
    let page: ConsolePage

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/audit", .roles(Reach.supervisors), audience: .console)) { request, context, caller in
                let filter = try AuditQuery.filter(from: request)
                let result = try await services.audit.search(filter, page: request.pageRequest())
                let views = services.views
                return page.render("audit", [
                    "items": result.items.map { entry in
                        ["seq": entry.sequence, "time": entry.time.consoleText, "actor": entry.actorName, "action": entry.action,
                         "object": [entry.objectType, entry.objectLabel ?? entry.objectID ?? ""].filter { !$0.isEmpty }.joined(separator: " · "),
                         "outcome": views.text("outcome.\(entry.outcome.rawValue)", context.locale),
                         "denied": entry.outcome != .allowed, "reason": entry.reason ?? "", "ip": entry.sourceIP ?? "",
                         "hash": String(entry.hash.prefix(12))] as [String: Any]
                    },
                    "q": filter.text ?? "", "action": filter.action ?? "",
                    "outcomes": options(AuditOutcome.self, selected: filter.outcome?.rawValue, views: views, locale: context.locale, prefix: "outcome"),
                    "from": request.uri.queryParameters.get("from") ?? "", "to": request.uri.queryParameters.get("to") ?? "",
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/audit",
                                         query: [("q", filter.text ?? ""), ("action", filter.action ?? ""),
                                                 ("outcome", filter.outcome?.rawValue ?? "")]),
                ], caller: caller, context: context, request: request, active: "/console/audit")
            },
            Route(RouteSpec(.get, "/console/governance", .roles(Reach.everyRole), audience: .console)) { request, context, caller in
                try await governance(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/governance/coordination", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    _ = try await services.parties.addCoordinationMember(OrganizationID(caller.field("org_id")), basis: caller.field("basis"),
                                                                         by: caller.actor)
                    return Response.seeOther("/console/governance")
                }, otherwise: { error, status in try await governance(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/governance/experts", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    _ = try await services.parties.addExpert(UserID(caller.field("user_id")), field: caller.field("field"), by: caller.actor)
                    return Response.seeOther("/console/governance")
                }, otherwise: { error, status in try await governance(request, context, caller, error: error, status: status) })
            },
        ]
    }

    func governance(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                    status: HTTPResponse.Status) async throws -> Response {
        let parties = services.parties
        let organizations = try await parties.organizations(OrganizationFilter(), page: PageRequest(limit: PageRequest.maxLimit), scope: .all)
        let names = Dictionary(uniqueKeysWithValues: organizations.items.map { ($0.id, $0.name) })
        let experts = try await parties.users(UserFilter(role: .expert), page: PageRequest(limit: PageRequest.maxLimit), scope: .all)
        let expertNames = Dictionary(uniqueKeysWithValues: experts.items.map { ($0.id, $0.displayName) })
        return page.render("governance", [
            "members": try await parties.coordinationMembers().filter { $0.until == nil }.map {
                ["name": names[$0.organizationID] ?? $0.organizationID.rawValue, "basis": $0.basis, "since": $0.since.consoleText]
            },
            "experts": try await parties.experts().filter { $0.until == nil }.map {
                ["name": expertNames[$0.userID] ?? $0.userID.rawValue, "field": $0.field, "since": $0.since.consoleText]
            },
            "canManage": caller.principal?.user.roles.contains(.authority) ?? false,
            "organizations": organizations.items.filter { Role.coordinationMember.allowedOrganizationKinds.contains($0.kind) }
                .map { ["value": $0.id.rawValue, "label": $0.name] },
            "expertUsers": experts.items.map { ["value": $0.id.rawValue, "label": "\($0.displayName) (\($0.username))"] },
            "error": error as Any,
        ], caller: caller, context: context, request: request, active: "/console/governance", status: status)
    }
}

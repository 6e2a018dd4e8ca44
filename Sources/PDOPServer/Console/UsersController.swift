import Foundation
import Hummingbird
import PDOPDomain

/// Console pages for users and their roles (issue 2 item 9).
struct UsersController {
    let services: PlatformServices
    let page: ConsolePage
    var parties: PartyService { services.parties }
    var views: ViewRenderer { services.views }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/users", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                let filter = UserFilter(organizationID: try request.queryText("organizationId").map(OrganizationID.init),
                                        role: try request.queryEnum("role", Role.self),
                                        state: try request.queryEnum("state", AccountState.self), text: try request.queryText("q"))
                let result = try await parties.users(filter, page: request.pageRequest(), scope: caller.scope)
                return page.render("users", [
                    "items": result.items.map { Self.row($0, views: views, locale: context.locale) },
                    "q": filter.text ?? "",
                    "roles": options(Role.self, selected: filter.role?.rawValue, views: views, locale: context.locale, prefix: "role"),
                    "states": options(AccountState.self, selected: filter.state?.rawValue, views: views, locale: context.locale, prefix: "state"),
                    "canCreate": caller.principal?.user.roles.contains(.authority) ?? false,
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/users",
                                         query: [("q", filter.text ?? ""), ("role", filter.role?.rawValue ?? ""),
                                                 ("state", filter.state?.rawValue ?? ""), ("organizationId", filter.organizationID?.rawValue ?? "")]),
                ], caller: caller, context: context, request: request, active: "/console/users")
            },
            Route(RouteSpec(.get, "/console/users/new", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await newForm(request, context, caller,
                                  values: ["org_id": request.uri.queryParameters.get("organizationId") ?? ""], error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/users", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let roles = try caller.field("role").split(separator: ",").map { try parseEnumField(Role.self, String($0), field: "roles") }
                    let user = try await parties.createUser(NewUser(
                        organizationID: OrganizationID(caller.field("org_id")), username: caller.field("username"),
                        displayName: caller.field("display_name"), password: caller.field("password"), roles: Set(roles)), by: caller.actor)
                    return Response.seeOther("/console/users/\(user.id)")
                }, otherwise: { error, status in
                    var values = caller.form
                    values["password"] = nil
                    return try await newForm(request, context, caller, values: values, error: error, status: status)
                })
            },
            Route(RouteSpec(.get, "/console/users/{userId}", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                try await detail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/users/{userId}/state", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let id = UserID(try context.parameter("userId"))
                return try await FormOutcome.attempt({
                    _ = try await parties.changeUserState(id, to: try parseEnumField(AccountState.self, caller.field("state"), field: "state"),
                                                          version: caller.intField("version"), reason: caller.field("reason"), by: caller.actor)
                    return Response.seeOther("/console/users/\(id)")
                }, otherwise: { error, status in try await detail(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/users/{userId}/roles", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let id = UserID(try context.parameter("userId"))
                return try await FormOutcome.attempt({
                    let roles = try caller.field("roles").split(separator: ",").map { try parseEnumField(Role.self, String($0), field: "roles") }
                    _ = try await parties.setRoles(id, roles: Set(roles), version: caller.intField("version"), by: caller.actor)
                    return Response.seeOther("/console/users/\(id)")
                }, otherwise: { error, status in try await detail(request, context, caller, error: error, status: status) })
            },
        ]
    }

    static func row(_ u: User, views: ViewRenderer, locale: Locale) -> [String: Any] {
        ["id": u.id.rawValue, "username": u.username, "displayName": u.displayName, "organizationId": u.organizationID.rawValue,
         "state": views.text("state.\(u.state.rawValue)", locale), "stateCode": u.state.rawValue,
         "roles": u.roles.map { views.text("role.\($0.rawValue)", locale) }.sorted().joined(separator: views.text("list.separator", locale)),
         "created": u.createdAt.consoleText, "version": u.version]
    }

    func newForm(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, values: [String: String],
                 error: [String: Any]?, status: HTTPResponse.Status) async throws -> Response {
        let organizations = try await parties.organizations(OrganizationFilter(), page: PageRequest(limit: PageRequest.maxLimit),
                                                            scope: caller.scope)
        return page.render("user_new", [
            "values": values,
            "organizations": organizations.items.filter { $0.state != .closed }.map {
                ["value": $0.id.rawValue, "label": $0.name, "selected": $0.id.rawValue == values["org_id"]] as [String: Any]
            },
            "roles": options(Role.self, selected: values["role"], views: views, locale: context.locale, prefix: "role"),
            "error": error as Any,
        ], caller: caller, context: context, request: request, active: "/console/users", status: status)
    }

    func detail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                status: HTTPResponse.Status) async throws -> Response {
        let user = try await parties.user(UserID(context.parameter("userId")), scope: caller.scope)
        let organization = try await parties.organization(user.organizationID, scope: .all)
        return page.render("user", [
            "user": Self.row(user, views: views, locale: context.locale),
            "organization": ["id": organization.id.rawValue, "name": organization.name],
            "canManage": caller.principal?.user.roles.contains(.authority) ?? false,
            "targets": AccountState.allCases.filter { (try? user.state.transition(to: $0)) != nil }.map {
                ["value": $0.rawValue, "label": views.text("state.\($0.rawValue)", context.locale)]
            },
            "roleChoices": Role.allCases.filter { $0.allowedOrganizationKinds.contains(organization.kind) }.map {
                ["value": $0.rawValue, "label": views.text("role.\($0.rawValue)", context.locale), "checked": user.roles.contains($0)] as [String: Any]
            },
            "error": error as Any,
        ], caller: caller, context: context, request: request, active: "/console/users", status: status)
    }
}

import Foundation
import Hummingbird
import PDOPDomain

/// Console pages for organizations (issue 2 item 9).
struct OrganizationsController {
    let services: PlatformServices
    let page: ConsolePage
    var parties: PartyService { services.parties }
    var views: ViewRenderer { services.views }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/organizations", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                let filter = OrganizationFilter(kind: try request.queryEnum("kind", OrganizationKind.self),
                                                state: try request.queryEnum("state", AccountState.self), text: try request.queryText("q"))
                let pageRequest = try request.pageRequest()
                let result = try await parties.organizations(filter, page: pageRequest, scope: caller.scope)
                return page.render("organizations", [
                    "items": result.items.map { row($0, context.locale) },
                    "q": filter.text ?? "",
                    "kinds": options(OrganizationKind.self, selected: filter.kind?.rawValue, views: views, locale: context.locale, prefix: "kind"),
                    "states": options(AccountState.self, selected: filter.state?.rawValue, views: views, locale: context.locale, prefix: "state"),
                    "canCreate": caller.scope == .all && (caller.principal?.user.roles.contains(.authority) ?? false),
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/organizations",
                                         query: [("q", filter.text ?? ""), ("kind", filter.kind?.rawValue ?? ""), ("state", filter.state?.rawValue ?? "")]),
                ], caller: caller, context: context, request: request, active: "/console/organizations")
            },
            Route(RouteSpec(.get, "/console/organizations/new", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                newForm(request, context, caller, values: [:], error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/organizations", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let organization = try await parties.createOrganization(NewOrganization(
                        name: caller.field("name"), nameEn: caller.field("name_en"),
                        kind: try parseEnumField(OrganizationKind.self, caller.field("kind"), field: "kind"),
                        creditCode: caller.field("credit_code")), by: caller.actor)
                    return Response.seeOther("/console/organizations/\(organization.id)")
                }, otherwise: { error, status in newForm(request, context, caller, values: caller.form, error: error, status: status) })
            },
            Route(RouteSpec(.get, "/console/organizations/{organizationId}", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                try await detail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/organizations/{organizationId}", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let id = OrganizationID(try context.parameter("organizationId"))
                return try await FormOutcome.attempt({
                    _ = try await parties.renameOrganization(id, name: caller.field("name"), nameEn: caller.field("name_en"),
                                                             version: caller.intField("version"), by: caller.actor)
                    return Response.seeOther("/console/organizations/\(id)")
                }, otherwise: { error, status in try await detail(request, context, caller, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/organizations/{organizationId}/state", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let id = OrganizationID(try context.parameter("organizationId"))
                return try await FormOutcome.attempt({
                    _ = try await parties.changeOrganizationState(
                        id, to: try parseEnumField(AccountState.self, caller.field("state"), field: "state"),
                        version: caller.intField("version"), reason: caller.field("reason"), by: caller.actor)
                    return Response.seeOther("/console/organizations/\(id)")
                }, otherwise: { error, status in try await detail(request, context, caller, error: error, status: status) })
            },
        ]
    }

    func row(_ o: Organization, _ locale: Locale) -> [String: Any] {
        ["id": o.id.rawValue, "name": o.name, "nameEn": o.nameEn ?? "", "kind": views.text("kind.\(o.kind.rawValue)", locale),
         "state": views.text("state.\(o.state.rawValue)", locale), "stateCode": o.state.rawValue,
         "creditCode": o.creditCode ?? "", "created": o.createdAt.consoleText, "version": o.version]
    }

    func newForm(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, values: [String: String],
                 error: [String: Any]?, status: HTTPResponse.Status) -> Response {
        page.render("organization_new", [
            "values": values,
            "kinds": options(OrganizationKind.self, selected: values["kind"], views: views, locale: context.locale, prefix: "kind"),
            "error": error as Any,
        ], caller: caller, context: context, request: request, active: "/console/organizations", status: status)
    }

    func detail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                status: HTTPResponse.Status) async throws -> Response {
        let organization = try await parties.organization(OrganizationID(context.parameter("organizationId")), scope: caller.scope)
        let users = try await parties.users(UserFilter(organizationID: organization.id), page: .first, scope: caller.scope)
        let isAuthority = caller.principal?.user.roles.contains(.authority) ?? false
        return page.render("organization", [
            "org": row(organization, context.locale),
            "users": users.items.map { UsersController.row($0, views: views, locale: context.locale) },
            "usersTotal": users.total,
            "canManage": isAuthority,
            "targets": AccountState.allCases.filter { (try? organization.state.transition(to: $0)) != nil }.map {
                ["value": $0.rawValue, "label": views.text("state.\($0.rawValue)", context.locale)]
            },
            "error": error as Any,
        ], caller: caller, context: context, request: request, active: "/console/organizations", status: status)
    }
}

func parseEnumField<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ value: String, field: String) throws -> E where E.RawValue == String {
    guard let parsed = E(rawValue: value) else { throw DomainError.invalid(field, "choose a value from the list") }
    return parsed
}

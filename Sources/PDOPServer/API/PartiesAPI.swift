import Hummingbird
import PDOPAPI
import PDOPDomain

/// /api/v1/organizations, /api/v1/users and the governance bodies (issue 2 item 3).
struct PartiesAPI {
    let services: PlatformServices
    var parties: PartyService { services.parties }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/organizations", .roles(Reach.everyRoleOwnOrg), audience: .api)) { request, _, caller in
                let filter = OrganizationFilter(kind: try request.queryEnum("kind", OrganizationKind.self),
                                                state: try request.queryEnum("state", AccountState.self),
                                                text: try request.queryText("q"))
                let page = try await parties.organizations(filter, page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, OrganizationOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/organizations", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(OrganizationCreate.self)
                let organization = try await parties.createOrganization(NewOrganization(
                    name: input.name, nameEn: input.nameEn, kind: try parseEnum(OrganizationKind.self, input.kind, field: "kind"),
                    creditCode: input.creditCode), by: caller.actor)
                return try APIResponse.json(OrganizationOut(organization), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/organizations/{organizationId}", .roles(Reach.everyRoleOwnOrg), audience: .api)) { _, context, caller in
                let organization = try await parties.organization(OrganizationID(context.parameter("organizationId")), scope: caller.scope)
                return try APIResponse.json(OrganizationOut(organization))
            },
            Route(RouteSpec(.patch, "/api/v1/organizations/{organizationId}", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(OrganizationUpdate.self)
                let organization = try await parties.renameOrganization(
                    OrganizationID(context.parameter("organizationId")), name: input.name, nameEn: input.nameEn,
                    version: input.version, by: caller.actor)
                return try APIResponse.json(OrganizationOut(organization))
            },
            Route(RouteSpec(.post, "/api/v1/organizations/{organizationId}/state", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(StateChange.self)
                let organization = try await parties.changeOrganizationState(
                    OrganizationID(context.parameter("organizationId")),
                    to: try parseEnum(AccountState.self, input.state, field: "state"), version: input.version,
                    reason: input.reason, by: caller.actor)
                return try APIResponse.json(OrganizationOut(organization))
            },
            Route(RouteSpec(.get, "/api/v1/users", .roles(Reach.everyRoleOwnOrg), audience: .api)) { request, _, caller in
                let filter = UserFilter(organizationID: try request.queryText("organizationId").map(OrganizationID.init),
                                        role: try request.queryEnum("role", Role.self),
                                        state: try request.queryEnum("state", AccountState.self), text: try request.queryText("q"))
                let page = try await parties.users(filter, page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, UserOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/users", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(UserCreate.self)
                let user = try await parties.createUser(NewUser(
                    organizationID: OrganizationID(input.organizationId), username: input.username,
                    displayName: input.displayName, password: input.password, roles: parseRoles(input.roles)), by: caller.actor)
                return try APIResponse.json(UserOut(user), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/users/{userId}", .roles(Reach.everyRoleOwnOrg), audience: .api)) { _, context, caller in
                try APIResponse.json(UserOut(try await parties.user(UserID(context.parameter("userId")), scope: caller.scope)))
            },
            Route(RouteSpec(.post, "/api/v1/users/{userId}/state", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(StateChange.self)
                let user = try await parties.changeUserState(
                    UserID(context.parameter("userId")), to: try parseEnum(AccountState.self, input.state, field: "state"),
                    version: input.version, reason: input.reason, by: caller.actor)
                return try APIResponse.json(UserOut(user))
            },
            Route(RouteSpec(.put, "/api/v1/users/{userId}/roles", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(RolesUpdate.self)
                let user = try await parties.setRoles(UserID(context.parameter("userId")), roles: parseRoles(input.roles),
                                                      version: input.version, by: caller.actor)
                return try APIResponse.json(UserOut(user))
            },
            Route(RouteSpec(.get, "/api/v1/coordination-members", .roles(Reach.everyRole), audience: .api)) { _, _, _ in
                try APIResponse.json(try await parties.coordinationMembers().map(CoordinationMemberOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/coordination-members", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(CoordinationMemberCreate.self)
                let membership = try await parties.addCoordinationMember(OrganizationID(input.organizationId), basis: input.basis,
                                                                         by: caller.actor)
                return try APIResponse.json(CoordinationMemberOut(membership), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/experts", .roles(Reach.everyRole), audience: .api)) { _, _, _ in
                try APIResponse.json(try await parties.experts().map(ExpertOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/experts", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(ExpertCreate.self)
                let membership = try await parties.addExpert(UserID(input.userId), field: input.field, by: caller.actor)
                return try APIResponse.json(ExpertOut(membership), status: .created)
            },
        ]
    }
}

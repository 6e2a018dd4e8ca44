import Foundation
import Hummingbird
import PDOPDomain

/// My account: password and API tokens (issue 2 item 9).
struct AccountController {
    let services: PlatformServices
    let page: ConsolePage
    var auth: AuthService { services.auth }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/console/account", .signedIn, audience: .console)) { request, context, caller in
                try await account(request, context, caller, newSecret: nil, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/account/password", .signedIn, audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    try await auth.changePassword(try caller.signedIn, current: caller.field("current_password"),
                                                  new: caller.field("new_password"), actor: caller.actor)
                    return Response.seeOther("/console/account?changed=1")
                }, otherwise: { error, status in try await account(request, context, caller, newSecret: nil, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/account/tokens", .signedIn, audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let days = caller.field("expires_in_days").isEmpty ? nil : try caller.intField("expires_in_days")
                    let issued = try await auth.issueToken(for: try caller.signedIn, name: caller.field("name"),
                                                           expiresInDays: days, actor: caller.actor)
                    // The secret is shown once, on this response, and never stored.
                    return try await account(request, context, caller, newSecret: issued.secret, error: nil, status: .created)
                }, otherwise: { error, status in try await account(request, context, caller, newSecret: nil, error: error, status: status) })
            },
            Route(RouteSpec(.post, "/console/account/tokens/{tokenId}/revoke", .signedIn, audience: .console)) { _, context, caller in
                try await auth.revokeToken(APITokenID(try context.parameter("tokenId")), of: try caller.signedIn, actor: caller.actor)
                return Response.seeOther("/console/account")
            },
        ]
    }

    func account(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, newSecret: String?,
                 error: [String: Any]?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try caller.signedIn
        let tokens = try await auth.tokens(of: principal)
        let now = services.clock.now()
        return page.render("account", [
            "tokens": tokens.map { token in
                ["id": token.id.rawValue, "name": token.name, "prefix": token.prefix, "created": token.createdAt.consoleText,
                 "lastUsed": token.lastUsedAt?.consoleText ?? "—", "expires": token.expiresAt?.consoleText ?? "—",
                 "live": token.revokedAt == nil && (token.expiresAt.map { $0 > now } ?? true),
                 "revoked": token.revokedAt?.consoleText ?? ""] as [String: Any]
            },
            "newSecret": newSecret as Any,
            "changed": request.uri.queryParameters.get("changed") != nil,
            "minLength": services.policy.passwordMinLength,
            "error": error as Any,
        ], caller: caller, context: context, request: request, active: "/console/account", status: status)
    }
}

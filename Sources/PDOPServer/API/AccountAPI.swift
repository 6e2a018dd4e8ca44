import Hummingbird
import PDOPAPI
import PDOPDomain

/// /api/v1/me: the caller's own account and API tokens.
struct AccountAPI {
    let services: PlatformServices
    var auth: AuthService { services.auth }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/me", .signedIn, audience: .api)) { _, _, caller in
                try APIResponse.json(MeOut(try caller.signedIn))
            },
            Route(RouteSpec(.post, "/api/v1/me/password", .signedIn, audience: .api)) { _, _, caller in
                let input = try caller.input(PasswordChange.self)
                try await auth.changePassword(try caller.signedIn, current: input.currentPassword, new: input.newPassword,
                                              actor: caller.actor)
                return APIResponse.noContent()
            },
            Route(RouteSpec(.get, "/api/v1/me/tokens", .signedIn, audience: .api)) { _, _, caller in
                try APIResponse.json(try await auth.tokens(of: caller.signedIn).map(TokenOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/me/tokens", .signedIn, audience: .api)) { _, _, caller in
                let input = try caller.input(TokenCreate.self)
                let issued = try await auth.issueToken(for: caller.signedIn, name: input.name,
                                                       expiresInDays: input.expiresInDays, actor: caller.actor)
                return try APIResponse.json(TokenIssuedOut(issued), status: .created)
            },
            Route(RouteSpec(.delete, "/api/v1/me/tokens/{tokenId}", .signedIn, audience: .api)) { _, context, caller in
                try await auth.revokeToken(APITokenID(context.parameter("tokenId")), of: caller.signedIn, actor: caller.actor)
                return APIResponse.noContent()
            },
            Route(RouteSpec(.get, "/api/v1/policy", .signedIn, audience: .api)) { _, _, _ in
                try APIResponse.json(PolicyOut(services.policy))
            },
        ]
    }
}

/// /api/v1/audit: search, verification and purge (issue 2 item 6).
struct AuditAPI {
    let services: PlatformServices

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/audit", .roles(Reach.supervisors), audience: .api)) { request, _, _ in
                let filter = try AuditQuery.filter(from: request)
                let page = try await services.audit.search(filter, page: request.pageRequest())
                return try APIResponse.json(PageOut(page, AuditEntryOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/audit/verification", .roles(Reach.supervisors), audience: .api)) { _, _, _ in
                let result = try await services.integrity.verify()
                return try APIResponse.json(VerificationOut(ok: result.ok, entries: result.entries, checkpoints: result.checkpoints,
                                                            firstBadSeq: result.firstBad, problem: result.problem,
                                                            publicKey: services.stores.auditKey.publicKey.rawRepresentation.base64EncodedString()))
            },
            Route(RouteSpec(.post, "/api/v1/audit/purge", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(AuditPurge.self)
                return try APIResponse.json(PurgeOut(removed: try await services.audit.purge(before: input.before, by: caller.actor)))
            },
        ]
    }
}

enum AuditQuery {
    static func filter(from request: Request) throws -> AuditFilter {
        AuditFilter(text: try request.queryText("q"), action: try request.queryText("action"),
                    outcome: try request.queryEnum("outcome", AuditOutcome.self),
                    organizationID: try request.queryText("organizationId").map(OrganizationID.init),
                    from: try request.queryDate("from"), to: try request.queryDate("to"))
    }
}

struct VerificationOut: Encodable {
    var ok: Bool
    var entries: Int
    var checkpoints: Int
    var firstBadSeq: Int64?
    var problem: String?
    var publicKey: String
}

/// The policy numbers in force, as the API shows them.
struct PolicyOut: Encodable {
    var version: String
    var agreementTermMonths, trialPeriodMaxMonths, renewalLeadMonths, securityReviewValidityMonths: Int
    var logRetentionDays, logRetentionFloorDays, securityReportIntervalMonths, annualReportAfterMonths: Int
    var sessionIdleMinutes, sessionAbsoluteHours, passwordMinLength: Int

    init(_ p: PolicySettings) {
        version = p.version; agreementTermMonths = p.agreementTermMonths; trialPeriodMaxMonths = p.trialPeriodMaxMonths
        renewalLeadMonths = p.renewalLeadMonths; securityReviewValidityMonths = p.securityReviewValidityMonths
        logRetentionDays = p.logRetentionDays; logRetentionFloorDays = PolicySettings.logRetentionFloorDays
        securityReportIntervalMonths = p.securityReportIntervalMonths; annualReportAfterMonths = p.annualReportAfterMonths
        sessionIdleMinutes = p.sessionIdleMinutes; sessionAbsoluteHours = p.sessionAbsoluteHours
        passwordMinLength = p.passwordMinLength
    }
}

/// Health, readiness, metrics and the API description: no login.
struct SystemRoutes {
    let services: PlatformServices

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/healthz", .everyone, audience: .system)) { _, _, _ in
                try APIResponse.json(["status": "ok"])
            },
            Route(RouteSpec(.get, "/readyz", .everyone, audience: .system)) { _, _, _ in
                let ready = await services.ready()
                return try APIResponse.json(["status": ready ? "ready" : "unavailable"], status: ready ? .ok : .serviceUnavailable)
            },
            Route(RouteSpec(.get, "/metrics", .everyone, audience: .system)) { _, _, _ in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: .init(byteBuffer: .init(string: services.metrics.render())))
            },
            Route(RouteSpec(.get, "/api/openapi.yaml", .everyone, audience: .system)) { _, _, _ in
                Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "no-cache"],
                         body: .init(byteBuffer: .init(string: APISpec.yaml)))
            },
        ]
    }
}

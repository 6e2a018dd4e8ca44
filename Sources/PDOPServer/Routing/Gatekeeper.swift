import Crypto
import Foundation
import Hummingbird
import NIOCore
import PDOPDomain

/// What a handler knows about its caller after the gate: who, with what reach, and the parsed body.
public struct Caller: Sendable {
    public let principal: Principal?
    public let scope: AccessScope
    public let actor: Actor
    /// The raw body of a state-changing API request (bounded by the policy limit).
    public let body: ByteBuffer?
    /// The fields of a console form post.
    public let form: [String: String]

    /// The signed-in principal; routes that admit `.everyone` must not call this.
    public var signedIn: Principal {
        get throws {
            guard let principal else { throw DomainError(.unauthenticated, "sign in first") }
            return principal
        }
    }
}

public typealias RouteHandler = @Sendable (Request, PDOPRequestContext, Caller) async throws -> Response

public struct Route: Sendable {
    public let spec: RouteSpec
    let handler: RouteHandler

    init(_ spec: RouteSpec, _ handler: @escaping RouteHandler) {
        self.spec = spec
        self.handler = handler
    }
}

enum Cookies {
    static let session = "pdop_session"
    static let loginCSRF = "pdop_login_csrf"
    static let language = "pdop_lang"
}

/// Runs in front of every route of the table: cross-site check, authentication, the route's
/// access declaration (deny by default), body limit, CSRF for console forms, and an audit entry
/// for every refused attempt.
struct Gatekeeper: Sendable {
    let services: PlatformServices

    func handle(_ route: Route, _ request: Request, _ incoming: PDOPRequestContext) async throws -> Response {
        var context = incoming
        context.locale = Locale.from(cookie: request.cookies[Cookies.language]?.value)
        let spec = route.spec
        var principal: Principal?
        do {
            if spec.changesState, request.headers[.secFetchSite] == "cross-site" {
                throw DomainError(.forbidden, "cross-site requests may not change anything")
            }
            principal = try await authenticate(request, audience: spec.audience)
            let scope = try authorize(spec, principal)
            let actor = principal?.actor(requestID: context.requestID, sourceIP: context.sourceIP)
                ?? Actor(userID: nil, username: "anonymous", organizationID: nil, roles: [],
                         requestID: context.requestID, sourceIP: context.sourceIP)
            var body: ByteBuffer?
            var form: [String: String] = [:]
            if spec.changesState && !spec.streamsBody {
                var request = request
                body = try await request.collectBody(upTo: services.policy.jsonBodyLimitBytes)
                if spec.audience == .console {
                    form = FormBody.parse(body.map { String(buffer: $0) } ?? "")
                    try checkCSRF(request, spec: spec, form: form, principal: principal)
                }
            }
            let caller = Caller(principal: principal, scope: scope, actor: actor, body: body, form: form)
            return try await route.handler(request, context, caller)
        } catch {
            if shouldAudit(error, spec: spec) {
                await auditRefusal(error, spec: spec, principal: principal, context: context)
            }
            throw error
        }
    }

    func authenticate(_ request: Request, audience: RouteAudience) async throws -> Principal? {
        switch audience {
        case .api:
            guard let header = request.headers[.authorization] else { return nil }
            guard header.hasPrefix("Bearer "), let principal = try await services.auth.authenticate(token: String(header.dropFirst(7))) else {
                throw DomainError(.unauthenticated, "the bearer token is unknown, expired or revoked")
            }
            return principal
        case .console:
            guard let cookie = request.cookies[Cookies.session]?.value else { return nil }
            return try await services.auth.authenticate(session: cookie)
        case .system:
            return nil
        }
    }

    func authorize(_ spec: RouteSpec, _ principal: Principal?) throws -> AccessScope {
        if spec.access == .everyone {
            return principal.map { .organization($0.organization.id) } ?? .organization(OrganizationID(""))
        }
        guard let principal else { throw DomainError(.unauthenticated, "sign in first") }
        guard let scope = spec.scope(for: principal) else {
            throw DomainError(.forbidden, "your roles do not allow this")
        }
        return scope
    }

    /// Signed-in forms carry the session's token; the login form carries a double-submit token.
    func checkCSRF(_ request: Request, spec: RouteSpec, form: [String: String], principal: Principal?) throws {
        let expected = spec.access == .everyone ? request.cookies[Cookies.loginCSRF]?.value : principal?.csrfToken
        try Self.requireCSRF(expected: expected, form: form)
    }

    /// The one comparison of a form's `_csrf` field with the token it must carry. Console routes
    /// that stream their body (uploads) call it themselves once they have read the fields.
    static func requireCSRF(expected: String?, form: [String: String]) throws {
        guard let expected, let given = form["_csrf"], constantTimeEquals(expected, given) else {
            throw DomainError(.forbidden, "the form has expired or did not come from this site; reload it and try again")
        }
    }

    func shouldAudit(_ error: any Error, spec: RouteSpec) -> Bool {
        guard !spec.auditsItself else { return false }
        if let domain = error as? DomainError {
            // An anonymous look at a console page is sent to the login form, not an attempt worth a record.
            if domain.kind == .unauthenticated && spec.audience == .console && !spec.changesState { return false }
            if domain.kind == .unauthenticated || domain.kind == .forbidden { return true }
        }
        return spec.changesState
    }

    /// Written in its own transaction: the refused change itself was rolled back.
    func auditRefusal(_ error: any Error, spec: RouteSpec, principal: Principal?, context: PDOPRequestContext) async {
        let problem = ErrorMiddleware.problem(for: error, requestID: context.requestID)
        let actor = principal?.actor(requestID: context.requestID, sourceIP: context.sourceIP)
            ?? Actor(userID: nil, username: "anonymous", organizationID: nil, roles: [],
                     requestID: context.requestID, sourceIP: context.sourceIP)
        var details = ["status": String(problem.status), "route": spec.description]
        if let rule = problem.rule { details["rule"] = rule }
        let event = AuditEvent(actor: actor, action: "request.refused", objectType: "route", objectID: spec.description,
                               outcome: problem.status >= 500 ? .failed : .denied, reason: problem.detail, details: details)
        let now = services.clock.now()
        do {
            _ = try await services.store.transaction { tx in try await tx.audit.append(event, at: now) }
        } catch {
            context.logger.error("could not audit a refused request", metadata: ["request_id": .string(context.requestID)])
        }
    }
}

func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let left = Array(SHA256.hash(data: Data(a.utf8)))
    let right = Array(SHA256.hash(data: Data(b.utf8)))
    return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}

/// application/x-www-form-urlencoded, repeated keys joined by "," (multi-selects).
enum FormBody {
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = parts.first else { continue }
            let key = decode(String(rawKey))
            let value = parts.count > 1 ? decode(String(parts[1])) : ""
            if let existing = fields[key] { fields[key] = existing + "," + value } else { fields[key] = value }
        }
        return fields
    }

    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

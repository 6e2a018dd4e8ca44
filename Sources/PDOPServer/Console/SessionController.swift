import Foundation
import Hummingbird
import PDOPDomain
import PDOPStore

/// Login, logout, the language switch and the dashboard.
struct SessionController {
    let services: PlatformServices
    let page: ConsolePage

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/", .everyone, audience: .console)) { _, _, caller in
                Response.seeOther(caller.principal == nil ? "/login" : "/console")
            },
            Route(RouteSpec(.get, "/login", .everyone, audience: .console)) { request, context, caller in
                if caller.principal != nil { return Response.seeOther("/console") }
                return loginPage(request, context, next: Self.safeNext(request.uri.queryParameters.get("next")), error: nil, username: "")
            },
            Route(RouteSpec(.post, "/login", .everyone, audience: .console, auditsItself: true)) { request, context, caller in
                let next = Self.safeNext(caller.form["next"])
                let username = caller.form["username"] ?? ""
                do {
                    let result = try await services.auth.login(username: username, password: caller.form["password"] ?? "",
                                                               actor: caller.actor)
                    var response = Response.seeOther(next)
                    response.setCookie(Cookie(name: Cookies.session, value: result.sessionSecret, path: "/",
                                              secure: services.secureCookies, httpOnly: true, sameSite: .lax))
                    response.setCookie(Cookie(name: Cookies.loginCSRF, value: "", maxAge: 0, path: "/login",
                                              secure: services.secureCookies, httpOnly: true, sameSite: .strict))
                    return response
                } catch let error as DomainError {
                    var response = loginPage(request, context, next: next, error: error, username: username)
                    if let retry = error.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
                    return response
                }
            },
            Route(RouteSpec(.post, "/logout", .signedIn, audience: .console)) { _, _, caller in
                try await services.auth.logout(try caller.signedIn, actor: caller.actor)
                var response = Response.seeOther("/login")
                response.setCookie(Cookie(name: Cookies.session, value: "", maxAge: 0, path: "/",
                                          secure: services.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            },
            Route(RouteSpec(.get, "/lang/{code}", .everyone, audience: .console)) { request, context, _ in
                let locale = Locale(rawValue: try context.parameter("code")) ?? .zhCN
                var response = Response.seeOther(Self.safeNext(request.uri.queryParameters.get("next")))
                response.setCookie(Cookie(name: Cookies.language, value: locale.rawValue, maxAge: 365 * 86_400, path: "/",
                                          secure: services.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            },
            Route(RouteSpec(.get, "/console", .signedIn, audience: .console)) { request, context, caller in
                let principal = try caller.signedIn
                return page.render("dashboard", [
                    "isAuthority": principal.user.roles.contains(.authority),
                    "policy": ["version": services.policy.version, "term": services.policy.agreementTermMonths,
                               "trial": services.policy.trialPeriodMaxMonths, "renewal": services.policy.renewalLeadMonths,
                               "review": services.policy.securityReviewValidityMonths, "retention": services.policy.logRetentionDays],
                ], caller: caller, context: context, request: request, active: "/console")
            },
        ]
    }

    func loginPage(_ request: Request, _ context: PDOPRequestContext, next: String, error: DomainError?, username: String) -> Response {
        let token = RandomSecretMinter().newSecret(prefix: "")
        var model: [String: Any] = ["csrf": token, "next": next, "username": username, "here": "/login"]
        if let error {
            model["loginError"] = error.kind == .rateLimited
                ? services.views.text("login.rateLimited", context.locale)
                : error.kind == .forbidden ? services.views.text("login.inactive", context.locale)
                : error.kind == .unauthenticated ? services.views.text("login.failed", context.locale) : error.message
        }
        let status: HTTPResponse.Status = error.map { .init(code: ErrorMiddleware.status(for: $0.kind)) } ?? .ok
        var response = services.views.render("login", model, locale: context.locale, status: status)
        response.setCookie(Cookie(name: Cookies.loginCSRF, value: token, maxAge: 3600, path: "/login",
                                  secure: services.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only local paths, so the login form cannot be used to send people elsewhere.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"), value.count < 500,
              !value.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/console" }
        return value
    }
}

import Foundation
import Hummingbird
import PDOPDomain

/// The parts every signed-in page shares: who is signed in, the role-aware navigation drawn from
/// the route table (a link shows only when its route admits the caller), and the CSRF token.
struct ConsolePage {
    let services: PlatformServices
    let navigation: [(path: String, key: String, spec: RouteSpec)]

    static let links: [(path: String, key: String)] = [
        ("/console", "nav.home"), ("/console/catalog", "nav.catalog"), ("/console/demands", "nav.demands"),
        ("/console/objections", "nav.objections"), ("/console/announcements", "nav.announcements"),
        ("/console/applications", "nav.applications"), ("/console/agreements", "nav.agreements"), ("/console/operators", "nav.operators"),
        ("/console/sandbox/requests", "nav.sandboxRequests"), ("/console/sandbox/policies", "nav.sandboxPolicies"), ("/console/sandbox/workspaces", "nav.sandboxWorkspaces"), ("/console/sandbox/exports", "nav.sandboxExports"), ("/console/sandbox/usage", "nav.sandboxUsage"),
        ("/console/filings", "nav.filings"), ("/console/training", "nav.training"), ("/console/organizations", "nav.organizations"), ("/console/users", "nav.users"),
        ("/console/governance", "nav.governance"), ("/console/audit", "nav.audit"), ("/console/account", "nav.account"),
    ]

    static func navigation(from routes: [Route]) -> [(path: String, key: String, spec: RouteSpec)] {
        links.compactMap { link in
            routes.first(where: { $0.spec.method == .get && $0.spec.path == link.path }).map { (link.path, link.key, $0.spec) }
        }
    }

    func render(_ template: String, _ model: [String: Any], caller: Caller, context: PDOPRequestContext,
                request: Request, active: String, status: HTTPResponse.Status = .ok) -> Response {
        var model = model
        if let principal = caller.principal {
            model["me"] = [
                "name": principal.user.displayName, "username": principal.user.username,
                "organization": principal.organization.name,
                "roles": principal.user.roles.map { services.views.text("role.\($0.rawValue)", context.locale) }.sorted()
                    .joined(separator: services.views.text("list.separator", context.locale)),
            ]
            model["csrf"] = principal.csrfToken ?? ""
            model["nav"] = navigation.filter { $0.spec.scope(for: principal) != nil }.map { item in
                ["href": item.path, "label": services.views.text(item.key, context.locale), "active": item.path == active] as [String: Any]
            }
        }
        model["here"] = request.uri.path
        return services.views.render(template, model, locale: context.locale, status: status)
    }
}

/// Builds pagination links that keep the other query parameters.
enum Pager {
    static func model(_ total: Int, limit: Int, offset: Int, path: String, query: [(String, String)]) -> [String: Any] {
        func link(_ newOffset: Int) -> String {
            let items = query.filter { !$0.1.isEmpty } + [("offset", String(newOffset)), ("limit", String(limit))]
            return path + "?" + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
        }
        var model: [String: Any] = ["total": total, "from": total == 0 ? 0 : offset + 1, "to": min(offset + limit, total)]
        if offset > 0 { model["previous"] = link(max(0, offset - limit)) }
        if offset + limit < total { model["next"] = link(offset + limit) }
        return model
    }
}

extension Date {
    /// Times in the console are shown in China Standard Time, which the users work in.
    var consoleText: String {
        let formatter = DateFormatter()
        formatter.locale = Foundation.Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: self)
    }
}

import Foundation
import Hummingbird
import PDOPDomain

extension LifecycleConsole {
    var announcementRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/console/announcements", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                try await announcementList(request, context, caller, values: [:], error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/announcements", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let resources = caller.field("resource_ids").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" })
                        .map { ResourceID(String($0).trimmingCharacters(in: .whitespacesAndNewlines)) }.filter { !$0.rawValue.isEmpty }
                    let domains = caller.form.keys.filter { $0.hasPrefix("domain_") && caller.form[$0] == "on" }.sorted().map { String($0.dropFirst(7)) }
                    let draft = AnnouncementDraft(
                        title: caller.field("title"), method: try parseEnumField(AuthorizationMethod.self, caller.field("method"), field: "method"),
                        domains: domains, resourceIDs: resources, conditions: caller.field("conditions"), criteria: caller.field("criteria"),
                        requirements: caller.field("requirements"), opensAt: try day(caller, "opens_on"),
                        closesAt: try day(caller, "closes_on").addingTimeInterval(86_400))
                    let announcement = try await lifecycle.draftAnnouncement(draft, by: caller.actor)
                    return Response.seeOther("/console/announcements/\(announcement.id)")
                }, otherwise: { error, status in
                    try await announcementList(request, context, caller, values: caller.form, error: error, status: status)
                })
            },
            Route(RouteSpec(.get, "/console/announcements/{announcementId}", .roles(Reach.everyRoleOwnOrg), audience: .console)) { request, context, caller in
                try await announcementDetail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/announcements/{announcementId}/publish", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                let id = try context.parameter("announcementId")
                return try await FormOutcome.attempt({
                    let version = try caller.intField("version")
                    if caller.field("action") == "withdraw" {
                        _ = try await lifecycle.withdrawAnnouncement(id, version: version, by: caller.actor)
                    } else {
                        _ = try await lifecycle.publishAnnouncement(id, version: version, by: caller.actor)
                    }
                    return Response.seeOther("/console/announcements/\(id)")
                }, otherwise: { error, status in try await announcementDetail(request, context, caller, error: error, status: status) })
            },
        ]
    }

    func announcementRow(_ a: Announcement, _ locale: Locale) -> [String: Any] {
        ["id": a.id, "title": a.title, "method": text("method.\(a.method.rawValue)", locale), "state": text("announcementState.\(a.state.rawValue)", locale),
         "stateCode": a.state.rawValue, "opens": a.opensAt.consoleText, "closes": a.closesAt.consoleText, "conditions": a.conditions,
         "criteria": a.criteria, "requirements": a.requirements, "version": a.version, "policy": a.policyVersion,
         "domains": a.domains.map { code in DomainArea.named(code).map { locale == .zhCN ? $0.nameZh : $0.nameEn } ?? code }
            .joined(separator: text("list.separator", locale))]
    }

    func announcementList(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, values: [String: String],
                          error: [String: Any]?, status: HTTPResponse.Status) async throws -> Response {
        let isAuthority = roles(caller).contains(.authority)
        let result = try await lifecycle.announcements(includeDrafts: isAuthority, page: request.pageRequest())
        return page.render("announcements", [
            "items": result.items.map { announcementRow($0, context.locale) }, "canDraft": isAuthority, "values": values,
            "methods": options(AuthorizationMethod.self, selected: values["method"], views: views, locale: context.locale, prefix: "method"),
            "domains": DomainArea.all.map { ["code": $0.code, "label": context.locale == .zhCN ? $0.nameZh : $0.nameEn,
                                             "checked": values["domain_\($0.code)"] == "on"] as [String: Any] },
            "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/announcements", query: []),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/announcements", status: status)
    }

    func announcementDetail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                            status: HTTPResponse.Status) async throws -> Response {
        let isAuthority = roles(caller).contains(.authority)
        let announcement = try await lifecycle.announcement(try context.parameter("announcementId"), includeDrafts: isAuthority)
        return page.render("announcement", [
            "a": announcementRow(announcement, context.locale), "resources": await scopeResources(announcement),
            "canPublish": isAuthority && announcement.state == .draft,
            "canApply": roles(caller).contains(.operatorManager) && announcement.acceptsApplications(at: services.clock.now()),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/announcements", status: status)
    }
}

import Foundation
import Hummingbird
import PDOPDomain

extension LifecycleConsole {
    static let wizardScenarios = 2
    static let wizardRows = 3

    var applicationRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/console/applications", .roles(Self.applicationParties), audience: .console)) { request, context, caller in
                let state = try request.queryEnum("state", ApplicationState.self)
                let result = try await lifecycle.applications(state: state, page: request.pageRequest(), scope: caller.scope, actor: caller.actor)
                return page.render("applications", [
                    "items": result.items.map { applicationRow($0, context.locale) },
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/applications",
                                         query: [("state", state?.rawValue ?? "")]),
                ], caller: caller, context: context, request: request, active: "/console/applications")
            },
            Route(RouteSpec(.get, "/console/applications/new", .roles(Self.operatorManager), audience: .console)) { request, context, caller in
                try await wizard(request, context, caller, values: [:], error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/applications", .roles(Self.operatorManager), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let application = try await lifecycle.apply(try applicationDraft(caller), by: caller.actor)
                    return Response.seeOther("/console/applications/\(application.id)")
                }, otherwise: { error, status in try await wizard(request, context, caller, values: caller.form, error: error, status: status) })
            },
            Route(RouteSpec(.get, "/console/applications/{applicationId}", .roles(Self.applicationParties), audience: .console)) { request, context, caller in
                try await applicationDetail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/applications/{applicationId}/operator", .roles(Self.operatorManager), audience: .console)) { request, context, caller in
                let id = try context.parameter("applicationId")
                return try await FormOutcome.attempt({
                    switch caller.field("action") {
                    case "withdraw":
                        _ = try await lifecycle.withdrawApplication(id, version: try caller.intField("version"), scope: caller.scope, by: caller.actor)
                    case "plan":
                        _ = try await lifecycle.submitEmergencyPlan(application: id, content: caller.field("plan"), scope: caller.scope, by: caller.actor)
                    default:
                        let rows = try dataRows(caller, prefix: "amend")
                        _ = try await lifecycle.amendDataList(id, scenarioID: caller.field("scenario_id"), dataList: rows,
                                                              version: try caller.intField("version"), scope: caller.scope, by: caller.actor)
                    }
                    return Response.seeOther("/console/applications/\(id)")
                }, otherwise: { error, status in try await applicationDetail(request, context, caller, error: error, status: status) })
            },
        ]
    }

    /// The wizard's fields: organization facts, the responsible person, the emergency plan, and up
    /// to two scenarios of up to three data-list rows each (no JavaScript, so the form is fixed).
    func applicationDraft(_ caller: Caller) throws -> ApplicationDraft {
        var scenarios: [ScenarioDraft] = []
        for index in 0..<Self.wizardScenarios {
            let prefix = "s\(index)_"
            if index > 0 && caller.field(prefix + "title").isEmpty { continue }
            scenarios.append(ScenarioDraft(domain: caller.field(prefix + "domain"), title: caller.field(prefix + "title"),
                                           description: caller.field(prefix + "description"), dataList: try dataRows(caller, prefix: prefix),
                                           intendedProducts: caller.field(prefix + "products")))
        }
        return ApplicationDraft(announcementID: caller.field("announcement_id"), kind: .initial, renewsAgreementID: nil,
                                organizationFacts: caller.field("facts"),
                                principal: ResponsiblePerson(name: caller.field("principal_name"), title: caller.field("principal_title"),
                                                             phone: caller.field("principal_phone")),
                                scenarios: scenarios, emergencyPlan: caller.field("plan"))
    }

    func dataRows(_ caller: Caller, prefix: String) throws -> [DataListItem] {
        (0..<Self.wizardRows).compactMap { row in
            let resource = caller.field("\(prefix)r\(row)_resource")
            guard !resource.isEmpty else { return nil }
            let columns = caller.field("\(prefix)r\(row)_columns").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map(String.init)
            return DataListItem(resourceID: ResourceID(resource), columns: columns, purpose: caller.field("\(prefix)r\(row)_purpose"))
        }
    }

    /// Resources an announcement offers: those it names and the published ones of its domains.
    func offered(_ announcement: Announcement) async throws -> [DataResource] {
        var resources: [DataResource] = []
        for id in announcement.resourceIDs { if let resource = try? await services.catalog.resource(id, scope: .all) { resources.append(resource) } }
        for domain in announcement.domains {
            let found = try await services.catalog.search(CatalogFilter(domain: domain, state: .published), page: PageRequest(limit: 100), scope: .all)
            resources += found.items.filter { candidate in !resources.contains { $0.id == candidate.id } }
        }
        return resources.filter { $0.openAttribute != .prohibited }
    }

    func wizard(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, values: [String: String], error: [String: Any]?,
                status: HTTPResponse.Status) async throws -> Response {
        let announcementID = try values["announcement_id"] ?? request.queryText("announcement") ?? ""
        let announcement = try await lifecycle.announcement(announcementID, includeDrafts: false)
        let resources = try await offered(announcement)
        let scenarios: [[String: Any]] = (0..<Self.wizardScenarios).map { index in
            let prefix = "s\(index)_"
            return ["prefix": prefix, "number": index + 1, "optional": index > 0,
                    "title": values[prefix + "title"] ?? "", "description": values[prefix + "description"] ?? "",
                    "products": values[prefix + "products"] ?? "",
                    "domains": ScenarioDomain.all.map { ["value": $0.code, "label": scenarioDomainLabel($0.code, context.locale),
                                                         "selected": values[prefix + "domain"] == $0.code] as [String: Any] },
                    "rows": (0..<Self.wizardRows).map { row in
                        let key = "\(prefix)r\(row)_"
                        return ["key": key, "columns": values[key + "columns"] ?? "", "purpose": values[key + "purpose"] ?? "",
                                "resources": resources.map { ["value": $0.id.rawValue, "label": $0.name, "selected": values[key + "resource"] == $0.id.rawValue] as [String: Any] }]
                                as [String: Any]
                    }]
        }
        return page.render("application_new", [
            "a": announcementRow(announcement, context.locale), "scenarios": scenarios, "values": values,
            "catalog": resources.map { ["id": $0.id.rawValue, "name": $0.name, "columns": $0.columns.map(\.name).joined(separator: ", ")] },
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/applications", status: status)
    }

    func applicationRow(_ a: PDOPDomain.Application, _ locale: Locale) -> [String: Any] {
        ["id": a.id, "operator": a.operatorName, "operatorId": a.operatorID.rawValue, "kind": text("applicationKind.\(a.applicationKind.rawValue)", locale),
         "state": text("applicationState.\(a.state.rawValue)", locale), "stateCode": a.state.rawValue, "scenarios": a.scenarios.count,
         "submitted": a.submittedAt?.consoleText ?? "—", "decided": a.decidedAt?.consoleText ?? "—", "version": a.version,
         "facts": a.organizationFacts, "principal": "\(a.principal.name)（\(a.principal.title)，\(a.principal.phone)）",
         "policy": a.policyVersion, "announcementId": a.announcementID ?? "", "planId": a.emergencyPlanID]
    }
}

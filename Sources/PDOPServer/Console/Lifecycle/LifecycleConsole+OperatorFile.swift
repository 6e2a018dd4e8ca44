import Foundation
import Hummingbird
import PDOPDomain

extension LifecycleConsole {
    static let fileReaders: [Role: ScopeKind] = operatorStaff.merging([.authority: .all, .regulator: .all]) { $1 }

    var operatorFileRoutes: [Route] {
        let lifecycle = self.lifecycle
        func post(_ path: String, _ reach: [Role: ScopeKind], _ act: @escaping @Sendable (OrganizationID, Caller) async throws -> Void) -> Route {
            Route(RouteSpec(.post, "/console/operators/{organizationId}/\(path)", .roles(reach), audience: .console)) { request, context, caller in
                let id = OrganizationID(try context.parameter("organizationId"))
                return try await FormOutcome.attempt({
                    guard caller.scope.permits(id) else { throw DomainError.notFound("operator") }
                    try await act(id, caller)
                    return Response.seeOther("/console/operators/\(id)")
                }, otherwise: { error, status in try await operatorFile(request, context, caller, error: error, status: status) })
            }
        }
        return [
            Route(RouteSpec(.get, "/console/operators", .roles(Self.fileReaders), audience: .console)) { request, context, caller in
                let result = try await services.parties.organizations(OrganizationFilter(kind: .operator), page: request.pageRequest(), scope: caller.scope)
                return page.render("operators", [
                    "items": result.items.map { ["id": $0.id.rawValue, "name": $0.name, "state": text("state.\($0.state.rawValue)", context.locale)] },
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/operators", query: []),
                ], caller: caller, context: context, request: request, active: "/console/operators")
            },
            Route(RouteSpec(.get, "/console/operators/{organizationId}", .roles(Self.fileReaders), audience: .console)) { request, context, caller in
                try await operatorFile(request, context, caller, error: nil, status: .ok)
            },
            post("qualifications", Reach.authorityOnly) { id, caller in
                _ = try await lifecycle.recordQualification(operator: id, kind: try parseEnumField(QualificationKind.self, caller.field("kind"), field: "kind"),
                                                            passedOn: try day(caller, "passed_on"), reference: caller.field("reference"), by: caller.actor)
            },
            post("credit", Reach.supervisors) { id, caller in
                _ = try await lifecycle.recordCreditFinding(operator: id, category: try parseEnumField(CreditRecord.Category.self, caller.field("category"),
                                                                                                     field: "category"),
                                                            description: caller.field("description"), by: caller.actor)
            },
            post("annual-report", Self.operatorManager) { _, caller in
                _ = try await lifecycle.fileAnnualReport(caller.field("report_id"), content: caller.field("content"),
                                                         version: try caller.intField("version"), scope: caller.scope, by: caller.actor)
            },
            post("drill", [.operatorManager: .own, .authority: .all]) { _, caller in
                _ = try await lifecycle.recordDrill(plan: caller.field("plan_id"), heldOn: try day(caller, "held_on"), scenario: caller.field("scenario"),
                                                    participants: caller.field("participants"), findings: caller.field("findings"),
                                                    scope: caller.scope, by: caller.actor)
            },
        ]
    }

    func operatorFile(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                      status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let id = OrganizationID(try context.parameter("organizationId"))
        let organization = try await services.parties.organization(id, scope: caller.scope)
        guard organization.kind == .operator else { throw DomainError.notFound("operator") }
        let roles = roles(caller)
        let owner = LifecycleFilter(owner: id)
        let timeline = try await lifecycle.timeline(of: id, page: request.pageRequest(), scope: caller.scope)
        let qualifications = try await lifecycle.list(Qualification.self, filter: owner, page: .first, scope: .all)
        let credit = try await lifecycle.list(CreditRecord.self, filter: owner, page: .first, scope: .all)
        let reports = try await lifecycle.list(AnnualReport.self, filter: owner, page: .first, scope: .all)
        let deletions = try await lifecycle.list(DeletionRecord.self, filter: owner, page: .first, scope: .all)
        let plans = try await lifecycle.list(EmergencyPlan.self, filter: owner, page: .first, scope: .all)
        let isManager = roles.contains(.operatorManager) && caller.scope.permits(id)
        let now = services.clock.now()
        return page.render("operator_file", [
            "o": ["id": id.rawValue, "name": organization.name],
            "timeline": timeline.items.map { ["at": $0.at.consoleText, "action": text("event." + $0.action.replacingOccurrences(of: ".", with: "_"), locale), "summary": $0.summary,
                                              "subject": $0.subjectID, "seq": $0.auditSequence] as [String: Any] },
            "pager": Pager.model(timeline.total, limit: timeline.limit, offset: timeline.offset, path: "/console/operators/\(id)", query: []),
            "qualifications": qualifications.items.map { ["kind": text("qualification.\($0.qualificationKind.rawValue)", locale), "passed": $0.passedOn.consoleDay,
                                                          "until": $0.validUntil.consoleDay, "valid": $0.isValid(at: now), "reference": $0.reference] as [String: Any] },
            "credit": credit.items.map { ["category": text("credit.\($0.category.rawValue)", locale), "description": $0.description,
                                          "at": $0.createdAt.consoleText, "by": $0.recordedBy] },
            "reports": reports.items.map { ["id": $0.id, "year": $0.year, "due": $0.dueAt.consoleText, "overdue": $0.overdue, "version": $0.version,
                                            "state": text("reportState.\($0.state.rawValue)", locale), "content": $0.content ?? "",
                                            "canFile": isManager && $0.state == .due] as [String: Any] },
            "deletions": deletions.items.map { record in
                ["at": record.createdAt.consoleText, "agreement": record.agreementID, "reason": text("agreementState.\(record.reason.rawValue)", locale),
                 "by": record.performedBy, "logsKept": record.logsKeptDays,
                 "items": record.items.map { "\(text("deleted.\($0.what)", locale)) × \($0.count)" }.joined(separator: text("list.separator", locale))]
                as [String: Any]
            },
            "plans": plans.items.map { plan in
                ["id": plan.id, "application": plan.applicationID, "approved": plan.isApproved, "revisions": plan.revisions.count,
                 "drills": plan.drills.map { ["on": $0.heldOn.consoleDay, "scenario": $0.scenario, "participants": $0.participants,
                                              "findings": $0.findings] },
                 "canDrill": plan.isApproved && (isManager || roles.contains(.authority))] as [String: Any]
            },
            "canQualify": roles.contains(.authority), "canCredit": roles.contains(.authority) || roles.contains(.regulator),
            "kinds": options(QualificationKind.self, selected: nil, views: views, locale: locale, prefix: "qualification"),
            "categories": options(CreditRecord.Category.self, selected: nil, views: views, locale: locale, prefix: "credit"),
            "today": now.consoleDay, "error": error,
        ], caller: caller, context: context, request: request, active: "/console/operators", status: status)
    }
}

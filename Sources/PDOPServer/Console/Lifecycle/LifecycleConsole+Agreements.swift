import Foundation
import Hummingbird
import PDOPDomain

extension LifecycleConsole {
    var agreementRoutes: [Route] {
        func post(_ path: String, _ reach: [Role: ScopeKind],
                  _ act: @escaping @Sendable (String, Caller) async throws -> Void) -> Route {
            Route(RouteSpec(.post, "/console/agreements/{agreementId}/\(path)", .roles(reach), audience: .console)) { request, context, caller in
                let id = try context.parameter("agreementId")
                return try await FormOutcome.attempt({
                    try await act(id, caller)
                    return Response.seeOther("/console/agreements/\(id)")
                }, otherwise: { error, status in try await agreementDetail(request, context, caller, error: error, status: status) })
            }
        }
        let lifecycle = self.lifecycle
        return [
            Route(RouteSpec(.get, "/console/agreements", .roles(Self.agreementParties), audience: .console)) { request, context, caller in
                let result = try await lifecycle.list(Agreement.self, page: request.pageRequest(), scope: caller.scope)
                return page.render("agreements", [
                    "items": result.items.map { agreementRow($0, context.locale) },
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/agreements", query: []),
                ], caller: caller, context: context, request: request, active: "/console/agreements")
            },
            Route(RouteSpec(.get, "/console/agreements/{agreementId}", .roles(Self.agreementParties), audience: .console)) { request, context, caller in
                try await agreementDetail(request, context, caller, error: nil, status: .ok)
            },
            post("sign", Self.operatorManager) { id, caller in
                _ = try await lifecycle.signAgreement(id, version: try caller.intField("version"), scope: caller.scope, by: caller.actor)
            },
            post("seal", Reach.authorityOnly) { id, caller in
                _ = try await lifecycle.sealAgreement(id, version: try caller.intField("version"), by: caller.actor)
            },
            post("termination", Self.operatorManager) { id, caller in
                _ = try await lifecycle.requestTermination(id, reason: caller.field("reason"), version: try caller.intField("version"),
                                                           scope: caller.scope, by: caller.actor)
            },
            Route(RouteSpec(.post, "/console/agreements/{agreementId}/renewal", .roles(Self.operatorManager), audience: .console)) { request, context, caller in
                let id = try context.parameter("agreementId")
                return try await FormOutcome.attempt({
                    let renewal = try await lifecycle.apply(try await renewalDraft(id, caller), by: caller.actor)
                    return Response.seeOther("/console/applications/\(renewal.id)")
                }, otherwise: { error, status in try await agreementDetail(request, context, caller, error: error, status: status) })
            },
            post("correction", Reach.authorityOnly) { id, caller in
                _ = try await lifecycle.issueCorrectionOrder(agreement: id, violation: caller.field("violation"),
                                                             deadline: try day(caller, "deadline").addingTimeInterval(86_400), by: caller.actor)
            },
            post("report", Self.operatorManager) { _, caller in
                _ = try await lifecycle.reportCorrection(caller.field("order_id"), report: caller.field("report"),
                                                         version: try caller.intField("order_version"), scope: caller.scope, by: caller.actor)
            },
            post("restore", Reach.authorityOnly) { _, caller in
                _ = try await lifecycle.restoreAccess(order: caller.field("order_id"), version: try caller.intField("order_version"), by: caller.actor)
            },
            post("deliberation", Reach.authorityOnly) { id, caller in
                _ = try await lifecycle.deliberate(caseID: id, try deliberationDraft(caller), by: caller.actor)
            },
        ]
    }

    /// A renewal (R9.2) applies again for the agreement's scenarios and data lists, with the original
    /// application's facts and responsible person and the emergency plan given in the form.
    func renewalDraft(_ id: String, _ caller: Caller) async throws -> ApplicationDraft {
        let agreement = try await lifecycle.agreement(id, scope: caller.scope)
        let original = try await lifecycle.application(agreement.applicationID, scope: caller.scope, actor: caller.actor)
        let scenarios = agreement.scenarios.map { scenario in
            let source = original.scenarios.first { $0.id == scenario.id }
            return ScenarioDraft(domain: scenario.domain, title: scenario.title, description: source?.description ?? scenario.title,
                                 dataList: scenario.dataList, intendedProducts: source?.intendedProducts ?? "")
        }
        return ApplicationDraft(announcementID: nil, kind: .renewal, renewsAgreementID: id, organizationFacts: original.organizationFacts,
                                principal: original.principal, scenarios: scenarios, emergencyPlan: caller.field("plan"))
    }

    func agreementRow(_ a: Agreement, _ locale: Locale) -> [String: Any] {
        ["id": a.id, "operator": a.operatorName, "operatorId": a.operatorID.rawValue, "applicationId": a.applicationID,
         "state": text("agreementState.\(a.state.rawValue)", locale), "stateCode": a.state.rawValue,
         "startsOn": Agreement.day(a.startsOn), "termStartsOn": Agreement.day(a.termStartsOn), "termEndsOn": Agreement.day(a.termEndsOn),
         "trialMonths": a.trialMonths, "version": a.version, "policy": a.policyVersion, "planId": a.emergencyPlanID,
         "operatorSigned": a.operatorSignature.map { "\($0.name) · \($0.signedAt.consoleText)" } ?? "",
         "authoritySigned": a.authoritySignature.map { "\($0.name) · \($0.signedAt.consoleText)" } ?? "",
         "terminationRequested": a.terminationRequestedAt?.consoleText ?? "", "terminationReason": a.terminationReason ?? "",
         "ended": a.endedAt?.consoleText ?? ""]
    }

    func agreementDetail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                         status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let agreement = try await lifecycle.agreement(try context.parameter("agreementId"), scope: caller.scope)
        let roles = roles(caller)
        let isOperator = roles.contains(.operatorManager) && caller.scope.permits(agreement.operatorID)
        let isAuthority = roles.contains(.authority)
        let orders = try await lifecycle.list(CorrectionOrder.self, filter: LifecycleFilter(subjectID: agreement.id), page: .first, scope: .all)
        let names = try await names()
        let running = agreement.state == .trial || agreement.state == .active
        let resourceNames = await resourceNames(agreement.scenarios.flatMap(\.dataList).map(\.resourceID))
        return page.render("agreement", [
            "g": agreementRow(agreement, locale),
            "scenarios": agreement.scenarios.map { scenario in
                ["title": scenario.title, "domain": scenarioDomainLabel(scenario.domain, locale),
                 "items": scenario.dataList.map { ["resourceId": resourceNames[$0.resourceID] ?? $0.resourceID.rawValue, "columns": $0.columns.joined(separator: ", "),
                                                   "purpose": $0.purpose] }] as [String: Any]
            },
            "obligations": agreement.obligations.map { text($0, locale) },
            "seal": agreement.seal.map { ["keyId": $0.keyID, "digest": $0.documentDigest, "signature": $0.signature,
                                          "sealed": $0.sealedAt.consoleText, "valid": lifecycle.verifySeal(of: agreement)] as [String: Any] } as Any,
            "orders": orders.items.map { order in
                ["id": order.id, "violation": order.violation, "deadline": order.deadline.consoleText, "version": order.version,
                 "state": text("orderState.\(order.state.rawValue)", locale), "report": order.report ?? "",
                 "canReport": isOperator && order.state == .open, "canRestore": isAuthority && order.state == .reported] as [String: Any]
            },
            "canSign": isOperator && agreement.state == .draft && agreement.operatorSignature == nil,
            "canSeal": isAuthority && agreement.state == .draft && agreement.operatorSignature != nil,
            "canRequestTermination": isOperator && !agreement.state.isEnded && agreement.state != .draft && agreement.terminationRequestedAt == nil,
            "canOrder": isAuthority && running,
            "canRenew": isOperator && running,
            "renewBy": agreement.termEndsOn.addingMonths(-services.policy.renewalLeadMonths).consoleDay,
            "canEnd": isAuthority && !agreement.state.isEnded,
            "members": try await coordinationMembers(names), "today": services.clock.now().consoleDay,
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/agreements", status: status)
    }
}

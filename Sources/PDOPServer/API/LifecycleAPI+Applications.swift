import Foundation
import Hummingbird
import PDOPAPI
import PDOPDomain

/// Applications (R9.2) and their review scenario by scenario (R9.3, R2).
extension LifecycleAPI {
    var applicationRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/applications", .roles(Self.applicationReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.applications(state: try request.queryEnum("state", ApplicationState.self),
                                                            page: request.pageRequest(), scope: caller.scope, actor: caller.actor)
                return try APIResponse.json(PageOut(page) { ApplicationOut($0) })
            },
            Route(RouteSpec(.post, "/api/v1/applications", .roles(Self.operatorManagers), audience: .api)) { _, _, caller in
                let input = try caller.input(ApplicationCreate.self)
                let draft = ApplicationDraft(
                    announcementID: input.announcementId, kind: try parseEnum(ApplicationKind.self, input.kind ?? "initial", field: "kind"),
                    renewsAgreementID: input.renewsAgreementId, organizationFacts: input.organizationFacts,
                    principal: ResponsiblePerson(name: input.principal.name, title: input.principal.title, phone: input.principal.phone),
                    scenarios: input.scenarios.map {
                        ScenarioDraft(domain: $0.domain, title: $0.title, description: $0.description, dataList: $0.dataList.map(\.item),
                                      intendedProducts: $0.intendedProducts)
                    },
                    emergencyPlan: input.emergencyPlan ?? "")
                return try APIResponse.json(ApplicationOut(try await lifecycle.apply(draft, by: caller.actor)), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/applications/{applicationId}", .roles(Self.applicationReaders), audience: .api)) { _, context, caller in
                let application = try await lifecycle.application(context.parameter("applicationId"), scope: caller.scope, actor: caller.actor)
                return try APIResponse.json(ApplicationOut(application, creditRecords: try await creditFile(of: application, for: caller)))
            },
            Route(RouteSpec(.post, "/api/v1/applications/{applicationId}/withdraw", .roles(Self.operatorManagers), audience: .api)) { _, context, caller in
                let input = try caller.input(VersionIn.self)
                return try APIResponse.json(ApplicationOut(try await lifecycle.withdrawApplication(
                    context.parameter("applicationId"), version: input.version, scope: caller.scope, by: caller.actor)))
            },
            Route(RouteSpec(.put, "/api/v1/applications/{applicationId}/scenarios/{scenarioId}/data-list", .roles(Self.operatorManagers),
                            audience: .api)) { _, context, caller in
                let input = try caller.input(DataListUpdate.self)
                return try APIResponse.json(ApplicationOut(try await lifecycle.amendDataList(
                    context.parameter("applicationId"), scenarioID: context.parameter("scenarioId"), dataList: input.dataList.map(\.item),
                    version: input.version, scope: caller.scope, by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/applications/{applicationId}/emergency-plan", .roles(Self.operatorManagers), audience: .api)) { _, context, caller in
                let input = try caller.input(EmergencyPlanSubmit.self)
                return try APIResponse.json(EmergencyPlanOut(try await lifecycle.submitEmergencyPlan(
                    application: context.parameter("applicationId"), content: input.content, scope: caller.scope, by: caller.actor)))
            },
        ]
    }

    /// The applicant's credit file for those who judge its application (R18, R19); the operator itself
    /// reads its own file under /credit-records.
    func creditFile(of application: PDOPDomain.Application, for caller: Caller) async throws -> [CreditRecord]? {
        guard caller.actor.organizationID != application.operatorID else { return nil }
        return try await lifecycle.list(CreditRecord.self, filter: LifecycleFilter(owner: application.operatorID),
                                        page: PageRequest(limit: PageRequest.maxLimit), scope: .all).items
    }

    var reviewRoutes: [Route] {
        [
            Route(RouteSpec(.post, "/api/v1/applications/{applicationId}/review", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(ReviewOpen.self)
                return try APIResponse.json(ApplicationOut(try await lifecycle.openReview(
                    context.parameter("applicationId"), coordinationMembers: input.coordinationMembers.map(OrganizationID.init),
                    version: input.version, by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/applications/{applicationId}/scenarios/{scenarioId}/decision", .roles(Self.scenarioReviewers),
                            audience: .api)) { _, context, caller in
                let input = try caller.input(ScenarioDecisionIn.self)
                return try APIResponse.json(ApplicationOut(try await lifecycle.decideScenario(
                    context.parameter("applicationId"), scenarioID: context.parameter("scenarioId"), listVersion: input.listVersion,
                    decision: try parseEnum(ReviewDecision.self, input.decision, field: "decision"), opinion: input.opinion ?? "",
                    by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/applications/{applicationId}/network-security", .roles(Reach.supervisors), audience: .api)) { _, context, caller in
                let input = try caller.input(ReviewDecisionIn.self)
                return try APIResponse.json(ApplicationOut(try await lifecycle.decideNetworkSecurity(
                    context.parameter("applicationId"), decision: try parseEnum(ReviewDecision.self, input.decision, field: "decision"),
                    opinion: input.opinion ?? "", by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/applications/{applicationId}/expert-opinions", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(ExpertOpinionRequest.self)
                return try APIResponse.json(ApplicationOut(try await lifecycle.requestExpertOpinion(
                    context.parameter("applicationId"), expert: UserID(input.expertId), scenarioID: input.scenarioId,
                    question: input.question, by: caller.actor)), status: .created)
            },
            Route(RouteSpec(.post, "/api/v1/applications/{applicationId}/expert-opinions/{opinionId}", .roles(Self.experts),
                            audience: .api)) { _, context, caller in
                let input = try caller.input(ExpertOpinionAnswer.self)
                return try APIResponse.json(ApplicationOut(try await lifecycle.answerExpertOpinion(
                    context.parameter("applicationId"), opinionID: context.parameter("opinionId"), opinion: input.opinion, by: caller.actor)))
            },
        ]
    }
}

import Foundation
import Hummingbird
import PDOPAPI
import PDOPDomain

/// Deliberations (R1), filings (R9.4), emergency plans (R27) and agreements (R9.5).
extension LifecycleAPI {
    var decisionRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/deliberations", .roles(Self.deliberationReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(Deliberation.self, filter: try Self.stateFilter(request, DeliberationDecision.self),
                                                    page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, DeliberationOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/deliberations", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(DeliberationCreate.self)
                var opinions: [MemberOpinion] = []
                for (index, opinion) in (input.opinions ?? []).enumerated() {
                    opinions.append(MemberOpinion(organizationID: OrganizationID(opinion.organizationId),
                                                  vote: try parseEnum(Vote.self, opinion.vote, field: "opinions.\(index).vote"),
                                                  opinion: opinion.opinion ?? ""))
                }
                let draft = DeliberationDraft(heldOn: input.heldOn, membersPresent: input.membersPresent.map(OrganizationID.init),
                                              opinions: opinions,
                                              decision: try parseEnum(DeliberationDecision.self, input.decision, field: "decision"),
                                              rationale: input.rationale)
                let deliberation = try await lifecycle.deliberate(caseID: input.caseId, draft, by: caller.actor)
                return try APIResponse.json(DeliberationOut(deliberation), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/filings", .roles(Self.filingReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(Filing.self, filter: try Self.stateFilter(request, Filing.State.self),
                                                    page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, FilingOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/filings/{filingId}/acknowledge", .roles([.province: .all]), audience: .api)) { _, context, caller in
                let input = try caller.input(VersionIn.self)
                return try APIResponse.json(FilingOut(try await lifecycle.acknowledgeFiling(context.parameter("filingId"), version: input.version,
                                                                                            by: caller.actor)))
            },
            Route(RouteSpec(.get, "/api/v1/emergency-plans/{planId}", .roles(Self.caseReaders), audience: .api)) { _, context, caller in
                try APIResponse.json(EmergencyPlanOut(try await lifecycle.emergencyPlan(context.parameter("planId"), scope: caller.scope)))
            },
            Route(RouteSpec(.post, "/api/v1/emergency-plans/{planId}/approve", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(EmergencyPlanApproval.self)
                return try APIResponse.json(EmergencyPlanOut(try await lifecycle.approveEmergencyPlan(
                    context.parameter("planId"), revision: input.revision, by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/emergency-plans/{planId}/drills", .roles(Self.drillWriters), audience: .api)) { _, context, caller in
                let input = try caller.input(DrillCreate.self)
                return try APIResponse.json(EmergencyPlanOut(try await lifecycle.recordDrill(
                    plan: context.parameter("planId"), heldOn: input.heldOn, scenario: input.scenario, participants: input.participants,
                    findings: input.findings, scope: caller.scope, by: caller.actor)), status: .created)
            },
        ]
    }

    var agreementRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/agreements", .roles(Self.caseReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(Agreement.self, filter: try Self.stateFilter(request, AgreementState.self),
                                                    page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, AgreementOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/agreements", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(AgreementCreate.self)
                let agreement = try await lifecycle.draftAgreement(application: input.applicationId, trialMonths: input.trialMonths,
                                                                   startsOn: input.startsOn, by: caller.actor)
                return try APIResponse.json(AgreementOut(agreement), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/agreements/{agreementId}", .roles(Self.caseReaders), audience: .api)) { _, context, caller in
                try APIResponse.json(AgreementOut(try await lifecycle.agreement(context.parameter("agreementId"), scope: caller.scope)))
            },
            Route(RouteSpec(.post, "/api/v1/agreements/{agreementId}/sign", .roles(Self.operatorManagers), audience: .api)) { _, context, caller in
                let input = try caller.input(VersionIn.self)
                return try APIResponse.json(AgreementOut(try await lifecycle.signAgreement(
                    context.parameter("agreementId"), version: input.version, scope: caller.scope, by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/agreements/{agreementId}/seal", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(VersionIn.self)
                return try APIResponse.json(AgreementOut(try await lifecycle.sealAgreement(context.parameter("agreementId"),
                                                                                           version: input.version, by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/agreements/{agreementId}/termination-request", .roles(Self.operatorManagers),
                            audience: .api)) { _, context, caller in
                let input = try caller.input(TerminationRequestIn.self)
                return try APIResponse.json(AgreementOut(try await lifecycle.requestTermination(
                    context.parameter("agreementId"), reason: input.reason, version: input.version, scope: caller.scope, by: caller.actor)))
            },
        ]
    }
}

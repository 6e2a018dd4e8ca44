import Foundation
import Hummingbird
import PDOPDomain

extension LifecycleConsole {
    var reviewRoutes: [Route] {
        func post(_ path: String, _ reach: [Role: ScopeKind],
                  _ act: @escaping @Sendable (String, Caller) async throws -> Void) -> Route {
            Route(RouteSpec(.post, "/console/applications/{applicationId}/\(path)", .roles(reach), audience: .console)) { request, context, caller in
                let id = try context.parameter("applicationId")
                return try await FormOutcome.attempt({
                    try await act(id, caller)
                    return Response.seeOther("/console/applications/\(id)")
                }, otherwise: { error, status in try await applicationDetail(request, context, caller, error: error, status: status) })
            }
        }
        let lifecycle = self.lifecycle
        return [
            post("review", Reach.authorityOnly) { id, caller in
                _ = try await lifecycle.openReview(id, coordinationMembers: ticked(caller, prefix: "member_"), version: try caller.intField("version"),
                                                   by: caller.actor)
            },
            post("decision", Self.reviewers) { id, caller in
                _ = try await lifecycle.decideScenario(id, scenarioID: caller.field("scenario_id"), listVersion: try caller.intField("list_version"),
                                                       decision: try parseEnumField(ReviewDecision.self, caller.field("decision"), field: "decision"),
                                                       opinion: caller.field("opinion"), by: caller.actor)
            },
            post("network-security", [.regulator: .own, .authority: .all]) { id, caller in
                _ = try await lifecycle.decideNetworkSecurity(id, decision: try parseEnumField(ReviewDecision.self, caller.field("decision"), field: "decision"),
                                                              opinion: caller.field("opinion"), by: caller.actor)
            },
            post("experts", Reach.authorityOnly) { id, caller in
                let scenario = caller.field("scenario_id")
                _ = try await lifecycle.requestExpertOpinion(id, expert: UserID(caller.field("expert_id")), scenarioID: scenario.isEmpty ? nil : scenario,
                                                             question: caller.field("question"), by: caller.actor)
            },
            post("experts/answer", [.expert: .own]) { id, caller in
                _ = try await lifecycle.answerExpertOpinion(id, opinionID: caller.field("opinion_id"), opinion: caller.field("opinion"), by: caller.actor)
            },
            post("plan/approve", Reach.authorityOnly) { _, caller in
                _ = try await lifecycle.approveEmergencyPlan(caller.field("plan_id"), revision: try caller.intField("revision"), by: caller.actor)
            },
            post("deliberation", Reach.authorityOnly) { id, caller in
                _ = try await lifecycle.deliberate(caseID: id, try deliberationDraft(caller), by: caller.actor)
            },
            post("agreement", Reach.authorityOnly) { id, caller in
                _ = try await lifecycle.draftAgreement(application: id, trialMonths: try caller.intField("trial_months"),
                                                       startsOn: try day(caller, "starts_on"), by: caller.actor)
            },
        ]
    }

    /// A deliberation form: the members present (ticked), each one's vote and opinion, the decision.
    func deliberationDraft(_ caller: Caller) throws -> DeliberationDraft {
        let present = ticked(caller, prefix: "member_")
        let opinions = try present.map { member in
            MemberOpinion(organizationID: member,
                          vote: try parseEnumField(Vote.self, caller.form["vote_\(member)"] ?? "approve", field: "vote_\(member)"),
                          opinion: caller.field("opinion_\(member)"))
        }
        return DeliberationDraft(heldOn: try day(caller, "held_on"), membersPresent: present, opinions: opinions,
                                 decision: try parseEnumField(DeliberationDecision.self, caller.field("decision"), field: "decision"),
                                 rationale: caller.field("rationale"))
    }

    func applicationDetail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                           status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let application = try await lifecycle.application(try context.parameter("applicationId"), scope: caller.scope, actor: caller.actor)
        let names = try await names()
        let roles = roles(caller)
        let undecided = application.state == .submitted || application.state == .underReview
        let isOperator = roles.contains(.operatorManager) && caller.scope.permits(application.operatorID)
        let resourceNames = await resourceNames(application.scenarios.flatMap(\.dataList).map(\.resourceID))
        func slotRow(_ slot: ReviewSlot) -> [String: Any] {
            ["role": text("reviewer.\(slot.role.rawValue)", locale), "organization": slot.organizationID.map { names[$0] ?? $0.rawValue } ?? "",
             "decision": text("decision.\(slot.decision.rawValue)", locale), "decisionCode": slot.decision.rawValue,
             "opinion": slot.opinion ?? "", "decided": slot.decidedAt?.consoleText ?? ""]
        }
        let scenarios: [[String: Any]] = application.scenarios.map { scenario in
            let canDecide = application.state == .underReview
                && scenario.reviews.contains { $0.decision == .pending && $0.canBeDecided(by: caller.actor) }
            return ["id": scenario.id, "title": scenario.title, "domain": scenarioDomainLabel(scenario.domain, locale),
                    "description": scenario.description, "products": scenario.intendedProducts, "listVersion": scenario.listVersion,
                    "outcome": text("decision.\(scenario.outcome.rawValue)", locale), "outcomeCode": scenario.outcome.rawValue,
                    "items": scenario.dataList.map { ["resource": resourceNames[$0.resourceID] ?? $0.resourceID.rawValue, "resourceId": $0.resourceID.rawValue,
                                                      "columns": $0.columns.joined(separator: ", "), "purpose": $0.purpose] },
                    "slots": scenario.reviews.map(slotRow), "canDecide": canDecide, "canAmend": isOperator && undecided,
                    "amendRows": (0..<Self.wizardRows).map { row in
                        let item = row < scenario.dataList.count ? scenario.dataList[row] : nil
                        return ["key": "amendr\(row)_", "resource": item?.resourceID.rawValue ?? "", "columns": item?.columns.joined(separator: ",") ?? "",
                                "purpose": item?.purpose ?? ""]
                    }]
        }
        let plan = try? await lifecycle.emergencyPlan(application.emergencyPlanID, scope: .all)
        let members = try await coordinationMembers(names)
        let experts = try await services.parties.experts()
        var expertNames: [[String: Any]] = []
        for expert in experts { if let user = try? await services.parties.user(expert.userID, scope: .all) { expertNames.append(["id": user.id.rawValue, "name": user.displayName]) } }
        let credit = try await lifecycle.list(CreditRecord.self, filter: LifecycleFilter(owner: application.operatorID), page: .first, scope: .all)
        let qualifications = try await lifecycle.list(Qualification.self, filter: LifecycleFilter(owner: application.operatorID), page: .first, scope: .all)
        let agreements = try await lifecycle.list(Agreement.self, filter: LifecycleFilter(subjectID: application.id), page: .first, scope: .all)
        let now = services.clock.now()
        return page.render("application", [
            "a": applicationRow(application, locale), "scenarios": scenarios,
            "netsec": slotRow(application.networkSecurityReview),
            "canNetsec": application.state == .underReview && application.networkSecurityReview.decision == .pending
                && application.networkSecurityReview.canBeDecided(by: caller.actor),
            "canOpenReview": roles.contains(.authority) && application.state == .submitted,
            "canDeliberate": roles.contains(.authority) && application.state == .underReview,
            "canAskExpert": roles.contains(.authority) && undecided, "experts": expertNames,
            "opinions": application.expertOpinions.map { opinion in
                ["id": opinion.id, "expert": opinion.expertName, "question": opinion.question, "opinion": opinion.opinion ?? "",
                 "scenario": opinion.scenarioID ?? "", "canAnswer": opinion.opinion == nil && opinion.expertID == caller.actor.userID] as [String: Any]
            },
            "members": members, "today": now.consoleDay,
            "plan": plan.map { plan in
                ["id": plan.id, "approved": plan.isApproved,
                 "revisions": plan.revisions.map { ["number": $0.number, "content": $0.content, "submitted": $0.submittedAt.consoleText,
                                                    "approved": $0.approvedAt?.consoleText as Any] as [String: Any] },
                 "latest": plan.revisions.count,
                 "canApprove": roles.contains(.authority) && plan.revisions.last?.approvedAt == nil] as [String: Any]
            } as Any,
            "isOperator": isOperator, "canWithdraw": isOperator && undecided, "canPlan": isOperator && undecided,
            "credit": credit.items.map { ["category": text("credit.\($0.category.rawValue)", locale), "description": $0.description,
                                          "at": $0.createdAt.consoleText] },
            "qualifications": qualifications.items.map { ["kind": text("qualification.\($0.qualificationKind.rawValue)", locale),
                                                          "passed": $0.passedOn.consoleDay, "until": $0.validUntil.consoleDay,
                                                          "valid": $0.isValid(at: now), "reference": $0.reference] as [String: Any] },
            "agreements": agreements.items.map { ["id": $0.id, "state": text("agreementState.\($0.state.rawValue)", locale)] },
            "canDraftAgreement": roles.contains(.authority) && application.state == .approved
                && !agreements.items.contains { $0.state != .terminated },
            "maxTrial": services.policy.trialPeriodMaxMonths,
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/applications", status: status)
    }
}

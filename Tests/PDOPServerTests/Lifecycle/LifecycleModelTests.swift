import Foundation
import PDOPDemoData
import PDOPDomain
import PDOPServer
import Testing

/// Issue 4 item 15: seeded random action sequences against the lifecycle, checking after every step
/// that no agreement exists without approval, deliberation and an emergency plan; that data access
/// follows exactly from a trial or active agreement; that suspension and ending revoke access; that
/// every successful action writes audit entries and every refused one writes none; and that the
/// agreement's audit entries replay to its current state.
@Suite("Lifecycle model (R1, R8, R9, R27)")
struct LifecycleModelTests {
    static let sequences = 500
    static let stepsPerSequence = 24

    @Test("R9 500 seeded random action sequences keep the lifecycle's invariants")
    func randomSequences() async throws {
        let baseSeed = UInt64(ProcessInfo.processInfo.environment["PDOP_MODEL_SEED"].flatMap { UInt64($0) } ?? 20_261_129)
        try await withLifecycle { f in
            var reached: [AgreementState: Int] = [:]
            for index in 0..<Self.sequences {
                let seed = baseSeed &+ UInt64(index)
                do {
                    for state in try await Self.run(seed: seed, index: index, f) { reached[state, default: 0] += 1 }
                } catch {
                    Issue.record("lifecycle model failed with seed \(seed) (rerun with PDOP_MODEL_SEED=\(seed)): \(error)")
                    return
                }
            }
            // The walk must actually reach the interesting states, or the invariants prove little.
            for state in [AgreementState.active, .suspended, .expired, .terminated, .draft] {
                #expect(reached[state, default: 0] >= 10, "only \(reached[state, default: 0]) sequences reached \(state): \(reached)")
            }
        }
    }

    enum Step: CaseIterable {
        case openReview, decide, netsec, approvePlan, grant, refuse, amend, draftAgreement, sign, seal, advance
        case correction, report, restore, requestTermination, terminate, revoke
    }

    struct Violation: Error, CustomStringConvertible { let description: String }

    /// Returns the states the sequence's agreement went through.
    static func run(seed: UInt64, index: Int, _ f: LifecycleFixture) async throws -> Set<AgreementState> {
        var random = SplitMix64(seed: seed)
        let system = Actor.system("model")
        let organization = try await f.platform.services.parties.createOrganization(
            NewOrganization(name: "模型运营主体\(index)", kind: .operator), by: system)
        var manager = try await f.platform.services.parties.createUser(
            NewUser(organizationID: organization.id, username: "model.\(index)", displayName: "经理\(index)", password: TestPlatform.password,
                    roles: [.operatorManager]), by: system)
        manager = try await f.platform.trained(manager)
        let operatorActor = Actor(userID: manager.id, username: manager.username, organizationID: organization.id, roles: manager.roles)
        let own = AccessScope.organization(organization.id)
        for kind in QualificationKind.allCases where random.next() % 8 != 0 {
            _ = try await f.service.recordQualification(operator: organization.id, kind: kind, passedOn: f.clock.now(), reference: "模型", by: f.actor(.authority))
        }
        let announcement = try await f.publishedAnnouncement()
        let scenarios = (0...Int(random.next() % 2)).map { f.scenario("模型场景\($0)") }
        var application = try await f.service.apply(
            f.applicationDraft(announcement: announcement.id, scenarios: scenarios, plan: random.next() % 5 == 0 ? "" : "预案"), by: operatorActor)
        var agreementID: String?
        var visited = Set<AgreementState>()

        for _ in 0..<stepsPerSequence {
            application = try await f.service.application(application.id, scope: .all, actor: f.actor(.authority))
            let current: Agreement? = if let agreementID { try await f.service.agreement(agreementID, scope: .all) } else { nil }
            // Mostly the next step of the procedure, otherwise anything: refusals are tested as much as progress.
            if let current { visited.insert(current.state) }
            let step = random.next() % 10 < 8 ? try await nextStep(application, current, choice: random.next(), f)
                : Step.allCases[Int(random.next() % UInt64(Step.allCases.count))]
            let before = try await f.platform.services.integrity.headSequence()
            var succeeded = true
            do {
                let agreement = current
                switch step {
                case .openReview:
                    _ = try await f.service.openReview(application.id, coordinationMembers: [f.departmentID], version: application.version,
                                                       by: f.actor(.authority))
                case .decide:
                    let scenario = application.scenarios.first { $0.outcome == .pending }
                        ?? application.scenarios[Int(random.next() % UInt64(application.scenarios.count))]
                    let pending = scenario.reviews.first { $0.decision == .pending }?.role
                    let role: Role = switch pending {
                    case .provider: .provider
                    case .coordination: .coordinationMember
                    case .authority: .authority
                    default: [Role.authority, .provider, .coordinationMember][Int(random.next() % 3)]
                    }
                    _ = try await f.service.decideScenario(application.id, scenarioID: scenario.id, listVersion: scenario.listVersion,
                                                           decision: random.next() % 6 == 0 ? .rejected : .approved, opinion: "意见", by: f.actor(role))
                case .netsec:
                    _ = try await f.service.decideNetworkSecurity(application.id, decision: random.next() % 8 == 0 ? .rejected : .approved,
                                                                  opinion: "意见", by: f.actor(.regulator))
                case .approvePlan:
                    let plan = try await f.service.emergencyPlan(application.emergencyPlanID, scope: .all)
                    _ = try await f.service.approveEmergencyPlan(plan.id, revision: plan.revisions.count, by: f.actor(.authority))
                case .grant, .refuse:
                    _ = try await f.service.deliberate(caseID: application.id, f.deliberation(step == .grant ? .grant : .refuse), by: f.actor(.authority))
                case .amend:
                    _ = try await f.service.amendDataList(application.id, scenarioID: application.scenarios[0].id,
                                                          dataList: [DataListItem(resourceID: f.open.id, columns: ["district"], purpose: "改")],
                                                          version: application.version, scope: own, by: operatorActor)
                case .draftAgreement:
                    agreementID = try await f.service.draftAgreement(application: application.id, trialMonths: Int(random.next() % 8),
                                                                     startsOn: f.clock.now(), by: f.actor(.authority)).id
                case .sign:
                    guard let agreement else { succeeded = false; break }
                    _ = try await f.service.signAgreement(agreement.id, version: agreement.version, scope: own, by: operatorActor)
                case .seal:
                    guard let agreement else { succeeded = false; break }
                    _ = try await f.service.sealAgreement(agreement.id, version: agreement.version, by: f.actor(.authority))
                case .advance:
                    try await f.advance(days: [0.01, 1, 30, 200, 400][Int(random.next() % 5)])
                case .correction:
                    guard let agreement else { succeeded = false; break }
                    _ = try await f.service.issueCorrectionOrder(agreement: agreement.id, violation: "违规",
                                                                 deadline: f.clock.now().addingTimeInterval(Double(1 + random.next() % 20) * 86_400),
                                                                 by: f.actor(.authority))
                case .report, .restore:
                    guard let agreement,
                          let order = try await f.service.list(CorrectionOrder.self, filter: LifecycleFilter(subjectID: agreement.id), page: .first,
                                                               scope: .all).items.first else { succeeded = false; break }
                    if step == .report {
                        _ = try await f.service.reportCorrection(order.id, report: "已整改", version: order.version, scope: own, by: operatorActor)
                    } else {
                        _ = try await f.service.restoreAccess(order: order.id, version: order.version, by: f.actor(.authority))
                    }
                case .requestTermination:
                    guard let agreement else { succeeded = false; break }
                    _ = try await f.service.requestTermination(agreement.id, reason: "调整", version: agreement.version, scope: own, by: operatorActor)
                case .terminate, .revoke:
                    guard let agreementID else { succeeded = false; break }
                    _ = try await f.service.deliberate(caseID: agreementID, f.deliberation(step == .terminate ? .terminate : .revoke), by: f.actor(.authority))
                }
            } catch is DomainError {
                succeeded = false
            }
            let after = try await f.platform.services.integrity.headSequence()
            if succeeded && step != .advance && after <= before { throw Violation(description: "\(step) succeeded without an audit entry") }
            if !succeeded && after != before { throw Violation(description: "refused \(step) wrote \(after - before) audit entries") }
            try await checkInvariants(f, application: application.id, agreement: agreementID, operatorID: organization.id)
        }
        if let agreementID { visited.insert(try await f.service.agreement(agreementID, scope: .all).state) }
        return visited
    }

    static func nextStep(_ application: Application, _ agreement: Agreement?, choice: UInt64, _ f: LifecycleFixture) async throws -> Step {
        switch application.state {
        case .submitted: return .openReview
        case .underReview:
            if application.scenarios.contains(where: { $0.outcome == .pending }) { return .decide }
            if application.networkSecurityReview.decision == .pending { return .netsec }
            let plan = try? await f.service.emergencyPlan(application.emergencyPlanID, scope: .all)
            return plan?.isApproved == false ? .approvePlan : .grant
        case .approved:
            guard let agreement else { return .draftAgreement }
            switch agreement.state {
            case .draft: return agreement.operatorSignature == nil ? .sign : .seal
            case .suspended:
                let order = try await f.service.list(CorrectionOrder.self, filter: LifecycleFilter(subjectID: agreement.id), page: .first, scope: .all)
                return order.items.first?.state == .open ? .report : [.restore, .restore, .advance][Int(choice % 3)]
            default:
                let moves: [Step] = [.advance, .advance, .advance, .advance, .correction, .correction, .requestTermination, .terminate, .revoke]
                return moves[Int(choice % UInt64(moves.count))]
            }
        case .rejected, .withdrawn: return .advance
        }
    }

    static func checkInvariants(_ f: LifecycleFixture, application id: String, agreement agreementID: String?,
                                operatorID: OrganizationID) async throws {
        let application = try await f.service.application(id, scope: .all, actor: f.actor(.authority))
        let hasAccess = try await f.service.hasDataAccess(operatorID)
        guard let agreementID else {
            if hasAccess { throw Violation(description: "data access without an agreement") }
            return
        }
        let agreement = try await f.service.agreement(agreementID, scope: .all)
        guard application.state == .approved, let deliberation = application.deliberationID, !deliberation.isEmpty else {
            throw Violation(description: "agreement \(agreement.state) without an approved, deliberated application")
        }
        let plan = try await f.service.emergencyPlan(application.emergencyPlanID, scope: .all)
        if agreement.state != .draft && !(agreement.state == .terminated && agreement.seal == nil) {
            guard agreement.seal != nil, plan.isApproved, f.service.verifySeal(of: agreement) else {
                throw Violation(description: "agreement \(agreement.state) without a valid seal and an approved emergency plan")
            }
        }
        if hasAccess != agreement.state.grantsDataAccess {
            throw Violation(description: "data access \(hasAccess) in state \(agreement.state)")
        }
        // The audit entries of the agreement replay to its state.
        let entries = try await f.platform.services.audit.search(AuditFilter(objectID: agreementID), page: PageRequest(limit: 200)).items
            .sorted { $0.sequence < $1.sequence }
        var replayed = AgreementState.draft
        var resume = AgreementState.active
        for entry in entries {
            let event: AgreementEvent? = switch entry.action {
            case "agreement.seal": .sealed
            case "agreement.trial": .started
            case "agreement.active": entry.detailsJSON.contains("trial_ended") ? .trialEnded : .started
            case "agreement.suspend": .suspended
            case "agreement.restore": .restored
            case "agreement.expired": .expired
            case "agreement.terminated": .terminated
            default: nil
            }
            guard let event else { continue }
            if event == .suspended { resume = replayed }
            if event == .trialEnded && replayed == .suspended { continue }
            replayed = try replayed.applying(event, hasTrial: agreement.trialMonths > 0, resumeTo: resume)
        }
        if replayed != agreement.state { throw Violation(description: "audit replays to \(replayed), agreement is \(agreement.state)") }
    }
}

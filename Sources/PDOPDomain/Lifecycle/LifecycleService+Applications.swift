import Foundation

extension LifecycleService {
    /// An operator applies (R9.2): inside the announcement's window, or — for a renewal — at least
    /// the policy's lead time before its agreement expires. Each scenario has its own data list.
    public func apply(_ draft: ApplicationDraft, by actor: Actor) async throws -> Application {
        guard let operatorID = actor.organizationID, actor.has(.operatorManager) else {
            throw DomainError(.forbidden, "an operator's manager applies")
        }
        let facts = try TextRules.text(draft.organizationFacts, field: "organizationFacts", limit: 8000)
        let principal = ResponsiblePerson(name: try TextRules.name(draft.principal.name, field: "principal.name"),
                                  title: try TextRules.name(draft.principal.title, field: "principal.title"),
                                  phone: try TextRules.name(draft.principal.phone, field: "principal.phone"))
        let planText = try TextRules.text(draft.emergencyPlan, field: "emergencyPlan", limit: 20_000, required: false)
        guard !draft.scenarios.isEmpty else { throw DomainError.invalid("scenarios", "an application needs at least one scenario") }
        let now = clock.now()
        return try await store.transaction { tx in
            guard let organization = try await tx.organizations.get(operatorID), organization.kind == .operator else {
                throw DomainError(.forbidden, "only an operator organization applies")
            }
            var announcement: Announcement?
            switch draft.kind {
            case .initial:
                guard let id = draft.announcementID, let found = try await tx.lifecycle.get(Announcement.self, id: id),
                      found.state != .draft, found.state != .withdrawn else {
                    throw DomainError.invalid("announcementId", "name a published announcement")
                }
                guard found.acceptsApplications(at: now) else {
                    throw DomainError.refused("R9.2", "applications are taken only inside the announcement's window", field: "announcementId")
                }
                announcement = found
            case .renewal:
                guard let id = draft.renewsAgreementID, let agreement = try await tx.lifecycle.get(Agreement.self, id: id),
                      agreement.operatorID == operatorID else {
                    throw DomainError.invalid("renewsAgreementId", "name one of your agreements")
                }
                guard agreement.state == .trial || agreement.state == .active else {
                    throw DomainError.wrongState(agreement.state.rawValue, "only a running agreement can be renewed")
                }
                guard now <= agreement.termEndsOn.addingMonths(-policy.renewalLeadMonths) else {
                    throw DomainError.refused("R9.2", "a renewal must be applied for at least \(policy.renewalLeadMonths) months before the agreement expires",
                                              field: "renewsAgreementId")
                }
            }
            var scenarios: [Scenario] = []
            for (index, scenarioDraft) in draft.scenarios.enumerated() {
                scenarios.append(try await scenario(scenarioDraft, index: index, within: announcement, tx: tx))
            }
            let applicationID = newID("app")
            let planID = newID("epl")
            if !planText.isEmpty {
                try await tx.lifecycle.insert(EmergencyPlan(
                    id: planID, applicationID: applicationID, operatorID: operatorID,
                    revisions: [EmergencyPlan.Revision(number: 1, content: planText, submittedAt: now)], drills: [],
                    version: 1, createdAt: now, updatedAt: now))
            }
            let application = Application(
                id: applicationID, announcementID: announcement?.id, operatorID: operatorID, operatorName: organization.name,
                applicationKind: draft.kind, renewsAgreementID: draft.kind == .renewal ? draft.renewsAgreementID : nil,
                organizationFacts: facts, principal: principal, scenarios: scenarios, emergencyPlanID: planID,
                networkSecurityReview: ReviewSlot(role: .networkSecurity, organizationID: nil), coordinationReviewers: [],
                expertOpinions: [], state: .submitted, policyVersion: policy.version, submittedAt: now, deliberationID: nil,
                decidedAt: nil, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(application)
            try await record(AuditEvent(actor: actor, action: "application.submit", objectType: "application", objectID: applicationID,
                                        objectLabel: organization.name,
                                        details: ["kind": draft.kind.rawValue, "scenarios": String(scenarios.count),
                                                  "announcement": announcement?.id ?? "", "policy": policy.version]),
                             operator: operatorID, summary: "\(scenarios.count) scenario(s)", tx: tx, at: now)
            return application
        }
    }

    /// Checks one scenario: an R22 domain, a non-empty list of grantable resources in the announcement's
    /// scope, and columns the catalog knows.
    func scenario(_ draft: ScenarioDraft, index: Int, within announcement: Announcement?, tx: any StoreTransaction) async throws -> Scenario {
        let field = "scenarios.\(index)"
        guard ScenarioDomain.named(draft.domain) != nil else { throw DomainError.invalid("\(field).domain", "must be one of the R22 scenario domains") }
        let title = try TextRules.name(draft.title, field: "\(field).title")
        let description = try TextRules.text(draft.description, field: "\(field).description", limit: 8000)
        let products = try TextRules.text(draft.intendedProducts, field: "\(field).intendedProducts", limit: 4000)
        let list = try await dataList(draft.dataList, field: "\(field).dataList", within: announcement, tx: tx)
        let providers = Self.unique(list.resources.map(\.providerID))
        return Scenario(id: "s\(index + 1)", domain: draft.domain, title: title, description: description, dataList: list.items,
                        intendedProducts: products, listVersion: 1, reviews: [], outcome: .pending, providers: providers)
    }

    func dataList(_ items: [DataListItem], field: String, within announcement: Announcement?,
                  tx: any StoreTransaction) async throws -> (items: [DataListItem], resources: [DataResource]) {
        guard !items.isEmpty else { throw DomainError.invalid(field, "each scenario needs its own data list") }
        var resources: [DataResource] = []
        var cleaned: [DataListItem] = []
        for (row, item) in items.enumerated() {
            guard let resource = try await tx.catalog.get(item.resourceID) else {
                throw DomainError.invalid("\(field).\(row).resourceId", "unknown resource \(item.resourceID)")
            }
            if resources.contains(where: { $0.id == resource.id }) {
                throw DomainError.invalid("\(field).\(row).resourceId", "a resource appears once per list")
            }
            let known = Set(resource.columns.map(\.name))
            guard !item.columns.isEmpty else { throw DomainError.invalid("\(field).\(row).columns", "name the columns wanted") }
            if let unknown = item.columns.first(where: { !known.contains($0) }) {
                throw DomainError.invalid("\(field).\(row).columns", "\(resource.name) has no column \(unknown)")
            }
            if let announcement, !announcement.resourceIDs.contains(resource.id), !announcement.domains.contains(resource.domain) {
                throw DomainError.refused("R9.1", "\(resource.name) is outside the announcement's scope", field: "\(field).\(row).resourceId")
            }
            let purpose = try TextRules.text(item.purpose, field: "\(field).\(row).purpose", limit: 2000)
            resources.append(resource)
            cleaned.append(DataListItem(resourceID: resource.id, columns: Self.unique(item.columns), purpose: purpose))
        }
        do { _ = try GrantableResources(resources) } catch { throw DomainError.refused("R21", error.message, field: field) }
        return (cleaned, resources)
    }

    public func withdrawApplication(_ id: String, version: Int, scope: AccessScope, by actor: Actor) async throws -> Application {
        try await amend(Application.self, id, version: version, scope: scope, by: actor, action: "application.withdraw",
                        label: \.operatorName, summary: { _ in "withdrawn" }) { application, _, _ in
            guard application.state == .submitted || application.state == .underReview else {
                throw DomainError.wrongState(application.state.rawValue, "only an undecided application can be withdrawn")
            }
            application.state = .withdrawn
        }
    }

    /// Reviewers see the applications they must review; the operator its own; the authority all.
    public func application(_ id: String, scope: AccessScope, actor: Actor) async throws -> Application {
        try await store.transaction { tx in
            guard let application = try await tx.lifecycle.get(Application.self, id: id),
                  Self.visible(application, scope: scope, actor: actor) else { throw DomainError.notFound("application") }
            return application
        }
    }

    public func applications(state: ApplicationState?, page: PageRequest, scope: AccessScope, actor: Actor) async throws -> Page<Application> {
        let states = state.map { [$0.rawValue] }
        if scope == .all || actor.organizationID == nil || actor.has(.operatorManager) {
            return try await list(Application.self, filter: LifecycleFilter(states: states), page: page, scope: scope)
        }
        // Reviewers from other organizations: the applications that hold a slot for them. Bounded scan
        // of the newest cases, enough for a county's volume.
        let all = try await list(Application.self, filter: LifecycleFilter(states: states), page: try PageRequest(limit: 200), scope: .all)
        let mine = all.items.filter { Self.visible($0, scope: scope, actor: actor) }
        let slice = Array(mine.dropFirst(page.offset).prefix(page.limit))
        return Page(items: slice, total: mine.count, request: page)
    }

    static func visible(_ application: Application, scope: AccessScope, actor: Actor) -> Bool {
        if scope.permits(application.operatorID) { return true }
        guard let own = actor.organizationID else { return false }
        let reviews = application.scenarios.contains { $0.reviews.contains { $0.organizationID == own } }
        let consulted = application.expertOpinions.contains { $0.expertID == actor.userID }
        let netsec = actor.has(.regulator) && application.state == .underReview
        return reviews || consulted || netsec
    }
}

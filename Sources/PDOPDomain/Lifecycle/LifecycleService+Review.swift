import Foundation

extension LifecycleService {
    /// The authority opens the review (R9.3): every scenario gets its reviewers — the authority, each
    /// provider of its data, and the coordination members assigned.
    public func openReview(_ id: String, coordinationMembers: [OrganizationID], version: Int, by actor: Actor) async throws -> Application {
        let now = clock.now()
        return try await store.transaction { tx in
            var application = try await fetch(Application.self, id, scope: .all, tx: tx)
            try requireVersion(application, version)
            guard application.state == .submitted else {
                throw DomainError.wrongState(application.state.rawValue, "only a submitted application can be put to review")
            }
            let members = Set(try await tx.memberships.coordinationMembers().filter { $0.until.map { $0 > now } ?? true }.map(\.organizationID))
            let assigned = Self.unique(coordinationMembers)
            if let outsider = assigned.first(where: { !members.contains($0) }) {
                throw DomainError.refused("R1", "\(outsider) is not a member of the coordination mechanism", field: "coordinationMembers")
            }
            application.coordinationReviewers = assigned
            for index in application.scenarios.indices {
                application.scenarios[index].reviews = Scenario.slots(providers: application.scenarios[index].providers, coordination: assigned)
            }
            application.state = .underReview
            try await save(&application, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "application.review.open", objectType: "application", objectID: id,
                                        objectLabel: application.operatorName,
                                        details: ["coordination": assigned.map(\.rawValue).joined(separator: ",")]),
                             operator: application.operatorID, summary: "review opened", tx: tx, at: now)
            return application
        }
    }

    /// A reviewer decides one scenario (一场景一清单一审核). The decision names the list version it saw:
    /// if the list changed since, it is refused as stale. Reviewers decide in parallel; each writes
    /// only its own slot, and a concurrent write is retried against the fresh case, so none is lost.
    public func decideScenario(_ id: String, scenarioID: String, listVersion: Int, decision: ReviewDecision, opinion: String,
                               by actor: Actor) async throws -> Application {
        guard decision != .pending else { throw DomainError.invalid("decision", "decide approved or rejected") }
        let opinion = try TextRules.text(opinion, field: "opinion", limit: 4000, required: decision == .rejected)
        return try await retryingStale {
            let now = clock.now()
            return try await store.transaction { tx in
                var application = try await fetch(Application.self, id, scope: .all, tx: tx)
                guard application.state == .underReview else {
                    throw DomainError.wrongState(application.state.rawValue, "the application is not under review")
                }
                guard let index = application.scenarios.firstIndex(where: { $0.id == scenarioID }) else {
                    throw DomainError.notFound("scenario")
                }
                guard application.scenarios[index].listVersion == listVersion else {
                    throw DomainError.wrongState("listVersion \(application.scenarios[index].listVersion)",
                                                 "the scenario's data list changed since you read it; review the new list")
                }
                // Someone holding two reviewer roles (the authority that is also a coordination member)
                // decides one pending slot at a time.
                let reviews = application.scenarios[index].reviews
                guard let slot = reviews.firstIndex(where: { $0.decision == .pending && $0.canBeDecided(by: actor) })
                        ?? reviews.firstIndex(where: { $0.canBeDecided(by: actor) }) else {
                    throw DomainError(.forbidden, "you are not a reviewer of this scenario")
                }
                guard application.scenarios[index].reviews[slot].decision == .pending else {
                    throw DomainError.wrongState(application.scenarios[index].reviews[slot].decision.rawValue, "this review is already decided")
                }
                application.scenarios[index].reviews[slot].decide(decision, opinion: opinion, by: actor, at: now)
                application.scenarios[index].outcome = Scenario.outcome(of: application.scenarios[index].reviews)
                try await save(&application, tx: tx, at: now)
                let role = application.scenarios[index].reviews[slot].role
                try await record(AuditEvent(actor: actor, action: "application.scenario.review", objectType: "application", objectID: id,
                                            objectLabel: application.scenarios[index].title, reason: opinion.isEmpty ? nil : opinion,
                                            details: ["scenario": scenarioID, "reviewer": role.rawValue, "decision": decision.rawValue,
                                                      "listVersion": String(listVersion)]),
                                 operator: application.operatorID, summary: "\(application.scenarios[index].title): \(role.rawValue) \(decision.rawValue)",
                                 tx: tx, at: now)
                return application
            }
        }
    }

    /// The network-security review of the application, which must pass (R9.3).
    public func decideNetworkSecurity(_ id: String, decision: ReviewDecision, opinion: String, by actor: Actor) async throws -> Application {
        guard decision != .pending else { throw DomainError.invalid("decision", "decide approved or rejected") }
        let opinion = try TextRules.text(opinion, field: "opinion", limit: 4000, required: decision == .rejected)
        return try await retryingStale {
            let now = clock.now()
            return try await store.transaction { tx in
                var application = try await fetch(Application.self, id, scope: .all, tx: tx)
                guard application.state == .underReview else {
                    throw DomainError.wrongState(application.state.rawValue, "the application is not under review")
                }
                guard application.networkSecurityReview.canBeDecided(by: actor) else {
                    throw DomainError(.forbidden, "the network-security review is decided by a regulator or the authority")
                }
                guard application.networkSecurityReview.decision == .pending else {
                    throw DomainError.wrongState(application.networkSecurityReview.decision.rawValue, "this review is already decided")
                }
                application.networkSecurityReview.decide(decision, opinion: opinion, by: actor, at: now)
                try await save(&application, tx: tx, at: now)
                try await record(AuditEvent(actor: actor, action: "application.netsec.review", objectType: "application", objectID: id,
                                            objectLabel: application.operatorName, reason: opinion.isEmpty ? nil : opinion,
                                            details: ["decision": decision.rawValue]),
                                 operator: application.operatorID, summary: "network security \(decision.rawValue)", tx: tx, at: now)
                return application
            }
        }
    }

    /// The operator changes a scenario's data list: that scenario's review starts again (R9.3).
    public func amendDataList(_ id: String, scenarioID: String, dataList: [DataListItem], version: Int, scope: AccessScope,
                              by actor: Actor) async throws -> Application {
        let now = clock.now()
        return try await store.transaction { tx in
            var application = try await fetch(Application.self, id, scope: scope, tx: tx)
            try requireVersion(application, version)
            guard application.state == .submitted || application.state == .underReview else {
                throw DomainError.wrongState(application.state.rawValue, "a decided application's data lists cannot change")
            }
            guard let index = application.scenarios.firstIndex(where: { $0.id == scenarioID }) else { throw DomainError.notFound("scenario") }
            let announcement = try await application.announcementID.asyncMap { try await tx.lifecycle.get(Announcement.self, id: $0) } ?? nil
            let list = try await self.dataList(dataList, field: "dataList", within: announcement, tx: tx)
            application.scenarios[index].dataList = list.items
            let providers = Self.unique(list.resources.map(\.providerID))
            if application.state == .underReview {
                application.scenarios[index].reopen(providers: providers, coordination: application.coordinationReviewers)
            } else {
                application.scenarios[index].providers = providers
                application.scenarios[index].listVersion += 1
            }
            try await save(&application, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "application.scenario.amend", objectType: "application", objectID: id,
                                        objectLabel: application.scenarios[index].title,
                                        details: ["scenario": scenarioID, "listVersion": String(application.scenarios[index].listVersion)]),
                             operator: application.operatorID, summary: "\(application.scenarios[index].title): data list changed, review reopened",
                             tx: tx, at: now)
            return application
        }
    }

    /// The authority asks an expert of the committee for an opinion (R2).
    public func requestExpertOpinion(_ id: String, expert: UserID, scenarioID: String?, question: String, by actor: Actor) async throws -> Application {
        let question = try TextRules.text(question, field: "question", limit: 4000)
        let now = clock.now()
        return try await store.transaction { tx in
            var application = try await fetch(Application.self, id, scope: .all, tx: tx)
            guard application.state == .submitted || application.state == .underReview else {
                throw DomainError.wrongState(application.state.rawValue, "opinions are asked before the decision")
            }
            if let scenarioID, !application.scenarios.contains(where: { $0.id == scenarioID }) {
                throw DomainError.invalid("scenarioId", "no such scenario in this application")
            }
            let active = try await tx.memberships.experts().filter { $0.until.map { $0 > now } ?? true }
            guard active.contains(where: { $0.userID == expert }), let user = try await tx.users.get(expert) else {
                throw DomainError.refused("R2", "only a member of the expert committee gives opinions", field: "expertId")
            }
            application.expertOpinions.append(ExpertOpinion(id: newID("eop"), expertID: expert, expertName: user.displayName,
                                                            scenarioID: scenarioID, question: question, opinion: nil,
                                                            requestedAt: now, answeredAt: nil))
            try await save(&application, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "application.expert.request", objectType: "application", objectID: id,
                                        objectLabel: user.displayName, details: ["expert": expert.rawValue, "scenario": scenarioID ?? ""]),
                             operator: application.operatorID, summary: "expert opinion requested", tx: tx, at: now)
            return application
        }
    }

    public func answerExpertOpinion(_ id: String, opinionID: String, opinion: String, by actor: Actor) async throws -> Application {
        let text = try TextRules.text(opinion, field: "opinion", limit: 8000)
        return try await retryingStale {
            let now = clock.now()
            return try await store.transaction { tx in
                var application = try await fetch(Application.self, id, scope: .all, tx: tx)
                guard let index = application.expertOpinions.firstIndex(where: { $0.id == opinionID && $0.expertID == actor.userID }) else {
                    throw DomainError.notFound("opinion request")
                }
                guard application.expertOpinions[index].opinion == nil else {
                    throw DomainError.wrongState("answered", "this opinion was already given")
                }
                application.expertOpinions[index].opinion = text
                application.expertOpinions[index].answeredAt = now
                try await save(&application, tx: tx, at: now)
                try await record(AuditEvent(actor: actor, action: "application.expert.answer", objectType: "application", objectID: id,
                                            objectLabel: application.operatorName, details: ["opinion": opinionID]),
                                 operator: application.operatorID, summary: "expert opinion attached", tx: tx, at: now)
                return application
            }
        }
    }

    /// Reviewers write to the same case in parallel; a write that lost the race is redone on the fresh case.
    func retryingStale<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do { return try await work() } catch let error as DomainError where error.kind == .staleVersion && attempt < 4 {
                attempt += 1
            }
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

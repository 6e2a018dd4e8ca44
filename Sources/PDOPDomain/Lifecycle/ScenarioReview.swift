import Foundation

public enum ReviewDecision: String, Codable, Sendable, CaseIterable {
    case pending, approved, rejected
}

/// Who must review (R9.3): the authority, each provider whose data is in the scenario's list, the
/// coordination members assigned, and — once per application — the network-security reviewer.
public enum ReviewerRole: String, Codable, Sendable, CaseIterable {
    case authority, provider, coordination
    case networkSecurity = "network_security"
}

public struct ReviewSlot: Codable, Sendable, Equatable {
    public var role: ReviewerRole
    /// The organization that must decide (the provider or coordination member); nil for the authority
    /// and the network-security review.
    public var organizationID: OrganizationID?
    public var decision: ReviewDecision
    public var opinion: String?
    public var decidedBy: UserID?
    public var decidedAt: Date?

    public init(role: ReviewerRole, organizationID: OrganizationID?) {
        self.role = role
        self.organizationID = organizationID
        decision = .pending
    }

    mutating func decide(_ decision: ReviewDecision, opinion: String, by actor: Actor, at now: Date) {
        self.decision = decision
        self.opinion = opinion.isEmpty ? nil : opinion
        decidedBy = actor.userID
        decidedAt = now
    }

    /// Whether this actor may decide this slot.
    public func canBeDecided(by actor: Actor) -> Bool {
        switch role {
        case .authority: actor.has(.authority)
        case .provider: actor.has(.provider) && actor.organizationID == organizationID
        case .coordination: actor.has(.coordinationMember) && actor.organizationID == organizationID
        case .networkSecurity: actor.has(.regulator) || actor.has(.authority)
        }
    }
}

extension Scenario {
    /// The slots a scenario's review needs, from its data list and the assigned coordination members.
    static func slots(providers: [OrganizationID], coordination: [OrganizationID]) -> [ReviewSlot] {
        [ReviewSlot(role: .authority, organizationID: nil)]
            + providers.map { ReviewSlot(role: .provider, organizationID: $0) }
            + coordination.map { ReviewSlot(role: .coordination, organizationID: $0) }
    }

    /// Any rejection rejects the scenario; all approvals approve it; otherwise it is still pending.
    static func outcome(of slots: [ReviewSlot]) -> ReviewDecision {
        if slots.contains(where: { $0.decision == .rejected }) && slots.allSatisfy({ $0.decision != .pending }) { return .rejected }
        if !slots.isEmpty && slots.allSatisfy({ $0.decision == .approved }) { return .approved }
        return .pending
    }

    /// Puts every slot back to pending, after the data list changed (R9.3: the list is what is reviewed).
    mutating func reopen(providers: [OrganizationID], coordination: [OrganizationID]) {
        self.providers = providers
        listVersion += 1
        reviews = Scenario.slots(providers: providers, coordination: coordination)
        outcome = .pending
    }
}

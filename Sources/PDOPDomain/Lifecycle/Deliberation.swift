import Foundation

/// What a deliberation decides (R1): granting, terminating or revoking an authorization is a major
/// matter and takes effect only with a deliberation record.
public enum DeliberationDecision: String, Codable, Sendable, CaseIterable {
    /// Grant the authorization applied for.
    case grant
    /// Refuse the application.
    case refuse
    /// End an agreement early, at the operator's request (R8 case 2).
    case terminate
    /// Revoke an agreement for other legal violations (R8 case 4).
    case revoke
}

public enum Vote: String, Codable, Sendable, CaseIterable {
    case approve, reject, abstain
}

public struct MemberOpinion: Codable, Sendable, Equatable {
    public var organizationID: OrganizationID
    public var vote: Vote
    public var opinion: String

    public init(organizationID: OrganizationID, vote: Vote, opinion: String) {
        self.organizationID = organizationID
        self.vote = vote
        self.opinion = opinion
    }
}

public struct DeliberationDraft: Sendable, Equatable {
    public var heldOn: Date
    public var membersPresent: [OrganizationID]
    public var opinions: [MemberOpinion]
    public var decision: DeliberationDecision
    /// The decision's rationale, kept so good-faith decisions are visible later (R26).
    public var rationale: String

    public init(heldOn: Date, membersPresent: [OrganizationID], opinions: [MemberOpinion], decision: DeliberationDecision,
                rationale: String) {
        self.heldOn = heldOn
        self.membersPresent = membersPresent
        self.opinions = opinions
        self.decision = decision
        self.rationale = rationale
    }
}

/// A deliberation (审议) of the coordination mechanism on one case (R1).
public struct Deliberation: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.deliberation
    public var id: String
    /// The application or agreement deliberated.
    public var caseID: String
    public var operatorID: OrganizationID
    public var heldOn: Date
    public var membersPresent: [OrganizationID]
    public var opinions: [MemberOpinion]
    public var decision: DeliberationDecision
    public var rationale: String
    public var recordedBy: UserID?
    public var policyVersion: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { caseID }
    public var stateName: String { decision.rawValue }
}

/// The provincial filing (备案) of an approved authorization (R9.4), acknowledged by the province.
public struct Filing: LifecycleRecord, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable { case filed, acknowledged }
    public static let kind = LifecycleKind.filing
    public var id: String
    public var applicationID: String
    public var operatorID: OrganizationID
    public var operatorName: String
    public var scenarioTitles: [String]
    public var state: State
    public var filedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: UserID?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { applicationID }
    public var stateName: String { state.rawValue }
}

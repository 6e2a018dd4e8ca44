import Foundation

/// submitted → under review → approved | rejected; the operator may withdraw before a decision.
/// Approval takes effect only with a deliberation record (R1).
public enum ApplicationState: String, Codable, Sendable, CaseIterable {
    case submitted
    case underReview = "under_review"
    case approved, rejected, withdrawn
}

public enum ApplicationKind: String, Codable, Sendable, CaseIterable {
    case initial
    /// Renewal of an agreement, applied for at least the policy's lead time before expiry (R9.2).
    case renewal
}

/// One line of a scenario's data list: a resource, the columns wanted and why.
public struct DataListItem: Codable, Sendable, Equatable {
    public var resourceID: ResourceID
    public var columns: [String]
    public var purpose: String

    public init(resourceID: ResourceID, columns: [String], purpose: String) {
        self.resourceID = resourceID
        self.columns = columns
        self.purpose = purpose
    }
}

/// What the operator writes for one scenario.
public struct ScenarioDraft: Sendable, Equatable {
    public var domain: String
    public var title: String
    public var description: String
    public var dataList: [DataListItem]
    public var intendedProducts: String

    public init(domain: String, title: String, description: String, dataList: [DataListItem], intendedProducts: String) {
        self.domain = domain
        self.title = title
        self.description = description
        self.dataList = dataList
        self.intendedProducts = intendedProducts
    }
}

/// The principal responsible person (R17's first responsible person).
public struct ResponsiblePerson: Codable, Sendable, Equatable {
    public var name: String
    public var title: String
    public var phone: String

    public init(name: String, title: String, phone: String) {
        self.name = name
        self.title = title
        self.phone = phone
    }
}

/// What the operator writes when it applies (R9.2).
public struct ApplicationDraft: Sendable, Equatable {
    public var announcementID: String?
    public var kind: ApplicationKind
    public var renewsAgreementID: String?
    public var organizationFacts: String
    public var principal: ResponsiblePerson
    public var scenarios: [ScenarioDraft]
    public var emergencyPlan: String

    public init(announcementID: String?, kind: ApplicationKind, renewsAgreementID: String?, organizationFacts: String,
                principal: ResponsiblePerson, scenarios: [ScenarioDraft], emergencyPlan: String) {
        self.announcementID = announcementID
        self.kind = kind
        self.renewsAgreementID = renewsAgreementID
        self.organizationFacts = organizationFacts
        self.principal = principal
        self.scenarios = scenarios
        self.emergencyPlan = emergencyPlan
    }
}

/// A scenario of an application with its own data list and its own review (一场景一清单一审核).
public struct Scenario: Codable, Sendable, Equatable {
    public var id: String
    public var domain: String
    public var title: String
    public var description: String
    public var dataList: [DataListItem]
    public var intendedProducts: String
    /// Bumped when the data list changes; a reviewer's decision names the version it saw.
    public var listVersion: Int
    public var reviews: [ReviewSlot]
    public var outcome: ReviewDecision

    /// The providers whose data is in the list, each of whom must review the scenario.
    public var providers: [OrganizationID] = []
}

/// An application (申请, R9.2): organization facts, principal, qualifications, scenarios and
/// the emergency plan, reviewed scenario by scenario.
public struct Application: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.application
    public var id: String
    public var announcementID: String?
    public var operatorID: OrganizationID
    public var operatorName: String
    public var applicationKind: ApplicationKind
    public var renewsAgreementID: String?
    public var organizationFacts: String
    public var principal: ResponsiblePerson
    public var scenarios: [Scenario]
    /// The emergency plan's case id (R27); the plan itself is versioned there.
    public var emergencyPlanID: String
    /// The network-security review, which must pass (R9.3).
    public var networkSecurityReview: ReviewSlot
    /// Coordination members the authority assigned when it opened the review.
    public var coordinationReviewers: [OrganizationID]
    public var expertOpinions: [ExpertOpinion]
    public var state: ApplicationState
    public var policyVersion: String
    public var submittedAt: Date?
    public var deliberationID: String?
    public var decidedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { announcementID }
    public var stateName: String { state.rawValue }

    public var approvedScenarios: [Scenario] { scenarios.filter { $0.outcome == .approved } }

    /// True when every slot of every scenario and the network-security review have a decision.
    public var reviewComplete: Bool {
        networkSecurityReview.decision != .pending && scenarios.allSatisfy { $0.outcome != .pending }
    }
}

/// An expert's opinion on an application or one of its scenarios (R2), attached to the case.
public struct ExpertOpinion: Codable, Sendable, Equatable {
    public var id: String
    public var expertID: UserID
    public var expertName: String
    public var scenarioID: String?
    public var question: String
    public var opinion: String?
    public var requestedAt: Date
    public var answeredAt: Date?
}

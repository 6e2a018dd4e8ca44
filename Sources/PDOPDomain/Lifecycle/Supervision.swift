import Foundation

/// One authorization, one emergency plan (R27): versioned, approved by the authority; drills recorded.
public struct EmergencyPlan: LifecycleRecord, Equatable {
    public struct Revision: Codable, Sendable, Equatable {
        public var number: Int
        public var content: String
        public var submittedAt: Date
        public var approvedAt: Date?
        public var approvedBy: UserID?
    }

    public struct Drill: Codable, Sendable, Equatable {
        public var heldOn: Date
        public var scenario: String
        public var participants: String
        public var findings: String
        public var recordedBy: UserID?
    }

    public static let kind = LifecycleKind.emergencyPlan
    public var id: String
    public var applicationID: String
    public var operatorID: OrganizationID
    public var revisions: [Revision]
    public var drills: [Drill]
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { applicationID }
    public var stateName: String { isApproved ? "approved" : "submitted" }
    /// The newest revision is the plan in force; it must be approved.
    public var isApproved: Bool { revisions.last?.approvedAt != nil }
}

/// A correction order (整改通知, R8 case 3): access is suspended at once; corrected in time →
/// restored; not corrected by the deadline → the authorization ends.
public struct CorrectionOrder: LifecycleRecord, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case open, reported, restored, lapsed
    }

    public static let kind = LifecycleKind.correctionOrder
    public var id: String
    public var agreementID: String
    public var operatorID: OrganizationID
    public var violation: String
    public var deadline: Date
    public var state: State
    public var report: String?
    public var reportedAt: Date?
    public var closedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { agreementID }
    public var stateName: String { state.rawValue }
}

/// An entry of the operator's credit file (信用档案, R18, R19): visible to regulators and to the
/// reviewers of its next application.
public struct CreditRecord: LifecycleRecord, Equatable {
    public enum Category: String, Codable, Sendable, CaseIterable {
        case violation, finding, correction, revocation
    }

    public static let kind = LifecycleKind.creditRecord
    public var id: String
    public var operatorID: OrganizationID
    public var category: Category
    public var description: String
    /// The case it came from (correction order, agreement…).
    public var caseID: String
    public var recordedBy: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { caseID }
    public var stateName: String { category.rawValue }
}

/// What was closed and deleted when an authorization ended (R9.6): what, how many, when, by whom.
public struct DeletionRecord: LifecycleRecord, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var what: String
        public var count: Int
        public init(what: String, count: Int) {
            self.what = what
            self.count = count
        }
    }

    public static let kind = LifecycleKind.deletionRecord
    public var id: String
    public var agreementID: String
    public var operatorID: OrganizationID
    public var reason: AgreementState
    public var items: [Item]
    public var performedBy: String
    /// Logs are kept for at least this many days after the ending (R9.6).
    public var logsKeptDays: Int
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { agreementID }
    public var stateName: String { reason.rawValue }
}

/// The annual report due after each year of an active agreement (R20).
public struct AnnualReport: LifecycleRecord, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable { case due, filed }
    public static let kind = LifecycleKind.annualReport
    public var id: String
    public var agreementID: String
    public var operatorID: OrganizationID
    public var year: Int
    public var dueAt: Date
    public var overdue: Bool
    public var state: State
    public var content: String?
    public var filedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { agreementID }
    public var stateName: String { state.rawValue }
}

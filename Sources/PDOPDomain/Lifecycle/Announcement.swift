import Foundation

/// How the county authorizes in an announcement (R9.1).
public enum AuthorizationMethod: String, Codable, Sendable, CaseIterable {
    /// 申请审核: every qualified applicant is reviewed on its own.
    case applicationReview = "application_review"
    /// 竞争性遴选: applicants are compared against the evaluation criteria.
    case competitiveSelection = "competitive_selection"
}

/// draft → published → closed; a draft may be withdrawn. Applications are taken only while
/// published and inside the window.
public enum AnnouncementState: String, Codable, Sendable, CaseIterable {
    case draft, published, closed, withdrawn
}

/// What the authority writes when it drafts an announcement.
public struct AnnouncementDraft: Sendable, Equatable {
    public var title: String
    public var method: AuthorizationMethod
    public var domains: [String]
    public var resourceIDs: [ResourceID]
    public var conditions: String
    public var criteria: String
    public var requirements: String
    public var opensAt: Date
    public var closesAt: Date

    public init(title: String, method: AuthorizationMethod, domains: [String], resourceIDs: [ResourceID], conditions: String,
                criteria: String, requirements: String, opensAt: Date, closesAt: Date) {
        self.title = title
        self.method = method
        self.domains = domains
        self.resourceIDs = resourceIDs
        self.conditions = conditions
        self.criteria = criteria
        self.requirements = requirements
        self.opensAt = opensAt
        self.closesAt = closesAt
    }
}

/// An announcement (通告, R9.1): method, scope (domains and catalog resources), conditions,
/// criteria, requirements and the application window.
public struct Announcement: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.announcement
    public var id: String
    public var title: String
    public var method: AuthorizationMethod
    /// R21 domain codes in scope.
    public var domains: [String]
    /// Catalog resources in scope; never a prohibited-open one (R21).
    public var resourceIDs: [ResourceID]
    public var conditions: String
    public var criteria: String
    public var requirements: String
    public var opensAt: Date
    public var closesAt: Date
    public var state: AnnouncementState
    public var policyVersion: String
    public var publishedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { nil }
    public var subjectID: String? { nil }
    public var stateName: String { state.rawValue }

    /// Whether an application may be submitted under it at `now` (R9.2).
    public func acceptsApplications(at now: Date) -> Bool {
        state == .published && now >= opensAt && now < closesAt
    }
}

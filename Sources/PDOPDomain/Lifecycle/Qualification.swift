import Foundation

/// The security reviews of the provincial measure an operator must hold (R7).
public enum QualificationKind: String, Codable, Sendable, CaseIterable {
    /// 基础安全审查
    case basicSecurity = "basic_security"
    /// 技术和安全审查
    case technicalSecurity = "technical_security"
}

/// A passed security review: valid for the policy's period from its pass date and reused by
/// every application while valid (R7).
public struct Qualification: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.qualification
    public var id: String
    public var operatorID: OrganizationID
    public var qualificationKind: QualificationKind
    public var passedOn: Date
    public var validUntil: Date
    /// The review's document number or reference.
    public var reference: String
    public var recordedBy: UserID?
    public var policyVersion: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { qualificationKind.rawValue }
    public var stateName: String { "recorded" }

    public func isValid(at date: Date) -> Bool { date >= passedOn && date < validUntil }
}

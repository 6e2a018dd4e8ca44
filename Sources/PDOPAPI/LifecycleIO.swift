import Foundation
import PDOPDomain

// Request bodies of the authorization lifecycle (R1, R2, R7–R10, R18, R20, R27). Day fields
// (`passedOn`, `heldOn`, `startsOn`) are RFC 3339 date-times like every other date of the API;
// the day in UTC is what the plan's rules count.

/// The object's `version`, for a transition that takes nothing else.
public struct VersionIn: APIInput {
    public static let fields: Set<String> = ["version"]
    public var version: Int
}

public struct AnnouncementCreate: APIInput {
    public static let fields: Set<String> = ["title", "method", "domains", "resourceIds", "conditions", "criteria", "requirements",
                                             "opensAt", "closesAt"]
    public var title: String
    public var method: String
    public var domains: [String]?
    public var resourceIds: [String]?
    public var conditions: String
    public var criteria: String
    public var requirements: String
    public var opensAt: Date
    public var closesAt: Date
}

public struct QualificationCreate: APIInput {
    public static let fields: Set<String> = ["operatorId", "kind", "passedOn", "reference"]
    public var operatorId: String
    public var kind: String
    public var passedOn: Date
    public var reference: String
}

public struct DataListItemIn: Decodable, Sendable {
    public var resourceId: String
    public var columns: [String]
    public var purpose: String

    public var item: DataListItem { DataListItem(resourceID: ResourceID(resourceId), columns: columns, purpose: purpose) }
}

public struct ScenarioIn: Decodable, Sendable {
    public var domain: String
    public var title: String
    public var description: String
    public var dataList: [DataListItemIn]
    public var intendedProducts: String
}

public struct PrincipalIn: Decodable, Sendable {
    public var name: String
    public var title: String
    public var phone: String
}

public struct ApplicationCreate: APIInput {
    public static let fields: Set<String> = ["announcementId", "kind", "renewsAgreementId", "organizationFacts", "principal",
                                             "scenarios", "emergencyPlan"]
    static let dataListFields: Set<String> = ["resourceId", "columns", "purpose"]
    public static let nestedFields: [String: Set<String>] = [
        "principal": ["name", "title", "phone"],
        "scenarios": ["domain", "title", "description", "dataList", "intendedProducts"],
        "scenarios.dataList": dataListFields,
    ]
    public var announcementId: String?
    public var kind: String?
    public var renewsAgreementId: String?
    public var organizationFacts: String
    public var principal: PrincipalIn
    public var scenarios: [ScenarioIn]
    public var emergencyPlan: String?
}

public struct DataListUpdate: APIInput {
    public static let fields: Set<String> = ["dataList", "version"]
    public static let nestedFields: [String: Set<String>] = ["dataList": ApplicationCreate.dataListFields]
    public var dataList: [DataListItemIn]
    public var version: Int
}

public struct ReviewOpen: APIInput {
    public static let fields: Set<String> = ["coordinationMembers", "version"]
    public var coordinationMembers: [String]
    public var version: Int
}

public struct ScenarioDecisionIn: APIInput {
    public static let fields: Set<String> = ["listVersion", "decision", "opinion"]
    public var listVersion: Int
    public var decision: String
    public var opinion: String?
}

public struct ReviewDecisionIn: APIInput {
    public static let fields: Set<String> = ["decision", "opinion"]
    public var decision: String
    public var opinion: String?
}

public struct ExpertOpinionRequest: APIInput {
    public static let fields: Set<String> = ["expertId", "scenarioId", "question"]
    public var expertId: String
    public var scenarioId: String?
    public var question: String
}

public struct ExpertOpinionAnswer: APIInput {
    public static let fields: Set<String> = ["opinion"]
    public var opinion: String
}

public struct EmergencyPlanSubmit: APIInput {
    public static let fields: Set<String> = ["content"]
    public var content: String
}

public struct EmergencyPlanApproval: APIInput {
    public static let fields: Set<String> = ["revision"]
    public var revision: Int
}

public struct DrillCreate: APIInput {
    public static let fields: Set<String> = ["heldOn", "scenario", "participants", "findings"]
    public var heldOn: Date
    public var scenario: String
    public var participants: String
    public var findings: String
}

public struct MemberOpinionIn: Decodable, Sendable {
    public var organizationId: String
    public var vote: String
    public var opinion: String?
}

public struct DeliberationCreate: APIInput {
    public static let fields: Set<String> = ["caseId", "heldOn", "membersPresent", "opinions", "decision", "rationale"]
    public static let nestedFields: [String: Set<String>] = ["opinions": ["organizationId", "vote", "opinion"]]
    public var caseId: String
    public var heldOn: Date
    public var membersPresent: [String]
    public var opinions: [MemberOpinionIn]?
    public var decision: String
    public var rationale: String
}

public struct AgreementCreate: APIInput {
    public static let fields: Set<String> = ["applicationId", "trialMonths", "startsOn"]
    public var applicationId: String
    public var trialMonths: Int
    public var startsOn: Date
}

public struct TerminationRequestIn: APIInput {
    public static let fields: Set<String> = ["reason", "version"]
    public var reason: String
    public var version: Int
}

public struct CorrectionOrderCreate: APIInput {
    public static let fields: Set<String> = ["violation", "deadline"]
    public var violation: String
    public var deadline: Date
}

public struct CorrectionReportIn: APIInput {
    public static let fields: Set<String> = ["report", "version"]
    public var report: String
    public var version: Int
}

public struct AnnualReportFiling: APIInput {
    public static let fields: Set<String> = ["content", "version"]
    public var content: String
    public var version: Int
}

public struct CreditFindingCreate: APIInput {
    public static let fields: Set<String> = ["operatorId", "category", "description"]
    public var operatorId: String
    public var category: String
    public var description: String
}

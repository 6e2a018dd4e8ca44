import Foundation
import PDOPDomain

// Response bodies of the authorization lifecycle. Optional fields are omitted when empty.

public struct AnnouncementOut: Encodable, Sendable {
    public var id, title, method, conditions, criteria, requirements, state, policyVersion: String
    public var domains, resourceIds: [String]
    public var opensAt, closesAt: Date
    public var publishedAt: Date?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ a: Announcement) {
        id = a.id; title = a.title; method = a.method.rawValue; conditions = a.conditions; criteria = a.criteria
        requirements = a.requirements; state = a.state.rawValue; policyVersion = a.policyVersion; domains = a.domains
        resourceIds = a.resourceIDs.map(\.rawValue); opensAt = a.opensAt; closesAt = a.closesAt; publishedAt = a.publishedAt
        version = a.version; createdAt = a.createdAt; updatedAt = a.updatedAt
    }
}

public struct DataListItemOut: Encodable, Sendable {
    public var resourceId, purpose: String
    public var columns: [String]
    public init(_ i: DataListItem) { resourceId = i.resourceID.rawValue; purpose = i.purpose; columns = i.columns }
}

public struct ReviewSlotOut: Encodable, Sendable {
    public var role, decision: String
    public var organizationId, opinion, decidedBy: String?
    public var decidedAt: Date?

    public init(_ s: ReviewSlot) {
        role = s.role.rawValue; decision = s.decision.rawValue; organizationId = s.organizationID?.rawValue; opinion = s.opinion
        decidedBy = s.decidedBy?.rawValue; decidedAt = s.decidedAt
    }
}

public struct ScenarioOut: Encodable, Sendable {
    public var id, domain, title, description, intendedProducts, outcome: String
    public var dataList: [DataListItemOut]
    public var listVersion: Int
    public var providers: [String]
    public var reviews: [ReviewSlotOut]

    public init(_ s: Scenario) {
        id = s.id; domain = s.domain; title = s.title; description = s.description; intendedProducts = s.intendedProducts
        outcome = s.outcome.rawValue; dataList = s.dataList.map(DataListItemOut.init); listVersion = s.listVersion
        providers = s.providers.map(\.rawValue); reviews = s.reviews.map(ReviewSlotOut.init)
    }
}

public struct ExpertOpinionOut: Encodable, Sendable {
    public var id, expertId, expertName, question: String
    public var scenarioId, opinion: String?
    public var requestedAt: Date
    public var answeredAt: Date?

    public init(_ o: ExpertOpinion) {
        id = o.id; expertId = o.expertID.rawValue; expertName = o.expertName; question = o.question; scenarioId = o.scenarioID
        opinion = o.opinion; requestedAt = o.requestedAt; answeredAt = o.answeredAt
    }
}

public struct PrincipalOut: Encodable, Sendable {
    public var name, title, phone: String
}

public struct ApplicationOut: Encodable, Sendable {
    public var id, operatorId, operatorName, kind, organizationFacts, emergencyPlanId, state, policyVersion: String
    public var announcementId, renewsAgreementId, deliberationId: String?
    public var principal: PrincipalOut
    public var scenarios: [ScenarioOut]
    public var networkSecurityReview: ReviewSlotOut
    public var coordinationReviewers: [String]
    public var expertOpinions: [ExpertOpinionOut]
    public var submittedAt, decidedAt: Date?
    public var version: Int
    public var createdAt, updatedAt: Date
    /// The applicant's credit file, shown to its reviewers (R18, R19); absent for the operator itself and in lists.
    public var creditRecords: [CreditRecordOut]?

    public init(_ a: Application, creditRecords: [CreditRecord]? = nil) {
        id = a.id; operatorId = a.operatorID.rawValue; operatorName = a.operatorName; kind = a.applicationKind.rawValue
        organizationFacts = a.organizationFacts; emergencyPlanId = a.emergencyPlanID; state = a.state.rawValue
        policyVersion = a.policyVersion; announcementId = a.announcementID; renewsAgreementId = a.renewsAgreementID
        deliberationId = a.deliberationID
        principal = PrincipalOut(name: a.principal.name, title: a.principal.title, phone: a.principal.phone)
        scenarios = a.scenarios.map(ScenarioOut.init); networkSecurityReview = ReviewSlotOut(a.networkSecurityReview)
        coordinationReviewers = a.coordinationReviewers.map(\.rawValue); expertOpinions = a.expertOpinions.map(ExpertOpinionOut.init)
        submittedAt = a.submittedAt; decidedAt = a.decidedAt; version = a.version; createdAt = a.createdAt; updatedAt = a.updatedAt
        self.creditRecords = creditRecords?.map(CreditRecordOut.init)
    }
}

public struct QualificationOut: Encodable, Sendable {
    public var id, operatorId, kind, reference, policyVersion: String
    public var recordedBy: String?
    public var passedOn, validUntil: Date
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ q: Qualification) {
        id = q.id; operatorId = q.operatorID.rawValue; kind = q.qualificationKind.rawValue; reference = q.reference
        policyVersion = q.policyVersion; recordedBy = q.recordedBy?.rawValue; passedOn = q.passedOn; validUntil = q.validUntil
        version = q.version; createdAt = q.createdAt; updatedAt = q.updatedAt
    }
}

public struct MemberOpinionOut: Encodable, Sendable {
    public var organizationId, vote, opinion: String
}

public struct DeliberationOut: Encodable, Sendable {
    public var id, caseId, operatorId, decision, rationale, policyVersion: String
    public var recordedBy: String?
    public var heldOn: Date
    public var membersPresent: [String]
    public var opinions: [MemberOpinionOut]
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ d: Deliberation) {
        id = d.id; caseId = d.caseID; operatorId = d.operatorID.rawValue; decision = d.decision.rawValue; rationale = d.rationale
        policyVersion = d.policyVersion; recordedBy = d.recordedBy?.rawValue; heldOn = d.heldOn
        membersPresent = d.membersPresent.map(\.rawValue)
        opinions = d.opinions.map { MemberOpinionOut(organizationId: $0.organizationID.rawValue, vote: $0.vote.rawValue, opinion: $0.opinion) }
        version = d.version; createdAt = d.createdAt; updatedAt = d.updatedAt
    }
}

public struct FilingOut: Encodable, Sendable {
    public var id, applicationId, operatorId, operatorName, state: String
    public var scenarioTitles: [String]
    public var filedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ f: Filing) {
        id = f.id; applicationId = f.applicationID; operatorId = f.operatorID.rawValue; operatorName = f.operatorName
        state = f.state.rawValue; scenarioTitles = f.scenarioTitles; filedAt = f.filedAt; acknowledgedAt = f.acknowledgedAt
        acknowledgedBy = f.acknowledgedBy?.rawValue; version = f.version; createdAt = f.createdAt; updatedAt = f.updatedAt
    }
}

public struct EmergencyPlanOut: Encodable, Sendable {
    public struct RevisionOut: Encodable, Sendable {
        public var number: Int
        public var content: String
        public var submittedAt: Date
        public var approvedAt: Date?
        public var approvedBy: String?
    }

    public struct DrillOut: Encodable, Sendable {
        public var heldOn: Date
        public var scenario, participants, findings: String
        public var recordedBy: String?
    }

    public var id, applicationId, operatorId, state: String
    public var revisions: [RevisionOut]
    public var drills: [DrillOut]
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ p: EmergencyPlan) {
        id = p.id; applicationId = p.applicationID; operatorId = p.operatorID.rawValue; state = p.stateName
        revisions = p.revisions.map { RevisionOut(number: $0.number, content: $0.content, submittedAt: $0.submittedAt,
                                                  approvedAt: $0.approvedAt, approvedBy: $0.approvedBy?.rawValue) }
        drills = p.drills.map { DrillOut(heldOn: $0.heldOn, scenario: $0.scenario, participants: $0.participants, findings: $0.findings,
                                         recordedBy: $0.recordedBy?.rawValue) }
        version = p.version; createdAt = p.createdAt; updatedAt = p.updatedAt
    }
}

public struct CorrectionOrderOut: Encodable, Sendable {
    public var id, agreementId, operatorId, violation, state: String
    public var deadline: Date
    public var report: String?
    public var reportedAt, closedAt: Date?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ o: CorrectionOrder) {
        id = o.id; agreementId = o.agreementID; operatorId = o.operatorID.rawValue; violation = o.violation; state = o.state.rawValue
        deadline = o.deadline; report = o.report; reportedAt = o.reportedAt; closedAt = o.closedAt
        version = o.version; createdAt = o.createdAt; updatedAt = o.updatedAt
    }
}

public struct CreditRecordOut: Encodable, Sendable {
    public var id, operatorId, category, description, caseId, recordedBy: String
    public var createdAt: Date

    public init(_ c: CreditRecord) {
        id = c.id; operatorId = c.operatorID.rawValue; category = c.category.rawValue; description = c.description
        caseId = c.caseID; recordedBy = c.recordedBy; createdAt = c.createdAt
    }
}

public struct DeletionRecordOut: Encodable, Sendable {
    public struct ItemOut: Encodable, Sendable {
        public var what: String
        public var count: Int
    }

    public var id, agreementId, operatorId, reason, performedBy: String
    public var items: [ItemOut]
    public var logsKeptDays: Int
    public var createdAt: Date

    public init(_ d: DeletionRecord) {
        id = d.id; agreementId = d.agreementID; operatorId = d.operatorID.rawValue; reason = d.reason.rawValue
        performedBy = d.performedBy; items = d.items.map { ItemOut(what: $0.what, count: $0.count) }
        logsKeptDays = d.logsKeptDays; createdAt = d.createdAt
    }
}

public struct AnnualReportOut: Encodable, Sendable {
    public var id, agreementId, operatorId, state: String
    public var year: Int
    public var dueAt: Date
    public var overdue: Bool
    public var content: String?
    public var filedAt: Date?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ r: AnnualReport) {
        id = r.id; agreementId = r.agreementID; operatorId = r.operatorID.rawValue; state = r.state.rawValue; year = r.year
        dueAt = r.dueAt; overdue = r.overdue; content = r.content; filedAt = r.filedAt
        version = r.version; createdAt = r.createdAt; updatedAt = r.updatedAt
    }
}

public struct TimelineEventOut: Encodable, Sendable {
    public var operatorId, action, subjectKind, subjectId, summary: String
    public var at: Date
    /// The audit entry that proves the event (`GET /api/v1/audit`).
    public var auditSeq: Int64

    public init(_ e: TimelineEvent) {
        operatorId = e.operatorID.rawValue; action = e.action; subjectKind = e.subjectKind; subjectId = e.subjectID
        summary = e.summary; at = e.at; auditSeq = e.auditSequence
    }
}

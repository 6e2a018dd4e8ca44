import Foundation

/// The kinds of case the authorization lifecycle keeps (R1, R2, R7–R10, R18, R20, R27).
public enum LifecycleKind: String, Codable, Sendable, CaseIterable {
    case announcement, application, qualification, deliberation, filing, agreement
    case emergencyPlan = "emergency_plan"
    case correctionOrder = "correction_order"
    case creditRecord = "credit_record"
    case deletionRecord = "deletion_record"
    case annualReport = "annual_report"
    case trainingCourse = "training_course"
    case trainingResult = "training_result"
    // The sandbox (issue 5, R11, R12, R17)
    case sandboxPolicy = "sandbox_policy"
    case dataRequest = "data_request"
    case workspace
    case queryRun = "query_run"
    case modelRun = "model_run"
    case exportRequest = "export_request"
    case riskReport = "risk_report"
    case releaseAudit = "release_audit"
}

/// A lifecycle case stored as one document with an optimistic version: every case is read and
/// written whole, inside one transaction with its audit entry.
public protocol LifecycleRecord: Codable, Sendable {
    static var kind: LifecycleKind { get }
    var id: String { get }
    /// The organization the case belongs to (the operator, mostly), for own-organization scope.
    var ownerID: OrganizationID? { get }
    /// The case this one hangs off (an application's announcement, an agreement's application…).
    var subjectID: String? { get }
    var stateName: String { get }
    var version: Int { get set }
    var createdAt: Date { get }
    var updatedAt: Date { get set }
}

public struct LifecycleFilter: Sendable, Equatable {
    public var owner: OrganizationID?
    public var subjectID: String?
    public var states: [String]?

    public init(owner: OrganizationID? = nil, subjectID: String? = nil, states: [String]? = nil) {
        self.owner = owner
        self.subjectID = subjectID
        self.states = states
    }
}

public protocol LifecycleRepository: Sendable {
    func insert<R: LifecycleRecord>(_ record: R) async throws
    func get<R: LifecycleRecord>(_ type: R.Type, id: String) async throws -> R?
    /// Writes `record` if the stored version is `record.version - 1`; else throws `DomainError.stale`.
    func update<R: LifecycleRecord>(_ record: R) async throws
    /// Newest first.
    func list<R: LifecycleRecord>(_ type: R.Type, _ filter: LifecycleFilter, page: PageRequest) async throws -> Page<R>
}

/// One line of an operator's timeline, pointing at the audit entry that proves it (issue 4 item 13).
public struct TimelineEvent: Sendable, Equatable {
    public var operatorID: OrganizationID
    public var at: Date
    public var action: String
    public var subjectKind: String
    public var subjectID: String
    public var auditSequence: Int64
    public var summary: String

    public init(operatorID: OrganizationID, at: Date, action: String, subjectKind: String, subjectID: String,
                auditSequence: Int64, summary: String) {
        self.operatorID = operatorID
        self.at = at
        self.action = action
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.auditSequence = auditSequence
        self.summary = summary
    }
}

public protocol TimelineRepository: Sendable {
    func append(_ event: TimelineEvent) async throws
    /// Oldest first: the story of the operator's authorization in order.
    func events(of operatorID: OrganizationID, page: PageRequest) async throws -> Page<TimelineEvent>
}

/// The county's contract seal (R1, R9.5): a signing key held by the authority, distinct from the
/// audit key. The domain sees only this seam; PDOPStore signs with Ed25519.
public protocol ContractSeal: Sendable {
    var keyID: String { get }
    /// The public key, base64, published so anyone can verify a seal.
    var publicKey: String { get }
    func digest(_ document: Data) -> String
    func sign(_ document: Data) throws -> String
    func verify(_ document: Data, signature: String) -> Bool
}

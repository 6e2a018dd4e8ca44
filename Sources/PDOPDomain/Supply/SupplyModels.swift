import Foundation

public typealias DemandID = Identifier<DemandTag>
public enum DemandTag {}
public typealias ObjectionID = Identifier<ObjectionTag>
public enum ObjectionTag {}

/// A provider's answer to a demand for data (R4).
public enum DemandAnswer: String, CaseIterable, Codable, Sendable {
    case available, planned, unavailable
}

/// posted → routed → answered; the scheduler flags a routed demand overdue when the provider is late.
public enum DemandState: String, CaseIterable, Codable, Sendable {
    case posted, routed, answered
}

/// An operator's demand for data (R4): what it wants, routed by the authority to a provider.
public struct Demand: Sendable, Equatable {
    public var id: DemandID
    public var operatorID: OrganizationID
    public var domain: String
    public var title: String
    public var description: String
    public var wantedFields: String
    public var state: DemandState
    public var providerID: OrganizationID?
    public var dueAt: Date?
    public var overdue: Bool
    public var answer: DemandAnswer?
    public var answerReason: String?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: DemandID, operatorID: OrganizationID, domain: String, title: String, description: String, wantedFields: String,
                state: DemandState, providerID: OrganizationID?, dueAt: Date?, overdue: Bool, answer: DemandAnswer?,
                answerReason: String?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.operatorID = operatorID
        self.domain = domain
        self.title = title
        self.description = description
        self.wantedFields = wantedFields
        self.state = state
        self.providerID = providerID
        self.dueAt = dueAt
        self.overdue = overdue
        self.answer = answer
        self.answerReason = answerReason
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum ObjectionReason: String, CaseIterable, Codable, Sendable {
    case wrong, stale, missing, other
}

/// How the provider resolved an objection.
public enum ObjectionResolution: String, CaseIterable, Codable, Sendable {
    case corrected, explained, rejected
}

public enum ObjectionState: String, CaseIterable, Codable, Sendable {
    case open, resolved
}

/// An objection (异议) to a catalogued resource (R4).
public struct Objection: Sendable, Equatable {
    public var id: ObjectionID
    public var resourceID: ResourceID
    public var providerID: OrganizationID
    public var raisedBy: UserID
    public var raisedByOrganization: OrganizationID
    public var reason: ObjectionReason
    public var evidence: String
    public var state: ObjectionState
    public var dueAt: Date
    public var overdue: Bool
    public var resolution: ObjectionResolution?
    public var response: String?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: ObjectionID, resourceID: ResourceID, providerID: OrganizationID, raisedBy: UserID, raisedByOrganization: OrganizationID,
                reason: ObjectionReason, evidence: String, state: ObjectionState, dueAt: Date, overdue: Bool,
                resolution: ObjectionResolution?, response: String?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.resourceID = resourceID
        self.providerID = providerID
        self.raisedBy = raisedBy
        self.raisedByOrganization = raisedByOrganization
        self.reason = reason
        self.evidence = evidence
        self.state = state
        self.dueAt = dueAt
        self.overdue = overdue
        self.resolution = resolution
        self.response = response
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Objection counts of one resource, part of its quality figures (R3, R4).
public struct ObjectionFigures: Sendable, Equatable {
    public var total: Int
    public var open: Int
    public var overdue: Int
    public var corrected: Int

    public init(total: Int, open: Int, overdue: Int, corrected: Int) {
        self.total = total
        self.open = open
        self.overdue = overdue
        self.corrected = corrected
    }
}

public struct SupplyFilter: Sendable, Equatable {
    /// Demands posted by, or routed to, this organization; objections raised by it or against its resources.
    public var involving: OrganizationID?
    public var resourceID: ResourceID?
    public var overdueOnly: Bool

    public init(involving: OrganizationID? = nil, resourceID: ResourceID? = nil, overdueOnly: Bool = false) {
        self.involving = involving
        self.resourceID = resourceID
        self.overdueOnly = overdueOnly
    }
}

public protocol SupplyRepository: Sendable {
    func insertDemand(_ demand: Demand) async throws
    func demand(_ id: DemandID) async throws -> Demand?
    /// Optimistic: the stored version must be `demand.version - 1`.
    func updateDemand(_ demand: Demand) async throws
    func demands(_ filter: SupplyFilter, page: PageRequest) async throws -> Page<Demand>
    func insertObjection(_ objection: Objection) async throws
    func objection(_ id: ObjectionID) async throws -> Objection?
    func updateObjection(_ objection: Objection) async throws
    func objections(_ filter: SupplyFilter, page: PageRequest) async throws -> Page<Objection>
    func objectionFigures(_ resource: ResourceID) async throws -> ObjectionFigures
}

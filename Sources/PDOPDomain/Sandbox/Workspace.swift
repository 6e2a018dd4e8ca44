import Foundation

/// open ⇄ halted → closed. A halt (risk found, suspension) stops every running query at once;
/// only the authority resumes; the agreement's end closes it for good (R17, R8).
public enum WorkspaceState: String, Codable, Sendable, CaseIterable {
    case open, halted, closed
}

/// One line of the ε ledger: what a DP answer spent (never refreshed silently).
public struct LedgerEntry: Codable, Sendable, Equatable {
    public var at: Date
    public var runID: String
    public var epsilon: Double
    public var cacheKey: String

    public init(at: Date, runID: String, epsilon: Double, cacheKey: String) {
        self.at = at
        self.runID = runID
        self.epsilon = epsilon
        self.cacheKey = cacheKey
    }
}

/// The workspace of one operator for one scenario (R12): the granted datasets are analysed here
/// and nowhere else; answers stay here until an export is approved.
public struct Workspace: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.workspace
    public var id: String
    public var operatorID: OrganizationID
    public var operatorName: String
    public var agreementID: String
    public var scenarioID: String
    public var scenarioTitle: String
    /// Granted data requests, in grant order.
    public var grantIDs: [String]
    public var epsilonBudget: Double
    public var ledger: [LedgerEntry]
    /// Answered queries by cache key: an identical query is answered again from here, at no cost.
    public var answers: [String: String]
    public var state: WorkspaceState
    public var haltedReason: String?
    public var haltedBy: String?
    public var haltedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { agreementID }
    public var stateName: String { state.rawValue }

    public var epsilonSpent: Double { ledger.reduce(0) { $0 + $1.epsilon } }
    public var epsilonRemaining: Double { max(0, epsilonBudget - epsilonSpent) }

    /// One per scenario of an agreement: a later agreement (a renewal) opens fresh workspaces, never
    /// one closed with its predecessor.
    public static func id(agreement agreementID: String, scenario: String) -> String {
        "ws-\(agreementID)-\(scenario)"
    }

    public init(id: String, operatorID: OrganizationID, operatorName: String, agreementID: String, scenarioID: String, scenarioTitle: String, grantIDs: [String], epsilonBudget: Double, ledger: [LedgerEntry], answers: [String: String], state: WorkspaceState, haltedReason: String?, haltedBy: String?, haltedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.operatorID = operatorID
        self.operatorName = operatorName
        self.agreementID = agreementID
        self.scenarioID = scenarioID
        self.scenarioTitle = scenarioTitle
        self.grantIDs = grantIDs
        self.epsilonBudget = epsilonBudget
        self.ledger = ledger
        self.answers = answers
        self.state = state
        self.haltedReason = haltedReason
        self.haltedBy = haltedBy
        self.haltedAt = haltedAt
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A risk report (R17): opened when a workspace is stopped, by the operator on finding a risk or
/// by the authority; closed when the authority resumes the workspace.
public struct RiskReport: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.riskReport
    public var id: String
    public var workspaceID: String
    public var operatorID: OrganizationID
    public var reportedBy: String
    public var description: String
    public var state: String
    public var resolution: String?
    public var closedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { workspaceID }
    public var stateName: String { state }

    public init(id: String, workspaceID: String, operatorID: OrganizationID, reportedBy: String, description: String, state: String, resolution: String?, closedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.workspaceID = workspaceID
        self.operatorID = operatorID
        self.reportedBy = reportedBy
        self.description = description
        self.state = state
        self.resolution = resolution
        self.closedAt = closedAt
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

import Foundation

/// open ⇄ halted → closed. A halt (risk found, suspension) stops every running query at once;
/// only the authority resumes; the agreement's end closes it for good (R17, R8).
public enum WorkspaceState: String, Codable, Sendable, CaseIterable {
    case open, halted, closed
}

/// One line of the ε ledger: what a DP answer spent (never refreshed silently), in exact micro-ε.
public struct LedgerEntry: Codable, Sendable, Equatable {
    public var at: Date
    public var runID: String
    public var epsilon: Epsilon
    public var cacheKey: String

    enum CodingKeys: String, CodingKey {
        case at, runID, cacheKey
        case epsilon = "epsilonMicros"
    }

    public init(at: Date, runID: String, epsilon: Epsilon, cacheKey: String) {
        self.at = at
        self.runID = runID
        self.epsilon = epsilon
        self.cacheKey = cacheKey
    }

    /// Entries written before micro-ε kept the charge as an ε decimal under "epsilon".
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        at = try values.decode(Date.self, forKey: .at)
        runID = try values.decode(String.self, forKey: .runID)
        cacheKey = try values.decode(String.self, forKey: .cacheKey)
        epsilon = try values.decodeIfPresent(Epsilon.self, forKey: .epsilon)
            ?? Epsilon.legacy(decoder, key: "epsilon", rounding: .up)
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
    public var epsilonBudget: Epsilon
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

    public var epsilonSpent: Epsilon { ledger.reduce(.zero) { $0 + $1.epsilon } }
    public var epsilonRemaining: Epsilon { max(.zero, epsilonBudget - epsilonSpent) }

    /// Whether the ledger can pay `charge` on top of what it spent: integers, no tolerance.
    public func canPay(_ charge: Epsilon) -> Bool { epsilonSpent + charge <= epsilonBudget }

    enum CodingKeys: String, CodingKey {
        case id, operatorID, operatorName, agreementID, scenarioID, scenarioTitle, grantIDs, ledger, answers, state
        case haltedReason, haltedBy, haltedAt, version, createdAt, updatedAt
        case epsilonBudget = "epsilonBudgetMicros"
    }

    /// One per scenario of an agreement: a later agreement (a renewal) opens fresh workspaces, never
    /// one closed with its predecessor.
    public static func id(agreement agreementID: String, scenario: String) -> String {
        "ws-\(agreementID)-\(scenario)"
    }

    public init(id: String, operatorID: OrganizationID, operatorName: String, agreementID: String, scenarioID: String, scenarioTitle: String, grantIDs: [String], epsilonBudget: Epsilon, ledger: [LedgerEntry], answers: [String: String], state: WorkspaceState, haltedReason: String?, haltedBy: String?, haltedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
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

    /// Workspaces written before micro-ε kept the budget as an ε decimal under "epsilonBudget".
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        id = try values.decode(String.self, forKey: .id)
        operatorID = try values.decode(OrganizationID.self, forKey: .operatorID)
        operatorName = try values.decode(String.self, forKey: .operatorName)
        agreementID = try values.decode(String.self, forKey: .agreementID)
        scenarioID = try values.decode(String.self, forKey: .scenarioID)
        scenarioTitle = try values.decode(String.self, forKey: .scenarioTitle)
        grantIDs = try values.decode([String].self, forKey: .grantIDs)
        epsilonBudget = try values.decodeIfPresent(Epsilon.self, forKey: .epsilonBudget)
            ?? Epsilon.legacy(decoder, key: "epsilonBudget", rounding: .down)
        ledger = try values.decode([LedgerEntry].self, forKey: .ledger)
        answers = try values.decode([String: String].self, forKey: .answers)
        state = try values.decode(WorkspaceState.self, forKey: .state)
        haltedReason = try values.decodeIfPresent(String.self, forKey: .haltedReason)
        haltedBy = try values.decodeIfPresent(String.self, forKey: .haltedBy)
        haltedAt = try values.decodeIfPresent(Date.self, forKey: .haltedAt)
        version = try values.decode(Int.self, forKey: .version)
        createdAt = try values.decode(Date.self, forKey: .createdAt)
        updatedAt = try values.decode(Date.self, forKey: .updatedAt)
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

import Foundation

/// Who must approve a data request (R11): the authority, each provider of the data, and the
/// provincial authority when returned data is asked for.
public enum ApprovalParty: Codable, Sendable, Equatable, Hashable {
    case authority
    case provider(OrganizationID)
    case province

    public var label: String {
        switch self {
        case .authority: "authority"
        case .provider(let id): "provider:\(id.rawValue)"
        case .province: "province"
        }
    }
}

public enum ApprovalDecision: String, Codable, Sendable, Equatable, CaseIterable {
    case pending, approved, refused
}

public struct ApprovalSlot: Codable, Sendable, Equatable {
    public var party: ApprovalParty
    public var decision: ApprovalDecision
    public var decidedBy: String?
    public var decidedAt: Date?
    public var reason: String?

    public init(party: ApprovalParty) {
        self.party = party
        decision = .pending
    }
}

/// One resource asked for, with the columns wanted and any level the provider narrowed.
public struct RequestedResource: Codable, Sendable, Equatable {
    public var resourceID: ResourceID
    public var resourceName: String
    public var providerID: OrganizationID
    public var columns: [String]
    /// Levels the provider narrowed at approval, by column name.
    public var narrowed: [String: SandboxLevel]
    /// The provider's column policy as it stood when the data were granted: the grant carries it,
    /// so a later change of the policy does not widen what was granted.
    public var grantedPolicy: SandboxPolicy?

    public init(resourceID: ResourceID, resourceName: String, providerID: OrganizationID, columns: [String]) {
        self.resourceID = resourceID
        self.resourceName = resourceName
        self.providerID = providerID
        self.columns = columns
        narrowed = [:]
    }
}

/// pending → granted | refused | withdrawn; granted → ended with the agreement (R11).
public enum DataRequestState: String, Codable, Sendable, CaseIterable {
    case pending, granted, refused, withdrawn, ended
}

/// A data request (数据申请, R11): resources and columns for one approved scenario, only from that
/// scenario's data list. Once every party approves it is the grant the workspace uses.
public struct DataRequest: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.dataRequest
    public var id: String
    public var operatorID: OrganizationID
    public var operatorName: String
    public var agreementID: String
    public var scenarioID: String
    public var scenarioTitle: String
    public var purpose: String
    public var resources: [RequestedResource]
    /// The ε budget the workspace may spend on these data in DP mode; an approver may lower it.
    public var epsilonBudget: Epsilon
    public var approvals: [ApprovalSlot]
    public var state: DataRequestState
    public var requestedBy: String
    public var decidedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { agreementID }
    public var stateName: String { state.rawValue }

    public var providerIDs: [OrganizationID] {
        var seen: [OrganizationID] = []
        for item in resources where !seen.contains(item.providerID) { seen.append(item.providerID) }
        return seen
    }

    /// Whether `party` still has to decide.
    public func awaits(_ party: ApprovalParty) -> Bool {
        state == .pending && approvals.contains { $0.party == party && $0.decision == .pending }
    }

    public init(id: String, operatorID: OrganizationID, operatorName: String, agreementID: String, scenarioID: String, scenarioTitle: String, purpose: String, resources: [RequestedResource], epsilonBudget: Epsilon, approvals: [ApprovalSlot], state: DataRequestState, requestedBy: String, decidedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.operatorID = operatorID
        self.operatorName = operatorName
        self.agreementID = agreementID
        self.scenarioID = scenarioID
        self.scenarioTitle = scenarioTitle
        self.purpose = purpose
        self.resources = resources
        self.epsilonBudget = epsilonBudget
        self.approvals = approvals
        self.state = state
        self.requestedBy = requestedBy
        self.decidedAt = decidedAt
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, operatorID, operatorName, agreementID, scenarioID, scenarioTitle, purpose, resources, approvals, state
        case requestedBy, decidedAt, version, createdAt, updatedAt
        case epsilonBudget = "epsilonBudgetMicros"
    }

    /// Requests written before micro-ε kept the budget as an ε decimal under "epsilonBudget".
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        id = try values.decode(String.self, forKey: .id)
        operatorID = try values.decode(OrganizationID.self, forKey: .operatorID)
        operatorName = try values.decode(String.self, forKey: .operatorName)
        agreementID = try values.decode(String.self, forKey: .agreementID)
        scenarioID = try values.decode(String.self, forKey: .scenarioID)
        scenarioTitle = try values.decode(String.self, forKey: .scenarioTitle)
        purpose = try values.decode(String.self, forKey: .purpose)
        resources = try values.decode([RequestedResource].self, forKey: .resources)
        epsilonBudget = try values.decodeIfPresent(Epsilon.self, forKey: .epsilonBudget)
            ?? Epsilon.legacy(decoder, key: "epsilonBudget", rounding: .down)
        approvals = try values.decode([ApprovalSlot].self, forKey: .approvals)
        state = try values.decode(DataRequestState.self, forKey: .state)
        requestedBy = try values.decode(String.self, forKey: .requestedBy)
        decidedAt = try values.decodeIfPresent(Date.self, forKey: .decidedAt)
        version = try values.decode(Int.self, forKey: .version)
        createdAt = try values.decode(Date.self, forKey: .createdAt)
        updatedAt = try values.decode(Date.self, forKey: .updatedAt)
    }
}

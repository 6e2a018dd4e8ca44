import Foundation
import PDOPDomain

// The sandbox (issue 5, R11, R12, R15, R17): column policies, data requests, workspaces, queries,
// model jobs, exports, stop, usage.

/// Any JSON value: engine outputs (answers, plans, models) pass through the API as stored.
public enum JSONValue: Codable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let items = try? container.decode([JSONValue].self) { self = .array(items) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let fields): try container.encode(fields)
        }
    }

    /// Stored JSON text as a value; empty or broken text (a purged output) is null.
    public static func parse(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }

    public static func of<T: Encodable>(_ value: T) -> JSONValue {
        guard let data = try? JSONEncoder().encode(value) else { return .null }
        return (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
    }
}

public struct ColumnPolicyIO: Codable, Sendable {
    public var name: String
    public var level: String
    public var lower, upper: Double?
    public var keySpace: String?
    public var bucketWidth: Int?

    public init(_ c: ColumnPolicy) {
        name = c.name; level = c.level.rawValue; lower = c.lower; upper = c.upper; keySpace = c.keySpace; bucketWidth = c.bucketWidth
    }
}

public struct SandboxPolicyWrite: APIInput {
    public static let fields: Set<String> = ["unitColumn", "unitDomain", "minUnits", "columns", "version"]
    public static let nestedFields: [String: Set<String>] = ["columns": ["name", "level", "lower", "upper", "keySpace", "bucketWidth"]]
    public var unitColumn: String
    public var unitDomain: String
    public var minUnits: Int
    public var columns: [ColumnPolicyIO]
    public var version: Int?
}

public struct SandboxPolicyOut: Encodable, Sendable {
    public var id, resourceId, providerId, unitColumn, unitDomain: String
    public var minUnits, version: Int
    public var columns: [ColumnPolicyIO]

    public init(_ p: SandboxPolicy) {
        id = p.id; resourceId = p.resourceID.rawValue; providerId = p.providerID.rawValue; unitColumn = p.unitColumn
        unitDomain = p.unitDomain; minUnits = p.minUnits; version = p.version; columns = p.columns.map(ColumnPolicyIO.init)
    }
}

public struct DataRequestCreate: APIInput {
    public static let fields: Set<String> = ["agreementId", "scenarioId", "purpose", "items", "epsilonBudget"]
    public static let nestedFields: [String: Set<String>] = ["items": ["resourceId", "columns"]]
    public struct Item: Decodable, Sendable { public var resourceId: String; public var columns: [String]? }
    public var agreementId, scenarioId, purpose: String
    public var items: [Item]
    public var epsilonBudget: Double?
}

public struct ApprovalDecisionInput: APIInput {
    public static let fields: Set<String> = ["approve", "reason", "narrowed", "epsilonBudget", "version"]
    public var approve: Bool
    public var reason: String?
    /// Levels a provider narrows, by resource id then column name.
    public var narrowed: [String: [String: String]]?
    public var epsilonBudget: Double?
    public var version: Int
}

public struct ApprovalSlotOut: Encodable, Sendable {
    public var party, decision: String
    public var decidedBy, reason: String?
    public var decidedAt: Date?

    public init(_ s: ApprovalSlot) {
        party = s.party.label; decision = s.decision.rawValue; decidedBy = s.decidedBy; reason = s.reason; decidedAt = s.decidedAt
    }
}

public struct DataRequestOut: Encodable, Sendable {
    public struct Resource: Encodable, Sendable {
        public var resourceId, resourceName, providerId: String
        public var columns: [String]
        public var narrowed: [String: String]
    }
    public var id, operatorId, operatorName, agreementId, scenarioId, scenarioTitle, purpose, state, requestedBy: String
    public var resources: [Resource]
    public var epsilonBudget: Double
    public var approvals: [ApprovalSlotOut]
    public var version: Int
    public var decidedAt: Date?
    public var createdAt, updatedAt: Date

    public init(_ r: DataRequest) {
        id = r.id; operatorId = r.operatorID.rawValue; operatorName = r.operatorName; agreementId = r.agreementID; scenarioId = r.scenarioID
        scenarioTitle = r.scenarioTitle; purpose = r.purpose; state = r.state.rawValue; requestedBy = r.requestedBy
        resources = r.resources.map {
            Resource(resourceId: $0.resourceID.rawValue, resourceName: $0.resourceName, providerId: $0.providerID.rawValue,
                     columns: $0.columns, narrowed: $0.narrowed.mapValues(\.rawValue))
        }
        epsilonBudget = r.epsilonBudget.value; approvals = r.approvals.map(ApprovalSlotOut.init); version = r.version; decidedAt = r.decidedAt
        createdAt = r.createdAt; updatedAt = r.updatedAt
    }
}

public struct WorkspaceOut: Encodable, Sendable {
    public struct Ledger: Encodable, Sendable { public var at: Date; public var runId: String; public var epsilon: Double }
    public var id, operatorId, operatorName, agreementId, scenarioId, scenarioTitle, state: String
    public var grantIds: [String]
    public var epsilonBudget, epsilonSpent, epsilonRemaining: Double
    public var ledger: [Ledger]
    public var haltedReason, haltedBy: String?
    public var haltedAt: Date?
    public var version: Int
    public var createdAt, updatedAt: Date
    /// On the detail only: granted datasets (schemas and levels) and synthetic preview rows.
    public var datasets: JSONValue?
    public var previews: JSONValue?
    public var runningNow: Int?

    public init(_ w: Workspace) {
        id = w.id; operatorId = w.operatorID.rawValue; operatorName = w.operatorName; agreementId = w.agreementID; scenarioId = w.scenarioID
        scenarioTitle = w.scenarioTitle; state = w.state.rawValue; grantIds = w.grantIDs; epsilonBudget = w.epsilonBudget.value
        epsilonSpent = w.epsilonSpent.value; epsilonRemaining = w.epsilonRemaining.value
        ledger = w.ledger.map { Ledger(at: $0.at, runId: $0.runID, epsilon: $0.epsilon.value) }
        haltedReason = w.haltedReason; haltedBy = w.haltedBy; haltedAt = w.haltedAt; version = w.version
        createdAt = w.createdAt; updatedAt = w.updatedAt
    }
}

public struct QueryRunOut: Encodable, Sendable {
    public var id, workspaceId, operatorId, mode, state, runBy, cacheKey: String
    public var spec, answer: JSONValue
    public var epsilonCharged: Double
    public var version: Int
    public var datasetIds: [String]
    public var usage: UsageFigures
    public var cached: Bool?
    public var createdAt: Date

    public init(_ r: QueryRun, cached: Bool? = nil) {
        id = r.id; workspaceId = r.workspaceID; operatorId = r.operatorID.rawValue; mode = r.mode; state = r.state.rawValue; runBy = r.runBy
        cacheKey = r.cacheKey; spec = .parse(r.spec); answer = .parse(r.answer); epsilonCharged = r.epsilonCharged.value
        version = r.version; datasetIds = r.datasetIDs; usage = r.usage; self.cached = cached
        createdAt = r.createdAt
    }
}

public struct ModelRunOut: Encodable, Sendable {
    public var id, workspaceId, operatorId, name, kind, definitionHash, state, runBy: String
    public var definition, result: JSONValue
    public var datasetIds: [String]
    public var usage: UsageFigures
    public var version: Int
    public var createdAt: Date

    public init(_ m: ModelRun) {
        id = m.id; workspaceId = m.workspaceID; operatorId = m.operatorID.rawValue; name = m.name; kind = m.modelKind
        definitionHash = m.definitionHash; state = m.state.rawValue; runBy = m.runBy; definition = .parse(m.definition)
        result = .parse(m.result); datasetIds = m.datasetIDs; usage = m.usage; version = m.version; createdAt = m.createdAt
    }
}

public struct HaltInput: APIInput {
    public static let fields: Set<String> = ["reason"]
    public var reason: String
}

public struct ResumeInput: APIInput {
    public static let fields: Set<String> = ["resolution", "version"]
    public var resolution: String
    public var version: Int
}

public struct RiskReportOut: Encodable, Sendable {
    public var id, workspaceId, operatorId, reportedBy, description, state: String
    public var resolution: String?
    public var closedAt: Date?
    public var createdAt: Date

    public init(_ r: RiskReport) {
        id = r.id; workspaceId = r.workspaceID; operatorId = r.operatorID.rawValue; reportedBy = r.reportedBy; description = r.description
        state = r.state; resolution = r.resolution; closedAt = r.closedAt; createdAt = r.createdAt
    }
}

public struct ExportCreate: APIInput {
    public static let fields: Set<String> = ["outputKind", "outputId", "justification"]
    public var outputKind, outputId, justification: String
}

public struct ExportDecisionInput: APIInput {
    public static let fields: Set<String> = ["approve", "reason", "version"]
    public var approve: Bool
    public var reason: String?
    public var version: Int
}

public struct ExportOut: Encodable, Sendable {
    public var id, workspaceId, operatorId, operatorName, outputKind, outputId, outputHash, justification, state, requestedBy: String
    public var approvals: [ApprovalSlotOut]
    public var rejectionReason, watermark: String?
    public var downloads, version: Int
    public var createdAt, updatedAt: Date

    public init(_ e: ExportRequest) {
        id = e.id; workspaceId = e.workspaceID; operatorId = e.operatorID.rawValue; operatorName = e.operatorName; outputKind = e.outputKind
        outputId = e.outputID; outputHash = e.outputHash; justification = e.justification; state = e.state.rawValue
        requestedBy = e.requestedBy; approvals = e.approvals.map(ApprovalSlotOut.init); rejectionReason = e.rejectionReason
        watermark = e.watermark; downloads = e.downloads; version = e.version; createdAt = e.createdAt; updatedAt = e.updatedAt
    }
}

public struct UsageEventOut: Encodable, Sendable {
    public var id, operatorId, workspaceId, kind, subjectId: String
    public var at: Date
    public var figures: UsageFigures

    public init(_ u: UsageEvent) {
        id = u.id; operatorId = u.operatorID.rawValue; workspaceId = u.workspaceID; kind = u.kind.rawValue; subjectId = u.subjectID
        at = u.at; figures = u.figures
    }
}

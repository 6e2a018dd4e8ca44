import Foundation

/// quarantined → export_requested → exported | export_refused; purged when the agreement ends.
/// Nothing in a workspace leaves it except through an approved export (R12).
public enum OutputState: String, Codable, Sendable, CaseIterable {
    case quarantined
    case exportRequested = "export_requested"
    case exported
    case exportRefused = "export_refused"
    case purged
}

/// What one query, model job or export consumed, for billing (R15).
public struct UsageFigures: Codable, Sendable, Equatable {
    public var cpuMilliseconds: Int
    public var rowsScanned: Int
    public var cellsReleased: Int
    public var bytesExported: Int

    public init(cpuMilliseconds: Int = 0, rowsScanned: Int = 0, cellsReleased: Int = 0, bytesExported: Int = 0) {
        self.cpuMilliseconds = cpuMilliseconds
        self.rowsScanned = rowsScanned
        self.cellsReleased = cellsReleased
        self.bytesExported = bytesExported
    }
}

/// One answered query, kept in the workspace (quarantine). `answer` is the released table as JSON;
/// `spec` the canonical query spec it answers.
public struct QueryRun: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.queryRun
    public var id: String
    public var workspaceID: String
    public var operatorID: OrganizationID
    public var mode: String
    public var spec: String
    public var cacheKey: String
    public var answer: String
    public var epsilonCharged: Epsilon
    public var datasetIDs: [String]
    public var providerIDs: [OrganizationID]
    public var usage: UsageFigures
    public var state: OutputState
    public var runBy: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { workspaceID }
    public var stateName: String { state.rawValue }

    public init(id: String, workspaceID: String, operatorID: OrganizationID, mode: String, spec: String, cacheKey: String, answer: String, epsilonCharged: Epsilon, datasetIDs: [String], providerIDs: [OrganizationID], usage: UsageFigures, state: OutputState, runBy: String, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.workspaceID = workspaceID
        self.operatorID = operatorID
        self.mode = mode
        self.spec = spec
        self.cacheKey = cacheKey
        self.answer = answer
        self.epsilonCharged = epsilonCharged
        self.datasetIDs = datasetIDs
        self.providerIDs = providerIDs
        self.usage = usage
        self.state = state
        self.runBy = runBy
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, workspaceID, operatorID, mode, spec, cacheKey, answer, datasetIDs, providerIDs, usage, state
        case runBy, version, createdAt, updatedAt
        case epsilonCharged = "epsilonChargedMicros"
    }

    /// Runs written before micro-ε kept the charge as an ε decimal under "epsilonCharged".
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        id = try values.decode(String.self, forKey: .id)
        workspaceID = try values.decode(String.self, forKey: .workspaceID)
        operatorID = try values.decode(OrganizationID.self, forKey: .operatorID)
        mode = try values.decode(String.self, forKey: .mode)
        spec = try values.decode(String.self, forKey: .spec)
        cacheKey = try values.decode(String.self, forKey: .cacheKey)
        answer = try values.decode(String.self, forKey: .answer)
        epsilonCharged = try values.decodeIfPresent(Epsilon.self, forKey: .epsilonCharged)
            ?? Epsilon.legacy(decoder, key: "epsilonCharged", rounding: .up)
        datasetIDs = try values.decode([String].self, forKey: .datasetIDs)
        providerIDs = try values.decode([OrganizationID].self, forKey: .providerIDs)
        usage = try values.decode(UsageFigures.self, forKey: .usage)
        state = try values.decode(OutputState.self, forKey: .state)
        runBy = try values.decode(String.self, forKey: .runBy)
        version = try values.decode(Int.self, forKey: .version)
        createdAt = try values.decode(Date.self, forKey: .createdAt)
        updatedAt = try values.decode(Date.self, forKey: .updatedAt)
    }
}

/// One model job (R12): its definition, the hash an approval binds to, and its quarantined result
/// (coefficients and metrics only).
public struct ModelRun: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.modelRun
    public var id: String
    public var workspaceID: String
    public var operatorID: OrganizationID
    public var name: String
    public var modelKind: String
    public var definition: String
    /// SHA-256 of the job definition and the input dataset versions and policies.
    public var definitionHash: String
    public var result: String
    public var datasetIDs: [String]
    public var providerIDs: [OrganizationID]
    public var usage: UsageFigures
    public var state: OutputState
    public var runBy: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { workspaceID }
    public var stateName: String { state.rawValue }

    public init(id: String, workspaceID: String, operatorID: OrganizationID, name: String, modelKind: String, definition: String, definitionHash: String, result: String, datasetIDs: [String], providerIDs: [OrganizationID], usage: UsageFigures, state: OutputState, runBy: String, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.workspaceID = workspaceID
        self.operatorID = operatorID
        self.name = name
        self.modelKind = modelKind
        self.definition = definition
        self.definitionHash = definitionHash
        self.result = result
        self.datasetIDs = datasetIDs
        self.providerIDs = providerIDs
        self.usage = usage
        self.state = state
        self.runBy = runBy
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// pending → approved | rejected (R12): reviewed by the authority and every provider whose data
/// the output derives from. Approved → downloadable with its export id and watermark.
public enum ExportState: String, Codable, Sendable, CaseIterable {
    case pending, approved, rejected
}

public struct ExportRequest: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.exportRequest
    public var id: String
    public var workspaceID: String
    public var operatorID: OrganizationID
    public var operatorName: String
    /// "query_run" or "model_run".
    public var outputKind: String
    public var outputID: String
    /// The hash the approval is bound to: the result's content (and a model's definition hash).
    public var outputHash: String
    public var justification: String
    public var approvals: [ApprovalSlot]
    public var state: ExportState
    public var rejectionReason: String?
    public var watermark: String?
    public var downloads: Int
    public var requestedBy: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { workspaceID }
    public var stateName: String { state.rawValue }

    public func awaits(_ party: ApprovalParty) -> Bool {
        state == .pending && approvals.contains { $0.party == party && $0.decision == .pending }
    }

    public init(id: String, workspaceID: String, operatorID: OrganizationID, operatorName: String, outputKind: String, outputID: String, outputHash: String, justification: String, approvals: [ApprovalSlot], state: ExportState, rejectionReason: String?, watermark: String?, downloads: Int, requestedBy: String, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.workspaceID = workspaceID
        self.operatorID = operatorID
        self.operatorName = operatorName
        self.outputKind = outputKind
        self.outputID = outputID
        self.outputHash = outputHash
        self.justification = justification
        self.approvals = approvals
        self.state = state
        self.rejectionReason = rejectionReason
        self.watermark = watermark
        self.downloads = downloads
        self.requestedBy = requestedBy
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

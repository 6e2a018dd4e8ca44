import Foundation

/// One released cell as the audit keeps it: its join path and the partition bins it covers per
/// restricted dimension ("resource.column" → bins). No numbers: the audit never stores counts.
public struct AuditedCell: Codable, Sendable, Equatable {
    public var path: String
    public var bins: [String: [Int]]
    public var at: Date
    public var runID: String

    public init(path: String, bins: [String: [Int]], at: Date, runID: String) {
        self.path = path
        self.bins = bins
        self.at = at
        self.runID = runID
    }
}

/// Every cell released in one workspace, across all of its staff and for its whole life
/// (issue 10 item 3): the history the pairwise-difference and tracker checks compare new cells with,
/// and the count the monthly released-cell budget is charged against.
public struct ReleaseAudit: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.releaseAudit
    public var id: String
    public var workspaceID: String
    public var operatorID: OrganizationID
    public var cells: [AuditedCell]
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { workspaceID }
    public var stateName: String { "open" }

    public static func id(workspace: String) -> String { "ra-\(workspace)" }

    public init(workspaceID: String, operatorID: OrganizationID, at now: Date) {
        id = Self.id(workspace: workspaceID)
        self.workspaceID = workspaceID
        self.operatorID = operatorID
        cells = []
        version = 1
        createdAt = now
        updatedAt = now
    }
}

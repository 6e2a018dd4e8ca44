import Foundation

/// One metered use of the sandbox (R15): what a query, model job, export or download consumed.
/// Billing later reads these; nothing here prices them.
public struct UsageEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case query, modelJob = "model_job", export, download
    }

    public var id: String
    public var at: Date
    public var operatorID: OrganizationID
    public var workspaceID: String
    public var kind: Kind
    public var subjectID: String
    public var figures: UsageFigures

    public init(id: String, at: Date, operatorID: OrganizationID, workspaceID: String, kind: Kind, subjectID: String,
                figures: UsageFigures) {
        self.id = id
        self.at = at
        self.operatorID = operatorID
        self.workspaceID = workspaceID
        self.kind = kind
        self.subjectID = subjectID
        self.figures = figures
    }
}

public protocol UsageRepository: Sendable {
    func append(_ event: UsageEvent) async throws
    /// Newest first; `operatorID` nil lists everyone's.
    func list(operator operatorID: OrganizationID?, workspace: String?, page: PageRequest) async throws -> Page<UsageEvent>
}

import Foundation

public typealias DataLoadID = Identifier<DataLoadTag>
public enum DataLoadTag {}

public enum LoadMode: String, CaseIterable, Codable, Sendable {
    /// A new data version replaces the current one (the old one is kept).
    case replace
    /// Rows are added to the current version; the columns must be the same.
    case append
}

public enum LoadState: String, CaseIterable, Codable, Sendable {
    case loading, succeeded, failed
}

/// One upload into the domain store (R5): who, when, what came of it. The report (schema,
/// detected personal data, profiles) is JSON the load produced.
public struct DataLoad: Sendable, Equatable {
    public var id: DataLoadID
    public var resourceID: ResourceID
    public var mode: LoadMode
    public var format: String
    public var state: LoadState
    public var dataVersion: Int?
    public var rowCount: Int?
    public var byteCount: Int?
    public var error: String?
    public var reportJSON: String?
    public var startedBy: String
    public var startedAt: Date
    public var finishedAt: Date?

    public init(id: DataLoadID, resourceID: ResourceID, mode: LoadMode, format: String, state: LoadState, dataVersion: Int?,
                rowCount: Int?, byteCount: Int?, error: String?, reportJSON: String?, startedBy: String, startedAt: Date,
                finishedAt: Date?) {
        self.id = id
        self.resourceID = resourceID
        self.mode = mode
        self.format = format
        self.state = state
        self.dataVersion = dataVersion
        self.rowCount = rowCount
        self.byteCount = byteCount
        self.error = error
        self.reportJSON = reportJSON
        self.startedBy = startedBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

public protocol DataLoadRepository: Sendable {
    func insert(_ load: DataLoad) async throws
    func update(_ load: DataLoad) async throws
    func loads(of resource: ResourceID, page: PageRequest) async throws -> Page<DataLoad>
    /// The newest succeeded load of the resource: its report describes the current data version.
    func latestSucceeded(of resource: ResourceID) async throws -> DataLoad?
    /// Figures of each resource's current data version, from its succeeded loads (none: no data yet).
    func currentFigures(of resources: [ResourceID]) async throws -> [ResourceID: DataFigures]
}

import Foundation

public struct CatalogFilter: Sendable, Equatable {
    public var text: String?
    public var domain: String?
    public var providerID: OrganizationID?
    public var grade: DataGrade?
    public var openAttribute: OpenAttribute?
    public var origin: DataOrigin?
    public var state: ResourceState?
    /// A category code; the service expands it into `categories` (the node and its descendants).
    public var category: String?
    public var categories: [String] = []
    /// Only published resources, plus every state of this organization's own (nil: everything).
    public var visibleTo: OrganizationID?

    public init(text: String? = nil, domain: String? = nil, providerID: OrganizationID? = nil, grade: DataGrade? = nil,
                openAttribute: OpenAttribute? = nil, origin: DataOrigin? = nil, state: ResourceState? = nil,
                visibleTo: OrganizationID? = nil, category: String? = nil) {
        self.category = category
        self.text = text
        self.domain = domain
        self.providerID = providerID
        self.grade = grade
        self.openAttribute = openAttribute
        self.origin = origin
        self.state = state
        self.visibleTo = visibleTo
    }
}

/// A past state of a resource, kept whenever it changes (R3: schema and data are versioned).
public struct ResourceRevision: Sendable, Equatable {
    public var version: Int
    public var schemaVersion: Int
    public var state: ResourceState
    public var columns: [ColumnSpec]
    public var changedBy: String
    public var change: String
    public var at: Date

    public init(version: Int, schemaVersion: Int, state: ResourceState, columns: [ColumnSpec], changedBy: String, change: String, at: Date) {
        self.version = version
        self.schemaVersion = schemaVersion
        self.state = state
        self.columns = columns
        self.changedBy = changedBy
        self.change = change
        self.at = at
    }
}

public protocol CatalogRepository: Sendable {
    func insert(_ resource: DataResource) async throws
    func get(_ id: ResourceID) async throws -> DataResource?
    /// Writes if the stored version is `resource.version - 1`; else throws `DomainError.stale`.
    func update(_ resource: DataResource) async throws
    func list(_ filter: CatalogFilter, page: PageRequest) async throws -> Page<DataResource>
    func nameExists(_ name: String, provider: OrganizationID) async throws -> Bool
    func addRevision(_ revision: ResourceRevision, of id: ResourceID) async throws
    func revisions(of id: ResourceID) async throws -> [ResourceRevision]
}

import Foundation

/// One column of a resource's schema, with the provider's view of how sensitive it is.
public struct ColumnSpec: Equatable, Sendable, Codable {
    public var name: String
    public var type: ColumnType
    public var description: String
    public var sensitivity: Sensitivity
    public var level: SandboxLevel

    public init(name: String, type: ColumnType, description: String, sensitivity: Sensitivity, level: SandboxLevel? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.sensitivity = sensitivity
        self.level = level ?? SandboxLevel.proposed(for: sensitivity, type: type)
    }
}

public typealias ResourceID = Identifier<ResourceTag>
public enum ResourceTag {}

/// A public data resource (公共数据资源) in the catalog (R3).
public struct DataResource: Equatable, Sendable {
    public var id: ResourceID
    public var providerID: OrganizationID
    public var domain: String
    /// A code of the category tree (R3 分类).
    public var category: String
    public var name: String
    public var description: String
    public var keywords: [String]
    public var grade: DataGrade
    public var openAttribute: OpenAttribute
    public var origin: DataOrigin
    public var updateFrequency: UpdateFrequency
    public var columns: [ColumnSpec]
    public var state: ResourceState
    /// Bumped whenever the columns change; loads record the schema version they were made under.
    public var schemaVersion: Int
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: ResourceID, providerID: OrganizationID, domain: String, category: String, name: String, description: String, keywords: [String],
                grade: DataGrade, openAttribute: OpenAttribute, origin: DataOrigin, updateFrequency: UpdateFrequency,
                columns: [ColumnSpec], state: ResourceState, schemaVersion: Int, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.providerID = providerID
        self.domain = domain
        self.category = category
        self.name = name
        self.description = description
        self.keywords = keywords
        self.grade = grade
        self.openAttribute = openAttribute
        self.origin = origin
        self.updateFrequency = updateFrequency
        self.columns = columns
        self.state = state
        self.schemaVersion = schemaVersion
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The text that catalog search looks in: names, description, keywords, column names and descriptions.
    public var searchText: String {
        ([name, description] + keywords + columns.flatMap { [$0.name, $0.description] }).joined(separator: " ").lowercased()
    }
}

/// The resources that may be offered for authorization: never a prohibited-open one (R21).
/// Every list that can lead to a grant (announcement scope, scenario data lists, data requests)
/// is built through this type, so the rule cannot be skipped.
public struct GrantableResources: Equatable, Sendable {
    public let resources: [DataResource]

    public init(_ resources: [DataResource]) throws(DomainError) {
        if let prohibited = resources.first(where: { $0.openAttribute == .prohibited }) {
            throw .refused("R21", "\(prohibited.name) is prohibited from opening and can never be authorized", field: "resources")
        }
        if let unpublished = resources.first(where: { $0.state != .published }) {
            throw .refused("R3", "\(unpublished.name) is not published in the catalog", field: "resources")
        }
        self.resources = resources
    }
}

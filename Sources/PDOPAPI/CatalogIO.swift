import Foundation
import PDOPDomain

public struct ColumnIn: Decodable, Sendable {
    public static let fields: Set<String> = ["name", "type", "description", "sensitivity", "level"]
    public var name: String
    public var type: String
    public var description: String?
    public var sensitivity: String
    public var level: String?
}

public struct ResourceWrite: APIInput {
    public static let fields: Set<String> = ["providerId", "domain", "name", "description", "keywords", "grade", "openAttribute",
                                             "origin", "updateFrequency", "columns", "version", "category"]
    public static var nestedFields: [String: Set<String>] { ["columns": ColumnIn.fields] }
    public var providerId: String?
    public var domain: String
    public var name: String
    public var description: String
    public var keywords: [String]?
    public var grade: String
    public var openAttribute: String
    public var origin: String
    public var updateFrequency: String
    public var columns: [ColumnIn]?
    /// Required when updating.
    public var version: Int?
    /// A category code; when left out a new resource is filed under its domain's default category.
    public var category: String?

    public func draft() throws -> ResourceDraft {
        ResourceDraft(
            domain: domain, name: name, description: description, keywords: keywords ?? [],
            grade: try parseEnum(DataGrade.self, grade, field: "grade"),
            openAttribute: try parseEnum(OpenAttribute.self, openAttribute, field: "openAttribute"),
            origin: try parseEnum(DataOrigin.self, origin, field: "origin"),
            updateFrequency: try parseEnum(UpdateFrequency.self, updateFrequency, field: "updateFrequency"),
            columns: try (columns ?? []).enumerated().map { index, column in
                let type = try parseEnum(ColumnType.self, column.type, field: "columns.\(index).type")
                let sensitivity = try parseEnum(Sensitivity.self, column.sensitivity, field: "columns.\(index).sensitivity")
                return ColumnSpec(name: column.name, type: type, description: column.description ?? "", sensitivity: sensitivity,
                                  level: try column.level.map { try parseEnum(SandboxLevel.self, $0, field: "columns.\(index).level") })
            }, category: category)
    }
}

public struct ResourceStateChange: APIInput {
    public static let fields: Set<String> = ["state", "version", "reason"]
    public var state: String
    public var version: Int
    public var reason: String?
}

public struct ColumnOut: Encodable, Sendable {
    public var name, type, description, sensitivity, level: String
    public init(_ c: ColumnSpec) {
        name = c.name; type = c.type.rawValue; description = c.description; sensitivity = c.sensitivity.rawValue; level = c.level.rawValue
    }
}

public struct ResourceOut: Encodable, Sendable {
    public var id, providerId, domain, category, name, description: String
    public var keywords: [String]
    public var grade, openAttribute, origin, updateFrequency, state: String
    public var grantable: Bool
    public var columns: [ColumnOut]
    public var schemaVersion, version: Int
    public var createdAt, updatedAt: Date
    /// On reads (list and detail): objections, size, completeness and freshness of the current data.
    public var quality: QualityOut?

    public init(_ r: DataResource, quality: ResourceQuality? = nil) {
        id = r.id.rawValue; providerId = r.providerID.rawValue; domain = r.domain; category = r.category; name = r.name
        description = r.description
        self.quality = quality.map(QualityOut.init)
        keywords = r.keywords; grade = r.grade.rawValue; openAttribute = r.openAttribute.rawValue; origin = r.origin.rawValue
        updateFrequency = r.updateFrequency.rawValue; state = r.state.rawValue
        grantable = (try? GrantableResources([r])) != nil
        columns = r.columns.map(ColumnOut.init); schemaVersion = r.schemaVersion; version = r.version
        createdAt = r.createdAt; updatedAt = r.updatedAt
    }
}

public struct RevisionOut: Encodable, Sendable {
    public var version, schemaVersion: Int
    public var state, changedBy, change: String
    public var columns: [ColumnOut]
    public var at: Date

    public init(_ r: ResourceRevision) {
        version = r.version; schemaVersion = r.schemaVersion; state = r.state.rawValue; changedBy = r.changedBy
        change = r.change; columns = r.columns.map(ColumnOut.init); at = r.at
    }
}

public struct DomainAreaOut: Encodable, Sendable {
    public var code, nameZh, nameEn, leadDepartment: String
    public init(_ d: DomainArea) { code = d.code; nameZh = d.nameZh; nameEn = d.nameEn; leadDepartment = d.leadDepartment }
}

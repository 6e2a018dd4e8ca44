import Foundation
import PDOPDomain

/// A category of the catalog's tree (R3 分类).
public struct CategoryWrite: APIInput {
    public static let fields: Set<String> = ["code", "nameZh", "nameEn", "parentCode", "version"]
    /// Required when creating; the path names it when updating.
    public var code: String?
    public var nameZh: String
    public var nameEn: String
    public var parentCode: String?
    /// Required when updating.
    public var version: Int?

    public func draft(code fixed: String? = nil) -> CategoryDraft {
        CategoryDraft(code: fixed ?? code ?? "", nameZh: nameZh, nameEn: nameEn, parentCode: parentCode)
    }
}

public struct CategoryOut: Encodable, Sendable {
    public var code, nameZh, nameEn: String
    public var parentCode: String?
    public var depth, version: Int

    public init(_ c: CatalogCategory, depth: Int) {
        code = c.code; nameZh = c.nameZh; nameEn = c.nameEn; parentCode = c.parentCode; self.depth = depth; version = c.version
    }
}

/// Applies the latest load's detected schema; proposals not rejected are confirmed (R3, R5).
public struct SchemaApply: APIInput {
    public static let fields: Set<String> = ["loadId", "version", "rejectedProposals"]
    public var loadId: String
    public var version: Int
    public var rejectedProposals: [String]?
}

public struct QualityOut: Encodable, Sendable {
    public struct ObjectionsOut: Encodable, Sendable { public var total, open, overdue, corrected: Int }
    public struct FreshnessOut: Encodable, Sendable {
        public var state: String
        public var ageDays, limitDays: Int?
        public var lastLoadedAt: Date?
    }

    public var objections: ObjectionsOut
    public var freshness: FreshnessOut
    public var dataVersion, rowCount: Int?
    /// 1 − mean null rate of the current version's columns, 0…1.
    public var completeness: Double?

    public init(_ q: ResourceQuality) {
        objections = ObjectionsOut(total: q.objections.total, open: q.objections.open, overdue: q.objections.overdue,
                                   corrected: q.objections.corrected)
        freshness = FreshnessOut(state: q.freshness.state.rawValue, ageDays: q.freshness.ageDays, limitDays: q.freshness.limitDays,
                                 lastLoadedAt: q.freshness.lastLoadedAt)
        dataVersion = q.data?.dataVersion
        rowCount = q.data?.rowCount
        completeness = q.data?.completeness.map { ($0 * 10_000).rounded() / 10_000 }
    }
}

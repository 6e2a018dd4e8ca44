import Foundation

/// A node of the catalog's category tree (分类, R3), managed by the public data authority.
public struct CatalogCategory: Equatable, Sendable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var parentCode: String?
    public var version: Int

    public init(code: String, nameZh: String, nameEn: String, parentCode: String?, version: Int = 1) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.parentCode = parentCode
        self.version = version
    }
}

/// The whole tree, read in one go (it is small): lookups, descendants and display order.
public struct CategoryTree: Sendable, Equatable {
    public let categories: [CatalogCategory]
    private let byCode: [String: CatalogCategory]
    private let childrenByParent: [String: [CatalogCategory]]

    public init(_ categories: [CatalogCategory]) {
        self.categories = categories
        byCode = Dictionary(categories.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        childrenByParent = Dictionary(grouping: categories, by: { $0.parentCode ?? "" }).mapValues { $0.sorted { $0.code < $1.code } }
    }

    public func category(_ code: String) -> CatalogCategory? { byCode[code] }

    public func children(of code: String?) -> [CatalogCategory] { childrenByParent[code ?? ""] ?? [] }

    /// The code itself and every code below it.
    public func subtree(_ code: String) -> [String] {
        guard byCode[code] != nil else { return [] }
        var result = [code]
        var index = 0
        while index < result.count {
            result += children(of: result[index]).map(\.code)
            index += 1
        }
        return result
    }

    /// Root first: 主题信息 › 医疗健康.
    public func path(_ code: String) -> [CatalogCategory] {
        var path: [CatalogCategory] = []
        var current = byCode[code]
        while let node = current, !path.contains(node) {
            path.insert(node, at: 0)
            current = node.parentCode.flatMap { byCode[$0] }
        }
        return path
    }

    /// Depth-first, each level by code, with each node's depth (0 for roots).
    public var ordered: [(category: CatalogCategory, depth: Int)] {
        var result: [(category: CatalogCategory, depth: Int)] = []
        func visit(_ parent: String?, _ depth: Int) {
            for child in children(of: parent) {
                result.append((category: child, depth: depth))
                visit(child.code, depth + 1)
            }
        }
        visit(nil, 0)
        return result
    }

    public static func == (lhs: CategoryTree, rhs: CategoryTree) -> Bool { lhs.categories == rhs.categories }
}

public protocol CategoryRepository: Sendable {
    func all() async throws -> [CatalogCategory]
    func insert(_ category: CatalogCategory) async throws
    /// Writes if the stored version is `category.version - 1`; else throws `DomainError.stale`.
    func update(_ category: CatalogCategory) async throws
    func delete(_ code: String) async throws
    /// How many resources (any state) are filed under exactly this code.
    func resourceCount(_ code: String) async throws -> Int
}

/// The tree the platform starts with (seeded by platform migration 5; later changes are the
/// authority's), and where a resource goes when its provider names no category.
public enum DefaultCategories {
    public static let seed: [CatalogCategory] = [
        CatalogCategory(code: "basic", nameZh: "基础信息", nameEn: "Basic information", parentCode: nil),
        CatalogCategory(code: "basic.population", nameZh: "人口信息", nameEn: "Population", parentCode: "basic"),
        CatalogCategory(code: "basic.legal_entity", nameZh: "法人信息", nameEn: "Legal entities", parentCode: "basic"),
        CatalogCategory(code: "basic.geography", nameZh: "自然资源和空间地理", nameEn: "Natural resources and geography", parentCode: "basic"),
        CatalogCategory(code: "basic.credit", nameZh: "社会信用", nameEn: "Social credit", parentCode: "basic"),
        CatalogCategory(code: "theme", nameZh: "主题信息", nameEn: "Thematic information", parentCode: nil),
        CatalogCategory(code: "theme.health", nameZh: "医疗健康", nameEn: "Health care", parentCode: "theme"),
        CatalogCategory(code: "theme.social_security", nameZh: "社会保障", nameEn: "Social security", parentCode: "theme"),
        CatalogCategory(code: "theme.transport", nameZh: "交通出行", nameEn: "Transport", parentCode: "theme"),
        CatalogCategory(code: "theme.culture_tourism", nameZh: "文化旅游", nameEn: "Culture and tourism", parentCode: "theme"),
        CatalogCategory(code: "theme.economy", nameZh: "经济运行", nameEn: "Economy", parentCode: "theme"),
        CatalogCategory(code: "theme.environment", nameZh: "生态环境", nameEn: "Environment", parentCode: "theme"),
        CatalogCategory(code: "department", nameZh: "部门信息", nameEn: "Department information", parentCode: nil),
        CatalogCategory(code: "department.services", nameZh: "政务服务", nameEn: "Government services", parentCode: "department"),
        CatalogCategory(code: "department.supervision", nameZh: "监管执法", nameEn: "Supervision and enforcement", parentCode: "department"),
        CatalogCategory(code: "department.other", nameZh: "其他部门数据", nameEn: "Other department data", parentCode: "department"),
    ]

    /// Where each R21 domain's resources go by default (also how migration 5 filed existing rows).
    public static let byDomain: [String: String] = [
        "credit": "basic.credit", "enterprise_registration": "basic.legal_entity", "geography": "basic.geography",
        "resources": "basic.geography", "medical": "theme.health", "health": "theme.health", "medical_insurance": "theme.health",
        "social_security": "theme.social_security", "employment": "theme.social_security", "housing_fund": "theme.social_security",
        "transport": "theme.transport", "logistics": "theme.transport", "culture": "theme.culture_tourism",
        "tourism": "theme.culture_tourism", "sports": "theme.culture_tourism", "finance": "theme.economy", "commerce": "theme.economy",
        "industry": "theme.economy", "statistics": "theme.economy", "agriculture": "theme.economy", "environment": "theme.environment",
        "meteorology": "theme.environment", "quality": "department.supervision", "public_security": "department.supervision",
        "emergency": "department.supervision", "education": "department.services", "science": "department.services",
        "housing": "department.services",
    ]

    public static let fallback = "department.other"

    public static func code(forDomain domain: String) -> String { byDomain[domain] ?? fallback }
}

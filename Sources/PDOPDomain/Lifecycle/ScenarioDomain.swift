/// R22: the scenario domains an application's scenarios belong to, each with its lead department.
public struct ScenarioDomain: Sendable, Equatable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let leadDepartment: String

    public static let all: [ScenarioDomain] = [
        ScenarioDomain(code: "finance_insurance", nameZh: "金融保险", nameEn: "Finance and insurance", leadDepartment: "县金融工作服务中心"),
        ScenarioDomain(code: "health", nameZh: "医疗健康", nameEn: "Health", leadDepartment: "县卫生健康局"),
        ScenarioDomain(code: "transport", nameZh: "交通出行", nameEn: "Transport", leadDepartment: "县交通运输局"),
        ScenarioDomain(code: "commerce", nameZh: "商贸流通", nameEn: "Commerce", leadDepartment: "县商务局"),
        ScenarioDomain(code: "market_supervision", nameZh: "市场监管", nameEn: "Market supervision", leadDepartment: "县市场监督管理局"),
        ScenarioDomain(code: "culture_tourism", nameZh: "文化旅游", nameEn: "Culture and tourism", leadDepartment: "县文化广电旅游局"),
        ScenarioDomain(code: "other", nameZh: "其他（跨部门）", nameEn: "Other (cross-department)", leadDepartment: "县数据局"),
    ]

    public static func named(_ code: String) -> ScenarioDomain? { all.first { $0.code == code } }
}

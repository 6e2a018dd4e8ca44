/// R21: the domains in which public data may be authorized, each with its lead department.
public struct DomainArea: Sendable, Equatable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let leadDepartment: String

    public static let all: [DomainArea] = [
        DomainArea(code: "credit", nameZh: "信用", nameEn: "Credit", leadDepartment: "县发展和改革局"),
        DomainArea(code: "transport", nameZh: "交通", nameEn: "Transport", leadDepartment: "县交通运输局"),
        DomainArea(code: "medical", nameZh: "医疗", nameEn: "Medical care", leadDepartment: "县卫生健康局"),
        DomainArea(code: "health", nameZh: "卫生", nameEn: "Public health", leadDepartment: "县卫生健康局"),
        DomainArea(code: "employment", nameZh: "就业", nameEn: "Employment", leadDepartment: "县人力资源和社会保障局"),
        DomainArea(code: "social_security", nameZh: "社保", nameEn: "Social insurance", leadDepartment: "县人力资源和社会保障局"),
        DomainArea(code: "geography", nameZh: "地理", nameEn: "Geography", leadDepartment: "县自然资源和规划局"),
        DomainArea(code: "culture", nameZh: "文化", nameEn: "Culture", leadDepartment: "县文化广电旅游局"),
        DomainArea(code: "education", nameZh: "教育", nameEn: "Education", leadDepartment: "县教育体育局"),
        DomainArea(code: "science", nameZh: "科技", nameEn: "Science and technology", leadDepartment: "县科学技术局"),
        DomainArea(code: "resources", nameZh: "资源", nameEn: "Natural resources", leadDepartment: "县自然资源和规划局"),
        DomainArea(code: "agriculture", nameZh: "农业", nameEn: "Agriculture", leadDepartment: "县农业农村局"),
        DomainArea(code: "environment", nameZh: "环境", nameEn: "Environment", leadDepartment: "市生态环境局新昌分局"),
        DomainArea(code: "emergency", nameZh: "应急", nameEn: "Emergency management", leadDepartment: "县应急管理局"),
        DomainArea(code: "finance", nameZh: "金融", nameEn: "Finance", leadDepartment: "县金融工作服务中心"),
        DomainArea(code: "quality", nameZh: "质量", nameEn: "Quality", leadDepartment: "县市场监督管理局"),
        DomainArea(code: "statistics", nameZh: "统计", nameEn: "Statistics", leadDepartment: "县统计局"),
        DomainArea(code: "meteorology", nameZh: "气象", nameEn: "Meteorology", leadDepartment: "县气象局"),
        DomainArea(code: "enterprise_registration", nameZh: "企业登记监管", nameEn: "Enterprise registration and supervision",
                   leadDepartment: "县市场监督管理局"),
        DomainArea(code: "medical_insurance", nameZh: "医保", nameEn: "Medical insurance", leadDepartment: "县医疗保障局"),
        DomainArea(code: "housing", nameZh: "住建", nameEn: "Housing and construction", leadDepartment: "县住房和城乡建设局"),
        DomainArea(code: "housing_fund", nameZh: "公积金", nameEn: "Housing provident fund", leadDepartment: "县住房公积金管理中心"),
        DomainArea(code: "commerce", nameZh: "商贸", nameEn: "Commerce and trade", leadDepartment: "县商务局"),
        DomainArea(code: "logistics", nameZh: "物流", nameEn: "Logistics", leadDepartment: "县商务局"),
        DomainArea(code: "industry", nameZh: "工业", nameEn: "Industry", leadDepartment: "县经济和信息化局"),
        DomainArea(code: "sports", nameZh: "体育", nameEn: "Sports", leadDepartment: "县教育体育局"),
        DomainArea(code: "tourism", nameZh: "旅游", nameEn: "Tourism", leadDepartment: "县文化广电旅游局"),
        DomainArea(code: "public_security", nameZh: "公共安全", nameEn: "Public security", leadDepartment: "县公安局"),
    ]

    public static func named(_ code: String) -> DomainArea? { all.first { $0.code == code } }
}

/// The parties of the plan (REQUIREMENTS.md, "Parties"). A user holds roles within one organization.
public enum Role: String, CaseIterable, Codable, Sendable {
    case authority = "authority"
    case coordinationMember = "coordination_member"
    case provider = "provider"
    case domainLead = "domain_lead"
    case expert = "expert"
    case province = "province"
    case operatorManager = "operator_manager"
    case operatorTechnical = "operator_technical"
    case operatorOperations = "operator_operations"
    case regulator = "regulator"
    case buyer = "buyer"

    /// The kinds of organization whose users may hold this role.
    public var allowedOrganizationKinds: Set<OrganizationKind> {
        switch self {
        case .authority: [.authority]
        case .coordinationMember: [.authority, .department, .regulator]
        case .provider, .domainLead: [.department]
        case .expert: [.expertCommittee]
        case .province: [.province]
        case .operatorManager, .operatorTechnical, .operatorOperations: [.operator]
        case .regulator: [.regulator]
        case .buyer: [.buyer]
        }
    }

    public var isOperatorStaff: Bool {
        self == .operatorManager || self == .operatorTechnical || self == .operatorOperations
    }
}

public enum OrganizationKind: String, CaseIterable, Codable, Sendable {
    case authority           // 公共数据主管部门
    case department          // provider departments and domain leads
    case expertCommittee = "expert_committee"
    case province            // 省公共数据主管部门
    case regulator           // 网信、公安、市场监管…
    case `operator`          // 授权运营主体
    case buyer               // 数据产品使用方
}

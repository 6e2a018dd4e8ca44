import Foundation

public struct OrganizationCreate: APIInput {
    public static let fields: Set<String> = ["name", "nameEn", "kind", "creditCode"]
    public var name: String
    public var nameEn: String?
    public var kind: String
    public var creditCode: String?
}

public struct OrganizationUpdate: APIInput {
    public static let fields: Set<String> = ["name", "nameEn", "version"]
    public var name: String
    public var nameEn: String?
    public var version: Int
}

public struct StateChange: APIInput {
    public static let fields: Set<String> = ["state", "version", "reason"]
    public var state: String
    public var version: Int
    public var reason: String
}

public struct UserCreate: APIInput {
    public static let fields: Set<String> = ["organizationId", "username", "displayName", "password", "roles"]
    public var organizationId: String
    public var username: String
    public var displayName: String
    public var password: String
    public var roles: [String]
}

public struct RolesUpdate: APIInput {
    public static let fields: Set<String> = ["roles", "version"]
    public var roles: [String]
    public var version: Int
}

public struct PasswordChange: APIInput {
    public static let fields: Set<String> = ["currentPassword", "newPassword"]
    public var currentPassword: String
    public var newPassword: String
}

public struct TokenCreate: APIInput {
    public static let fields: Set<String> = ["name", "expiresInDays"]
    public var name: String
    public var expiresInDays: Int?
}

public struct CoordinationMemberCreate: APIInput {
    public static let fields: Set<String> = ["organizationId", "basis"]
    public var organizationId: String
    public var basis: String
}

public struct ExpertCreate: APIInput {
    public static let fields: Set<String> = ["userId", "field"]
    public var userId: String
    public var field: String
}

public struct AuditPurge: APIInput {
    public static let fields: Set<String> = ["before"]
    public var before: Date
}

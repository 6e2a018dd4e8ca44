import PDOPDomain

/// Who reaches the sandbox's routes, for the JSON API and the console alike (issue 5).
enum SandboxReach {
    static let operatorStaff: [Role: ScopeKind] = [.operatorManager: .own, .operatorTechnical: .own, .operatorOperations: .own]
    /// Who asks for data, runs queries and model jobs and asks for exports: the manager and technical staff.
    static let analysts: [Role: ScopeKind] = [.operatorManager: .own, .operatorTechnical: .own]
    /// The operator its own; a provider those touching its data (see `providerView`); overseers all.
    static let requestReaders: [Role: ScopeKind] = operatorStaff.merging(
        [.authority: .all, .provider: .own, .province: .all, .regulator: .all]) { $1 }
    static let requestDeciders: [Role: ScopeKind] = [.authority: .all, .provider: .own, .province: .all]
    static let workspaceReaders: [Role: ScopeKind] = operatorStaff.merging([.authority: .all, .regulator: .all]) { $1 }
    static let haltParties: [Role: ScopeKind] = operatorStaff.merging([.authority: .all]) { $1 }
    static let exportReaders: [Role: ScopeKind] = operatorStaff.merging([.authority: .all, .provider: .own, .regulator: .all]) { $1 }
    static let exportDeciders: [Role: ScopeKind] = [.authority: .all, .provider: .own]
    static let usageReaders: [Role: ScopeKind] = operatorStaff.merging([.authority: .all]) { $1 }
    static let providers: [Role: ScopeKind] = [.provider: .own]

    /// A provider (without a wider role) sees requests and exports touching its own data: the
    /// service filters by that organization instead of by owner.
    static func providerView(_ caller: Caller) -> OrganizationID? {
        guard let principal = caller.principal, caller.scope != .all, principal.user.roles.contains(.provider) else { return nil }
        return principal.organization.id
    }
}

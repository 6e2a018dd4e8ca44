import Foundation
import Hummingbird
import PDOPDomain

/// Console pages of the authorization lifecycle (issue 4 item 14): the authority's workbench, the
/// reviewers' inbox, the operator's application wizard and file, the province's filings, and the
/// public announcement, disclosure and seal pages.
struct LifecycleConsole {
    let services: PlatformServices
    let page: ConsolePage
    var lifecycle: LifecycleService { services.lifecycle }
    var views: ViewRenderer { services.views }

    static let operatorManager: [Role: ScopeKind] = [.operatorManager: .own]
    static let operatorStaff: [Role: ScopeKind] = [.operatorManager: .own, .operatorTechnical: .own, .operatorOperations: .own]
    /// Who takes part in applications: the operator, the authority, its reviewers and supervisors.
    static let applicationParties: [Role: ScopeKind] = operatorStaff.merging(
        [.authority: .all, .provider: .own, .coordinationMember: .own, .expert: .own, .regulator: .own, .province: .all]) { $1 }
    static let agreementParties: [Role: ScopeKind] = operatorStaff.merging([.authority: .all, .regulator: .all, .province: .all]) { $1 }
    static let reviewers: [Role: ScopeKind] = [.authority: .all, .provider: .own, .coordinationMember: .own]

    var routes: [Route] {
        announcementRoutes + applicationRoutes + reviewRoutes + agreementRoutes + operatorFileRoutes + trainingRoutes + publicRoutes
    }

    func names() async throws -> [OrganizationID: String] { try await services.parties.organizationNames() }

    func text(_ key: String, _ locale: Locale) -> String { views.text(key, locale) }

    /// A form's date (yyyy-MM-dd) as the start of that day in China Standard Time.
    func day(_ caller: Caller, _ field: String) throws -> Date {
        let value = caller.field(field)
        let parts = value.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1900...2200).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            throw DomainError.invalid(field, "must be a date (YYYY-MM-DD)")
        }
        return CivilCalendar.chinaStartOfDay(year: parts[0], month: parts[1], day: parts[2])
    }

    /// The organizations ticked in a form's checkbox group `name_<id>=on`.
    func ticked(_ caller: Caller, prefix: String) -> [OrganizationID] {
        caller.form.keys.filter { $0.hasPrefix(prefix) && caller.form[$0] == "on" }.sorted()
            .map { OrganizationID(String($0.dropFirst(prefix.count))) }
    }

    func coordinationMembers(_ names: [OrganizationID: String]) async throws -> [[String: Any]] {
        try await services.parties.coordinationMembers().map { ["id": $0.organizationID.rawValue, "name": names[$0.organizationID] ?? $0.organizationID.rawValue] }
    }

    /// Catalog names of resources, once each; an id the catalog no longer knows stands for itself.
    func resourceNames(_ ids: [ResourceID]) async -> [ResourceID: String] {
        var names: [ResourceID: String] = [:]
        for id in ids where names[id] == nil {
            names[id] = (try? await services.catalog.resource(id, scope: .all))?.name ?? id.rawValue
        }
        return names
    }

    /// An announcement's scope resources, named, for its pages.
    func scopeResources(_ announcement: Announcement) async -> [[String: Any]] {
        let names = await resourceNames(announcement.resourceIDs)
        return announcement.resourceIDs.map { ["id": $0.rawValue, "name": names[$0] ?? $0.rawValue] }
    }

    func roles(_ caller: Caller) -> Set<Role> { caller.principal?.user.roles ?? [] }

    func scenarioDomainLabel(_ code: String, _ locale: Locale) -> String {
        ScenarioDomain.named(code).map { locale == .zhCN ? $0.nameZh : $0.nameEn } ?? code
    }
}

extension Date {
    /// The day in China Standard Time, for date fields.
    var consoleDay: String { CivilCalendar.chinaDay(of: self) }
}

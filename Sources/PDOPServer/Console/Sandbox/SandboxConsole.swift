import Foundation
import Hummingbird
import PDOPDomain
import PDOPSandbox

/// Console pages of the sandbox (issue 5 item 9): data requests and their approval, providers'
/// column policies, workspaces with queries, model jobs, the ε ledger and stops, reviewed exports
/// and metered use. Operator staff see their own organization's; the authority everything; a
/// provider the requests and exports touching its data; the province the requests; regulators read.
struct SandboxConsole {
    let services: PlatformServices
    let page: ConsolePage
    var sandbox: SandboxService { services.sandbox }
    var views: ViewRenderer { services.views }

    var routes: [Route] {
        requestRoutes + policyRoutes + workspaceRoutes + outputRoutes + exportRoutes
    }

    func text(_ key: String, _ locale: Locale) -> String { views.text(key, locale) }

    func roles(_ caller: Caller) -> Set<Role> { caller.principal?.user.roles ?? [] }

    func names() async throws -> [OrganizationID: String] { try await services.parties.organizationNames() }

    /// Whether the caller is staff of the operator `owner` (and may act on its workspace).
    func isStaff(_ caller: Caller, of owner: OrganizationID, analyst: Bool = false) -> Bool {
        let roles = roles(caller)
        let wanted: Set<Role> = analyst ? [.operatorManager, .operatorTechnical] : [.operatorManager, .operatorTechnical, .operatorOperations]
        return !roles.isDisjoint(with: wanted) && caller.principal?.organization.id == owner
    }

    /// The approval parties the signed-in user decides for.
    func parties(_ caller: Caller) -> [ApprovalParty] { SandboxService.parties(of: caller.actor) }

    func partyLabel(_ party: ApprovalParty, _ names: [OrganizationID: String], _ locale: Locale) -> String {
        switch party {
        case .authority: text("sandbox.party.authority", locale)
        case .province: text("sandbox.party.province", locale)
        case .provider(let org): "\(text("sandbox.party.provider", locale)) · \(names[org] ?? org.rawValue)"
        }
    }

    func slotRows(_ slots: [ApprovalSlot], _ names: [OrganizationID: String], _ locale: Locale) -> [[String: Any]] {
        slots.map { slot in
            ["party": partyLabel(slot.party, names, locale), "decision": text("sandbox.decision.\(slot.decision.rawValue)", locale),
             "decisionCode": slot.decision.rawValue, "by": slot.decidedBy ?? "", "at": slot.decidedAt?.consoleText ?? "",
             "reason": slot.reason ?? ""]
        }
    }

    func levelLabel(_ level: SandboxLevel, _ locale: Locale) -> String { text("sandbox.level.\(level.rawValue)", locale) }

    /// A number typed in a form; blank is nil, anything else that is not a number is refused.
    func optionalNumber(_ caller: Caller, _ name: String, field: String? = nil) throws -> Double? {
        let value = caller.field(name).trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return nil }
        guard let number = Double(value), number.isFinite else { throw DomainError.invalid(field ?? name, "must be a number") }
        return number
    }

    func optionalInteger(_ caller: Caller, _ name: String, field: String? = nil) throws -> Int? {
        let value = caller.field(name).trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return nil }
        guard let number = Int(value) else { throw DomainError.invalid(field ?? name, "must be an integer") }
        return number
    }

    /// ε as the ledger counts it: exact to 6 decimals, no trailing zeros.
    static func epsilon(_ value: Epsilon) -> String { value.description }

    /// An ε an answer states, shown as what the ledger charged for it (rounded up to 6 decimals).
    static func epsilon(_ value: Double) -> String { Epsilon.charge(value)?.description ?? number(value, decimals: 6) }

    static func number(_ value: Double, decimals: Int = 2) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.\(decimals)f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    func pager<T>(_ page: Page<T>, path: String, query: [(String, String)] = []) -> [String: Any] {
        Pager.model(page.total, limit: page.limit, offset: page.offset, path: path, query: query)
    }
}

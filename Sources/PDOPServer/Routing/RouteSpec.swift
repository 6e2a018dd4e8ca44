import HTTPTypes
import PDOPDomain

/// How far a role reaches on a route: every organization's objects, or only its own.
public enum ScopeKind: String, Sendable {
    case all, own
}

/// Who may call a route. Anything not declared is denied (deny by default).
public enum Access: Sendable, Equatable {
    /// No login needed (login page, health, public disclosure pages).
    case everyone
    /// Any signed-in user, on their own things only.
    case signedIn
    /// The listed roles, each with its reach.
    case roles([Role: ScopeKind])
}

public enum RouteAudience: String, Sendable {
    case api, console, system
}

/// One line of the route table: the single place that says who may call what.
public struct RouteSpec: Sendable, Equatable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String
    public var access: Access
    public var audience: RouteAudience
    /// The handler writes its own audit entries for refusals too (login).
    public var auditsItself: Bool
    /// The handler reads the body as a stream (uploads); it is not collected up to the JSON limit.
    /// A console route that streams checks the CSRF token itself (`Gatekeeper.requireCSRF`).
    public var streamsBody: Bool

    public init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, audience: RouteAudience, auditsItself: Bool = false,
                streamsBody: Bool = false) {
        self.method = method
        self.path = path
        self.access = access
        self.audience = audience
        self.auditsItself = auditsItself
        self.streamsBody = streamsBody
    }

    public var changesState: Bool { method != .get && method != .head }

    public var description: String { "\(method.rawValue) \(path)" }

    /// The caller's reach on this route, or nil when none of its roles is admitted.
    public func scope(for principal: Principal) -> AccessScope? {
        switch access {
        case .everyone, .signedIn:
            return .organization(principal.organization.id)
        case .roles(let table):
            let kinds = principal.user.roles.compactMap { table[$0] }
            if kinds.contains(.all) { return .all }
            if kinds.contains(.own) { return .organization(principal.organization.id) }
            return nil
        }
    }
}

/// Role groups used by the route table, so each line stays readable.
public enum Reach {
    public static let authorityOnly: [Role: ScopeKind] = [.authority: .all]
    /// Supervisors read everything: the authority and regulators (R18, R19).
    public static let supervisors: [Role: ScopeKind] = [.authority: .all, .regulator: .all]
    /// Information every signed-in party may read (governance bodies).
    public static let everyRole: [Role: ScopeKind] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, ScopeKind.all) })
    /// Every role sees its own organization; supervisors see all.
    public static let everyRoleOwnOrg: [Role: ScopeKind] = Dictionary(
        uniqueKeysWithValues: Role.allCases.map { ($0, $0 == .authority || $0 == .regulator ? ScopeKind.all : .own) })
}

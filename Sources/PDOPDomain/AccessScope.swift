/// Which organizations' objects a caller may see on a route: all, or only its own.
/// Objects outside the scope answer "not found", so their existence is not disclosed.
public enum AccessScope: Sendable, Equatable {
    case all
    case organization(OrganizationID)

    public func permits(_ organization: OrganizationID) -> Bool {
        switch self {
        case .all: true
        case .organization(let own): own == organization
        }
    }

    public var onlyOrganization: OrganizationID? {
        if case .organization(let id) = self { return id }
        return nil
    }
}

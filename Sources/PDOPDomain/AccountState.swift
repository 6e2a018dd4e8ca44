/// Lifecycle shared by organizations and user accounts.
/// pending → active ⇄ suspended; any state → closed; closed is final.
public enum AccountState: String, CaseIterable, Codable, Sendable {
    case pending, active, suspended, closed

    /// Whether members can use the platform in this state.
    public var grantsAccess: Bool { self == .active }

    public func transition(to target: AccountState) throws(DomainError) -> AccountState {
        switch (self, target) {
        case (.pending, .active), (.active, .suspended), (.suspended, .active),
             (.pending, .closed), (.active, .closed), (.suspended, .closed):
            return target
        default:
            throw .wrongState(rawValue, "cannot change state from \(rawValue) to \(target.rawValue)")
        }
    }

    /// Leaving these states must cut every session and token at once (issue 2, R8).
    public var revokesCredentials: Bool { self == .suspended || self == .closed }
}

/// Every refusal the domain can give. A handler maps the kind to an HTTP status; `rule` names the
/// requirement (R-id) or platform rule that refused, so the answer can be traced to the plan.
public struct DomainError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case invalidInput      // 400: malformed value for a field
        case unauthenticated   // 401
        case forbidden         // 403: role not allowed
        case notFound          // 404: unknown, or another organization's object
        case conflict          // 409: wrong state for the action, or a duplicate
        case staleVersion      // 409: optimistic concurrency
        case ruleRefusal       // 422: a policy rule refused
        case rateLimited       // 429
    }

    public var kind: Kind
    /// Message key into the string tables; the English text is the fallback.
    public var message: String
    public var field: String?
    public var rule: String?
    /// The current state, for `.conflict`, so the client knows why.
    public var state: String?
    public var retryAfterSeconds: Int?

    public init(_ kind: Kind, _ message: String, field: String? = nil, rule: String? = nil,
                state: String? = nil, retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
        self.rule = rule
        self.state = state
        self.retryAfterSeconds = retryAfterSeconds
    }

    public static func invalid(_ field: String, _ message: String, rule: String? = nil) -> DomainError {
        DomainError(.invalidInput, message, field: field, rule: rule)
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, "\(what) not found")
    }

    public static func refused(_ rule: String, _ message: String, field: String? = nil) -> DomainError {
        DomainError(.ruleRefusal, message, field: field, rule: rule)
    }

    public static func wrongState(_ state: String, _ message: String) -> DomainError {
        DomainError(.conflict, message, state: state)
    }

    public static let stale = DomainError(.staleVersion, "the object was changed by someone else; reload and try again")
}

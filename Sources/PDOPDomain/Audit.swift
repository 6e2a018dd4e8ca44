import Foundation

public enum AuditOutcome: String, Codable, Sendable, CaseIterable {
    case allowed, denied, failed
}

/// Who acts: a signed-in user, or the platform itself (scheduler, CLI).
public struct Actor: Sendable, Equatable {
    public var userID: UserID?
    public var username: String
    public var organizationID: OrganizationID?
    public var roles: Set<Role>
    public var requestID: String?
    public var sourceIP: String?

    public init(userID: UserID?, username: String, organizationID: OrganizationID?, roles: Set<Role>,
                requestID: String? = nil, sourceIP: String? = nil) {
        self.userID = userID
        self.username = username
        self.organizationID = organizationID
        self.roles = roles
        self.requestID = requestID
        self.sourceIP = sourceIP
    }

    public static func system(_ name: String) -> Actor {
        Actor(userID: nil, username: "system:\(name)", organizationID: nil, roles: [])
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
}

/// One line of the audit log, before the store gives it a sequence number, a time and a hash.
public struct AuditEvent: Sendable, Equatable {
    public var actor: Actor
    public var action: String
    public var objectType: String
    public var objectID: String?
    /// Human-readable name of the object (a username, an organization name) for searching.
    public var objectLabel: String?
    public var outcome: AuditOutcome
    public var reason: String?
    public var details: [String: String]

    public init(actor: Actor, action: String, objectType: String, objectID: String? = nil,
                objectLabel: String? = nil, outcome: AuditOutcome = .allowed, reason: String? = nil,
                details: [String: String] = [:]) {
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.objectLabel = objectLabel
        self.outcome = outcome
        self.reason = reason
        self.details = details
    }
}

/// A stored audit entry as readers see it.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var time: Date
    public var actorUserID: String?
    public var actorName: String
    public var organizationID: String?
    public var roles: String
    public var action: String
    public var objectType: String
    public var objectID: String?
    public var objectLabel: String?
    public var outcome: AuditOutcome
    public var reason: String?
    public var requestID: String?
    public var sourceIP: String?
    public var detailsJSON: String
    public var hash: String

    public init(sequence: Int64, time: Date, actorUserID: String?, actorName: String, organizationID: String?,
                roles: String, action: String, objectType: String, objectID: String?, objectLabel: String?,
                outcome: AuditOutcome, reason: String?, requestID: String?, sourceIP: String?,
                detailsJSON: String, hash: String) {
        self.sequence = sequence
        self.time = time
        self.actorUserID = actorUserID
        self.actorName = actorName
        self.organizationID = organizationID
        self.roles = roles
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.objectLabel = objectLabel
        self.outcome = outcome
        self.reason = reason
        self.requestID = requestID
        self.sourceIP = sourceIP
        self.detailsJSON = detailsJSON
        self.hash = hash
    }
}

public struct AuditFilter: Sendable, Equatable {
    /// Matches actor name, action, object id or label (substring).
    public var text: String?
    public var action: String?
    public var outcome: AuditOutcome?
    public var organizationID: OrganizationID?
    /// Exactly this object (an agreement, an application…).
    public var objectID: String?
    public var from: Date?
    public var to: Date?

    public init(text: String? = nil, action: String? = nil, outcome: AuditOutcome? = nil,
                organizationID: OrganizationID? = nil, objectID: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.objectID = objectID
        self.text = text
        self.action = action
        self.outcome = outcome
        self.organizationID = organizationID
        self.from = from
        self.to = to
    }
}

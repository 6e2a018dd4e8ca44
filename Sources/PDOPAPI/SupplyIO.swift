import Foundation
import PDOPDomain

public struct DemandCreate: APIInput {
    public static let fields: Set<String> = ["domain", "title", "description", "wantedFields"]
    public var domain: String
    public var title: String
    public var description: String
    public var wantedFields: String?
}

public struct DemandRouteIn: APIInput {
    public static let fields: Set<String> = ["providerId", "version"]
    public var providerId: String
    public var version: Int
}

public struct DemandAnswerIn: APIInput {
    public static let fields: Set<String> = ["answer", "reason", "version"]
    public var answer: String
    public var reason: String?
    public var version: Int
}

public struct ObjectionCreate: APIInput {
    public static let fields: Set<String> = ["reason", "evidence"]
    public var reason: String
    public var evidence: String
}

public struct ObjectionAnswerIn: APIInput {
    public static let fields: Set<String> = ["resolution", "response", "version"]
    public var resolution: String
    public var response: String
    public var version: Int
}

public struct DemandOut: Encodable, Sendable {
    public var id, operatorId, domain, title, description, wantedFields, state: String
    public var providerId: String?
    public var dueAt: Date?
    public var overdue: Bool
    public var answer, answerReason: String?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ d: Demand) {
        id = d.id.rawValue; operatorId = d.operatorID.rawValue; domain = d.domain; title = d.title; description = d.description
        wantedFields = d.wantedFields; state = d.state.rawValue; providerId = d.providerID?.rawValue; dueAt = d.dueAt
        overdue = d.overdue; answer = d.answer?.rawValue; answerReason = d.answerReason; version = d.version
        createdAt = d.createdAt; updatedAt = d.updatedAt
    }
}

public struct ObjectionOut: Encodable, Sendable {
    public var id, resourceId, providerId, raisedBy, raisedByOrganization, reason, evidence, state: String
    public var dueAt: Date
    public var overdue: Bool
    public var resolution, response: String?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ o: Objection) {
        id = o.id.rawValue; resourceId = o.resourceID.rawValue; providerId = o.providerID.rawValue; raisedBy = o.raisedBy.rawValue
        raisedByOrganization = o.raisedByOrganization.rawValue; reason = o.reason.rawValue; evidence = o.evidence
        state = o.state.rawValue; dueAt = o.dueAt; overdue = o.overdue; resolution = o.resolution?.rawValue; response = o.response
        version = o.version; createdAt = o.createdAt; updatedAt = o.updatedAt
    }
}

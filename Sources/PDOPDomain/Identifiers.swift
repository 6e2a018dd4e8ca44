/// A typed identifier: an `OrganizationID` cannot be passed where a `UserID` is expected.
public struct Identifier<Tag>: Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public enum OrganizationTag {}
public enum UserTag {}
public enum APITokenTag {}

public typealias OrganizationID = Identifier<OrganizationTag>
public typealias UserID = Identifier<UserTag>
public typealias APITokenID = Identifier<APITokenTag>

/// Makes new identifiers; injected so tests and the demo county are deterministic.
public protocol IdentifierGenerator: Sendable {
    func next(prefix: String) -> String
}

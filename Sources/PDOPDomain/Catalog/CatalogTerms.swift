/// The vocabulary of the catalog (R3): grades, open attributes, origins, column sensitivity and
/// the sandbox levels a provider proposes per column (DESIGN.md "Sandbox").
public enum DataGrade: String, CaseIterable, Codable, Sendable {
    case l1 = "L1", l2 = "L2", l3 = "L3", l4 = "L4"
}

/// 无条件开放 / 有条件开放 / 禁止开放.
public enum OpenAttribute: String, CaseIterable, Codable, Sendable {
    case unconditional, conditional, prohibited
}

/// Where the data comes from; returned data carries extra approval later (R5, R11).
public enum DataOrigin: String, CaseIterable, Codable, Sendable {
    case county
    case provinceReturned = "province_returned"
    case nationalReturned = "national_returned"
}

public enum UpdateFrequency: String, CaseIterable, Codable, Sendable {
    case realtime, daily, weekly, monthly, quarterly, yearly, irregular

    /// How old the newest load may be before the data counts as stale (days); nil for irregular.
    public var freshnessDays: Int? {
        switch self {
        case .realtime: 1
        case .daily: 2
        case .weekly: 8
        case .monthly: 32
        case .quarterly: 93
        case .yearly: 366
        case .irregular: nil
        }
    }
}

public enum Sensitivity: String, CaseIterable, Codable, Sendable {
    case directIdentifier = "direct_identifier"
    case quasiIdentifier = "quasi_identifier"
    case sensitive
    case ordinary
}

public enum SandboxLevel: String, CaseIterable, Codable, Sendable {
    case publicLevel = "PUBLIC"
    case groupBy = "GROUP_BY"
    case aggregate = "AGGREGATE"
    case compare = "COMPARE"
    case joinOnly = "JOIN_ONLY"
    case countOnly = "COUNT_ONLY"
    case deny = "DENY"

    /// The level a column gets unless its provider chooses another: identifiers can only join,
    /// and sensitive values only count, so nothing identifying is released by default.
    public static func proposed(for sensitivity: Sensitivity, type: ColumnType) -> SandboxLevel {
        switch sensitivity {
        case .directIdentifier: .joinOnly
        case .quasiIdentifier: .groupBy
        case .sensitive: .countOnly
        case .ordinary: type == .integer || type == .decimal ? .aggregate : .groupBy
        }
    }
}

public enum ColumnType: String, CaseIterable, Codable, Sendable {
    case integer, decimal, date, timestamp, boolean, text
}

public enum ResourceState: String, CaseIterable, Codable, Sendable {
    case draft, published, retired

    public func transition(to target: ResourceState) throws(DomainError) -> ResourceState {
        switch (self, target) {
        case (.draft, .published), (.published, .retired), (.retired, .published):
            return target
        default:
            throw .wrongState(rawValue, "a \(rawValue) resource cannot become \(target.rawValue)")
        }
    }
}

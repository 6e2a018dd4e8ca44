import Foundation

/// How one column may be used in the sandbox: the level and, where the level needs them, its limits.
public struct ColumnPolicy: Codable, Sendable, Equatable {
    public var name: String
    public var level: SandboxLevel
    /// Declared bounds for sums, averages and model inputs; values are clamped to them.
    public var lower: Double?
    public var upper: Double?
    /// For JOIN_ONLY keys: the key space; only keys of the same space join.
    public var keySpace: String?
    /// The coarsest grid for literals and buckets on a number (years) or date (days).
    public var bucketWidth: Int?

    public init(name: String, level: SandboxLevel, lower: Double? = nil, upper: Double? = nil, keySpace: String? = nil,
                bucketWidth: Int? = nil) {
        self.name = name
        self.level = level
        self.lower = lower
        self.upper = upper
        self.keySpace = keySpace
        self.bucketWidth = bucketWidth
    }
}

/// A provider's column policy for one resource (DESIGN.md "Sandbox"), versioned with it: the
/// privacy unit, the minimum units behind a released row, and each column's level. Grants narrow it.
public struct SandboxPolicy: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.sandboxPolicy
    public var id: String
    public var resourceID: ResourceID
    public var providerID: OrganizationID
    /// The person or enterprise key: a JOIN_ONLY column.
    public var unitColumn: String
    /// "natural_person" or "enterprise": joined datasets must share it.
    public var unitDomain: String
    public var minUnits: Int
    public var columns: [ColumnPolicy]
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { providerID }
    public var subjectID: String? { resourceID.rawValue }
    public var stateName: String { "current" }

    public static func id(for resource: ResourceID) -> String { "sp-\(resource.rawValue)" }

    public init(resource: DataResource, unitColumn: String, unitDomain: String, minUnits: Int, columns: [ColumnPolicy], at now: Date) {
        id = Self.id(for: resource.id)
        resourceID = resource.id
        providerID = resource.providerID
        self.unitColumn = unitColumn
        self.unitDomain = unitDomain
        self.minUnits = minUnits
        self.columns = columns
        version = 1
        createdAt = now
        updatedAt = now
    }

    /// The provider's default when it has written none: the catalog's levels, the first
    /// identifying column as the unit (keyed by its own name), no bounds (so nothing is summed yet).
    public static func proposed(for resource: DataResource, policy: PolicySettings, at now: Date) -> SandboxPolicy {
        let unit = resource.columns.first { $0.sensitivity == .directIdentifier } ?? resource.columns.first
        let columns = resource.columns.map { column in
            ColumnPolicy(name: column.name, level: column.name == unit?.name ? .joinOnly : column.level,
                         keySpace: column.level == .joinOnly || column.name == unit?.name ? column.name : nil)
        }
        return SandboxPolicy(resource: resource, unitColumn: unit?.name ?? "", unitDomain: "natural_person",
                             minUnits: policy.sandboxMinUnits, columns: columns, at: now)
    }

    /// Checks a policy a provider writes: known columns, the unit a JOIN_ONLY key, limits where levels need them.
    public func validate(against resource: DataResource, policy settings: PolicySettings) throws(DomainError) {
        let names = Set(resource.columns.map(\.name))
        for (index, column) in columns.enumerated() {
            guard names.contains(column.name) else { throw .invalid("columns.\(index).name", "not a column of the resource", rule: "R12") }
            if column.level == .joinOnly, (column.keySpace ?? "").isEmpty {
                throw .invalid("columns.\(index).keySpace", "a JOIN_ONLY column needs its key space", rule: "R12")
            }
            if let lower = column.lower, let upper = column.upper, !(lower < upper) {
                throw .invalid("columns.\(index).upper", "the upper bound must be above the lower bound", rule: "R12")
            }
            if (column.lower == nil) != (column.upper == nil) {
                throw .invalid("columns.\(index).upper", "give both bounds or neither", rule: "R12")
            }
            if let width = column.bucketWidth, width <= 0 {
                throw .invalid("columns.\(index).bucketWidth", "must be positive", rule: "R12")
            }
        }
        if Set(columns.map(\.name)).count != columns.count { throw .invalid("columns", "a column is listed twice", rule: "R12") }
        guard columns.first(where: { $0.name == unitColumn })?.level == .joinOnly else {
            throw .invalid("unitColumn", "the privacy unit must be a JOIN_ONLY column of the policy", rule: "R12")
        }
        guard ["natural_person", "enterprise"].contains(unitDomain) else {
            throw .invalid("unitDomain", "must be natural_person or enterprise", rule: "R12")
        }
        guard minUnits >= settings.sandboxMinUnits else {
            throw .refused("R12", "the minimum units may not be below the platform floor of \(settings.sandboxMinUnits)", field: "minUnits")
        }
    }

    public func column(_ name: String) -> ColumnPolicy? { columns.first { $0.name == name } }
}

extension SandboxLevel {
    /// A grant may only narrow a provider's level: to the same level, to DENY, or to a level that
    /// permits a subset of the uses (PUBLIC to anything; GROUP_BY to COMPARE or COUNT_ONLY; AGGREGATE
    /// or COMPARE to COUNT_ONLY).
    public func permitsNarrowing(to target: SandboxLevel) -> Bool {
        if target == self || target == .deny || self == .publicLevel { return true }
        switch (self, target) {
        case (.groupBy, .compare), (.groupBy, .countOnly), (.aggregate, .countOnly), (.compare, .countOnly): return true
        default: return false
        }
    }
}

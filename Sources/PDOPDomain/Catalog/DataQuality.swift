import Foundation

/// How current a resource's data is against its update frequency (R3 quality figures).
public enum FreshnessState: String, CaseIterable, Codable, Sendable {
    /// Loaded within the share of the period that counts as on time.
    case fresh
    /// Close to the end of its period: the next load is due.
    case due
    /// Older than the frequency allows.
    case stale
    /// Irregular updates: no period to measure against.
    case unscheduled
    /// Nothing loaded yet.
    case noData = "no_data"
}

public struct Freshness: Equatable, Sendable {
    public var state: FreshnessState
    /// Whole days since the last load.
    public var ageDays: Int?
    /// The most days the frequency allows (`UpdateFrequency.freshnessDays`).
    public var limitDays: Int?
    public var lastLoadedAt: Date?

    public init(state: FreshnessState, ageDays: Int?, limitDays: Int?, lastLoadedAt: Date?) {
        self.state = state
        self.ageDays = ageDays
        self.limitDays = limitDays
        self.lastLoadedAt = lastLoadedAt
    }

    /// Stale past `freshnessDays`; due from `duePercent` % of it on.
    public static func assess(lastLoadedAt: Date?, frequency: UpdateFrequency, now: Date, duePercent: Int) -> Freshness {
        let limit = frequency.freshnessDays
        guard let lastLoadedAt else { return Freshness(state: .noData, ageDays: nil, limitDays: limit, lastLoadedAt: nil) }
        let ageSeconds = max(0, now.timeIntervalSince(lastLoadedAt))
        let ageDays = Int(ageSeconds / 86_400)
        guard let limit else { return Freshness(state: .unscheduled, ageDays: ageDays, limitDays: nil, lastLoadedAt: lastLoadedAt) }
        let limitSeconds = Double(limit) * 86_400
        let state: FreshnessState = ageSeconds > limitSeconds ? .stale
            : ageSeconds >= limitSeconds * Double(duePercent) / 100 ? .due : .fresh
        return Freshness(state: state, ageDays: ageDays, limitDays: limit, lastLoadedAt: lastLoadedAt)
    }
}

/// The current data version as its loads describe it: a replacing load and any appends since.
public struct DataFigures: Equatable, Sendable {
    public var dataVersion: Int
    public var rowCount: Int
    /// 1 − the mean null rate over the columns, weighted by each load's rows; nil when unknown.
    public var completeness: Double?
    public var lastLoadedAt: Date

    public init(dataVersion: Int, rowCount: Int, completeness: Double?, lastLoadedAt: Date) {
        self.dataVersion = dataVersion
        self.rowCount = rowCount
        self.completeness = completeness
        self.lastLoadedAt = lastLoadedAt
    }
}

/// A resource's quality figures (R3, R4): objections, size, completeness and freshness.
public struct ResourceQuality: Equatable, Sendable {
    public var objections: ObjectionFigures
    public var data: DataFigures?
    public var freshness: Freshness

    public init(objections: ObjectionFigures, data: DataFigures?, freshness: Freshness) {
        self.objections = objections
        self.data = data
        self.freshness = freshness
    }
}

/// Computes quality figures for resources the caller may already see (a catalog page or one resource).
public struct ResourceQualityService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let policy: PolicySettings

    public init(store: any PlatformStore, clock: any PlatformClock, policy: PolicySettings) {
        self.store = store
        self.clock = clock
        self.policy = policy
    }

    public func quality(of resources: [DataResource]) async throws -> [ResourceID: ResourceQuality] {
        let now = clock.now()
        let duePercent = policy.freshnessDuePercent
        return try await store.transaction { tx in
            let figures = try await tx.loads.currentFigures(of: resources.map(\.id))
            var result: [ResourceID: ResourceQuality] = [:]
            for resource in resources {
                let data = figures[resource.id]
                result[resource.id] = ResourceQuality(
                    objections: try await tx.supply.objectionFigures(resource.id), data: data,
                    freshness: .assess(lastLoadedAt: data?.lastLoadedAt, frequency: resource.updateFrequency, now: now,
                                       duePercent: duePercent))
            }
            return result
        }
    }
}

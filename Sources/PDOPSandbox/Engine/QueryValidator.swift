import Foundation
import PDOPDomain

/// How a group key's column becomes the released key.
enum GroupTransform: Sendable, Equatable {
    case value
    /// Floor to a multiple of the width; integer result.
    case numericWidth(Int64)
    /// Date (or timestamp floored to days) floored to a multiple of `width` days; released as "YYYY-MM-DD".
    case days(width: Int64, fromMicroseconds: Bool)
    /// Calendar month or year, computed in SQL as text ("2024-03", "2024").
    case calendar(Bucket.CalendarUnit, fromMicroseconds: Bool)
}

struct ResolvedGroupKey: Sendable {
    let column: ResolvedColumn
    let transform: GroupTransform
    let label: String
}

/// A bounded numeric column that some sum or avg measure reads, as scaled integers.
struct SumColumn: Sendable {
    let column: ResolvedColumn
    /// 100 for decimals (cents), 1 for integers: sums stay integral so DP noise is exact.
    let scale: Int64
    let lower: Double
    let upper: Double
    /// Per-row clamp bounds, in scaled units.
    let rowLow: Int64
    let rowHigh: Int64
    /// Per-unit-and-group clamp bounds (include 0, since a unit may have no value in a group).
    var unitLow: Int64 { min(0, rowLow) }
    var unitHigh: Int64 { max(0, rowHigh) }
    /// The most one unit moves this sum in one group, in scaled units.
    var sensitivity: Int64 { max(abs(rowLow), abs(rowHigh)) }
}

struct ResolvedMeasure: Sendable {
    let name: String
    let agg: Aggregate
    let sumIndex: Int?
}

/// A query after validation: everything the compiler, the guard and the noise need.
struct ResolvedQuery: Sendable {
    let spec: QuerySpec
    let context: SourceContext
    let filters: [ResolvedFilter]
    let groupKeys: [ResolvedGroupKey]
    let sums: [SumColumn]
    let measures: [ResolvedMeasure]
    let minUnits: Int
    /// Threshold mode: the query on the audit partition; filters and group keys compile from its bins.
    var canonical: CanonicalQuery?
}

struct QueryValidator {
    /// Scaled bounds beyond this could overflow 64-bit sums over millions of rows.
    static let boundMagnitudeLimit = 1e12

    let policy: PolicySettings

    func validate(_ spec: QuerySpec, datasets: [SandboxDataset], partitions: [String: AuditPartition]?) throws(DomainError) -> ResolvedQuery {
        try SpecGrammar(policy: policy).check(spec)
        let context = try SourceContext(sources: spec.sources, joins: spec.joins, datasets: datasets)
        let countsOnly = spec.measures.allSatisfy { !$0.agg.needsColumn }
        let filters = try context.filters(spec.filters, countsOnly: countsOnly)
        var keys: [ResolvedGroupKey] = []
        for (index, key) in spec.groupBy.enumerated() {
            keys.append(try groupKey(key, pointer: "/groupBy/\(index)", context: context))
        }
        var sums: [SumColumn] = []
        var measures: [ResolvedMeasure] = []
        for (index, measure) in spec.measures.enumerated() {
            guard let reference = measure.column else {
                measures.append(ResolvedMeasure(name: measure.name, agg: measure.agg, sumIndex: nil))
                continue
            }
            let pointer = "/measures/\(index)/column"
            let column = try context.column(reference, at: pointer)
            if let existing = sums.firstIndex(where: { $0.column.sourceIndex == column.sourceIndex && $0.column.column.name == column.column.name }) {
                measures.append(ResolvedMeasure(name: measure.name, agg: measure.agg, sumIndex: existing))
            } else {
                sums.append(try Self.sumColumn(column, pointer: pointer))
                measures.append(ResolvedMeasure(name: measure.name, agg: measure.agg, sumIndex: sums.count - 1))
            }
        }
        try checkPrivacy(spec)
        var resolved = ResolvedQuery(spec: spec, context: context, filters: filters, groupKeys: keys, sums: sums,
                                     measures: measures, minUnits: context.minUnits(policy: policy))
        if spec.mode == .threshold {
            guard let partitions else { throw DomainError.refused("R12", "the audit partition of this data is not ready") }
            guard context.sources[0].dataset.recordKeyColumn != nil else { throw DomainError.refused("R12", "the record keys of this data are not ready") }
            resolved.canonical = try CanonicalQuery(resolved: filters, groupKeys: keys, context: context, partitions: partitions)
        }
        return resolved
    }

    private func checkPrivacy(_ spec: QuerySpec) throws(DomainError) {
        switch (spec.mode, spec.privacy) {
        case (.threshold, nil):
            return
        case (.threshold, .some):
            throw .refused("R12", "threshold mode takes no privacy parameters", field: "/privacy")
        case (.dp, nil):
            throw .refused("R12", "dp mode needs privacy.epsilon", field: "/privacy")
        case (.dp, .some(let privacy)):
            guard privacy.epsilon > 0, privacy.epsilon <= policy.sandboxMaxEpsilonPerQuery else {
                throw .refused("R12", "epsilon must be above 0 and at most \(policy.sandboxMaxEpsilonPerQuery)", field: "/privacy/epsilon")
            }
            if privacy.mechanism == .gaussian, privacy.delta == nil {
                throw .refused("R12", "the gaussian mechanism needs a delta", field: "/privacy/delta")
            }
            if let delta = privacy.delta, !(delta > 0 && delta < policy.sandboxMaxDelta) {
                throw .refused("R12", "delta must be above 0 and below \(policy.sandboxMaxDelta)", field: "/privacy/delta")
            }
        }
    }

    func groupKey(_ key: QuerySpec.GroupKey, pointer: String, context: SourceContext) throws(DomainError) -> ResolvedGroupKey {
        let column = try context.column(key.column, at: pointer + "/column")
        guard !column.isUnitColumn, [.publicLevel, .groupBy].contains(column.column.level) else {
            throw .refused("R12", "only PUBLIC and GROUP_BY columns can be group keys", field: pointer + "/column")
        }
        let grid = Int64(max(1, column.column.bucketWidth ?? 1))
        let bucketPointer = pointer + "/bucket"
        func onGrid(_ width: Int) throws(DomainError) -> Int64 {
            guard width > 0, Int64(width) % grid == 0 else {
                throw .refused("R12", "the bucket must be a positive multiple of \(grid)", field: bucketPointer)
            }
            return Int64(width)
        }
        let transform: GroupTransform
        switch (column.column.type, key.bucket) {
        case (.integer, nil), (.decimal, nil):
            guard grid == 1 else { throw .refused("R12", "this column needs a bucket, a multiple of \(grid)", field: bucketPointer) }
            transform = .value
        case (.integer, .width(let width)), (.decimal, .width(let width)):
            transform = .numericWidth(try onGrid(width))
        case (.date, nil):
            guard grid == 1 else { throw .refused("R12", "this column needs a bucket of at least \(grid) days", field: bucketPointer) }
            transform = .days(width: 1, fromMicroseconds: false)
        case (.date, .width(let width)), (.timestamp, .width(let width)):
            transform = .days(width: try onGrid(width), fromMicroseconds: column.column.type == .timestamp)
        case (.date, .calendar(let unit)), (.timestamp, .calendar(let unit)):
            let unitDays: Int64 = switch unit { case .day: 1; case .month: 28; case .year: 365 }
            guard grid <= unitDays else { throw .refused("R12", "the bucket is finer than this column's grid of \(grid) days", field: bucketPointer) }
            let micro = column.column.type == .timestamp
            transform = unit == .day ? .days(width: 1, fromMicroseconds: micro) : .calendar(unit, fromMicroseconds: micro)
        case (.timestamp, nil):
            throw .refused("R12", "a timestamp is grouped by day, month, year or a number of days", field: bucketPointer)
        case (.integer, .calendar), (.decimal, .calendar):
            throw .invalid(bucketPointer, "a numeric column takes a numeric bucket")
        case (.text, nil), (.boolean, nil):
            transform = .value
        case (.text, .some), (.boolean, .some):
            throw .invalid(bucketPointer, "this column takes no bucket")
        }
        let label = switch key.bucket {
        case nil: key.column
        case .width(let width): "\(key.column) bucket \(width)"
        case .calendar(let unit): "\(key.column) by \(unit.rawValue)"
        }
        return ResolvedGroupKey(column: column, transform: transform, label: label)
    }

    /// AGGREGATE (or PUBLIC numeric) columns with finite declared bounds.
    static func sumColumn(_ column: ResolvedColumn, pointer: String) throws(DomainError) -> SumColumn {
        let type = column.column.type
        guard !column.isUnitColumn, [.integer, .decimal].contains(type),
              column.column.level == .aggregate || column.column.level == .publicLevel else {
            throw .refused("R12", "only AGGREGATE or PUBLIC numeric columns can be summed or averaged", field: pointer)
        }
        let scale: Int64 = type == .decimal ? 100 : 1
        guard let lower = column.column.lower, let upper = column.column.upper, lower.isFinite, upper.isFinite, lower <= upper,
              max(abs(lower), abs(upper)) * Double(scale) <= boundMagnitudeLimit else {
            throw .refused("R12", "this column has no usable declared bounds", field: pointer)
        }
        let rowLow = type == .decimal ? Int64((lower * 100).rounded()) : Int64(lower.rounded(.up))
        let rowHigh = type == .decimal ? Int64((upper * 100).rounded()) : Int64(upper.rounded(.down))
        guard rowLow <= rowHigh else { throw .refused("R12", "this column has no usable declared bounds", field: pointer) }
        return SumColumn(column: column, scale: scale, lower: lower, upper: upper, rowLow: rowLow, rowHigh: rowHigh)
    }
}

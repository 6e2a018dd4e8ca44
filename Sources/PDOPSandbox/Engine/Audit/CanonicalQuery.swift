import Foundation
import PDOPDomain

/// A released cell as the audit sees it: a box of partition bins (per restricted dimension, the
/// sorted bins it covers; dimensions it covers whole are left out) on one join path.
public struct AuditBox: Codable, Sendable, Hashable {
    /// "resource.column" → sorted bin indices.
    public var bins: [String: [Int]]

    /// Boxes overlap when every dimension restricted by both shares a bin.
    func overlaps(_ other: AuditBox) -> Bool {
        bins.allSatisfy { dimension, mine in other.bins[dimension].map { !Set($0).isDisjoint(with: mine) } ?? true }
    }
}

/// A query reduced to the audit partition (perturbation.md §3.1): the join path, the bins each
/// filter selects, and per group key the bins behind each released key value. Aliases, names and
/// rewrites of the same cells vanish here.
struct CanonicalQuery: Sendable {
    struct Dimension: Sendable {
        let key: String
        let column: ResolvedColumn
        let partition: PartitionDimension
    }

    struct Group: Sendable {
        let dimension: Dimension
        /// Each bin's released key value (as the statement returns it, before formatting).
        let values: [SQLValue]
    }

    /// The first source (whose units are counted), every source, and the joins, by resource id.
    let path: String
    /// Per filtered dimension, the bins every filter on it selects together (AND).
    let filters: [(dimension: Dimension, bins: Set<Int>)]
    let groups: [Group]

    static func path(_ context: SourceContext) -> String {
        let sources = context.sources.map(\.dataset.resourceID)
        let joins = context.joins.map { join in
            [join.left, join.right].map { "\(context.sources[$0.sourceIndex].dataset.resourceID).\($0.column.name)" }.sorted().joined(separator: "=")
        }.sorted()
        return "unit:\(sources[0])|sources:\(sources.sorted().joined(separator: ","))|joins:\(joins.joined(separator: ","))"
    }

    static func dimension(_ column: ResolvedColumn, context: SourceContext, partitions: [String: AuditPartition],
                          pointer: String) throws(DomainError) -> Dimension {
        let dataset = context.sources[column.sourceIndex].dataset
        guard let partition = partitions[dataset.resourceID]?.dimension(column.column.name) else {
            throw .refused("R12", "this column has no bins in the published audit partition", field: pointer)
        }
        return Dimension(key: "\(dataset.resourceID).\(column.column.name)", column: column, partition: partition)
    }

    /// The box of a released row from its group key values.
    func box(keys: [SQLValue]) -> AuditBox {
        var bins: [String: Set<Int>] = [:]
        for filter in filters { bins[filter.dimension.key] = filter.bins }
        for (group, key) in zip(groups, keys) {
            let matching = Set(group.values.indices.filter { Self.same(group.values[$0], key) })
            bins[group.dimension.key] = bins[group.dimension.key].map { $0.intersection(matching) } ?? matching
        }
        var box: [String: [Int]] = [:]
        let dimensions = filters.map(\.dimension) + groups.map(\.dimension)
        for (key, selected) in bins {
            let total = dimensions.first { $0.key == key }?.partition.bins.count ?? 0
            if selected.count < total { box[key] = selected.sorted() }
        }
        return AuditBox(bins: box)
    }

    static func same(_ a: SQLValue, _ b: SQLValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.text(let x), .text(let y)): return x == y
        case (.null, _), (_, .null), (.text, _), (_, .text): return false
        default: return SQLValueOrder.integer(a) == SQLValueOrder.integer(b)
        }
    }

    /// Every dimension this query touches, by key.
    var dimensions: [String: Dimension] {
        var result: [String: Dimension] = [:]
        for dimension in filters.map(\.dimension) + groups.map(\.dimension) { result[dimension.key] = dimension }
        return result
    }
}

extension CanonicalQuery {
    /// Reduces a validated query's filters and group keys to bins; refuses a filter that cuts a bin
    /// and a bucket that splits a code bin's meaning.
    init(resolved filters: [ResolvedFilter], groupKeys: [ResolvedGroupKey], context: SourceContext,
         partitions: [String: AuditPartition]) throws(DomainError) {
        var selections: [(Dimension, Set<Int>)] = []
        for (index, filter) in filters.enumerated() {
            let pointer = "/filters/\(index)"
            let dimension = try Self.dimension(filter.column, context: context, partitions: partitions, pointer: pointer + "/column")
            let bins = try BinSelection.bins(filter, dimension.partition, pointer: pointer + "/value")
            if let existing = selections.firstIndex(where: { $0.0.key == dimension.key }) {
                selections[existing].1.formIntersection(bins)
            } else {
                selections.append((dimension, bins))
            }
        }
        var groups: [Group] = []
        for (index, key) in groupKeys.enumerated() {
            let dimension = try Self.dimension(key.column, context: context, partitions: partitions, pointer: "/groupBy/\(index)/column")
            if dimension.partition.kind == .ranges, key.transform == .value, key.column.column.type == .decimal {
                throw .refused("R12", "a decimal group key needs a bucket", field: "/groupBy/\(index)/bucket")
            }
            groups.append(Group(dimension: dimension, values: dimension.partition.bins.map { GroupValues.value(of: $0, key: key, dimension: dimension.partition) }))
        }
        self.path = Self.path(context)
        self.filters = selections.map { (dimension: $0.0, bins: $0.1) }
        self.groups = groups
    }
}

/// The key value SQL releases for a bin: the label of a code bin, the transform of a range bin's first value.
enum GroupValues {
    static func value(of bin: PartitionBin, key: ResolvedGroupKey, dimension: PartitionDimension) -> SQLValue {
        if dimension.kind == .codes {
            if bin.isSingleCode { return .text(bin.codes[0]) }
            if bin.isNullOnly { return .null }
            return .text(bin.label)
        }
        guard let lower = bin.lower else { return .null }
        switch key.transform {
        case .value:
            return key.column.column.type == .decimal ? .double(Double(lower)) : .integer(lower)
        case .numericWidth(let width):
            return .integer(Int64((Double(lower) / Double(width)).rounded(.down)) * width)
        case .days(let width, _):
            return .integer(Int64((Double(lower) / Double(width)).rounded(.down)) * width)
        case .calendar(let unit, _):
            let text = CivilDate.text(fromDays: lower)
            return .text(unit == .year ? String(text.prefix(4)) : String(text.prefix(7)))
        }
    }
}

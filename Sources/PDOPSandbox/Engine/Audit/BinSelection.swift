import Foundation
import PDOPDomain

/// Which bins of a dimension a filter selects. A filter must select every bin wholly or not at all
/// (perturbation.md §3.1): a literal that cuts a bin is refused, in the same words whatever the data.
enum BinSelection {
    enum Coverage { case all, none, mixed }

    static let notAligned = "the filter cuts a bin of the published audit partition; use the bins' own boundaries or codes"

    static func bins(_ filter: ResolvedFilter, _ dimension: PartitionDimension, pointer: String) throws(DomainError) -> Set<Int> {
        var selected: Set<Int> = []
        for index in dimension.bins.indices {
            switch coverage(filter, dimension, index) {
            case .all: selected.insert(index)
            case .none: break
            case .mixed: throw .refused("R12", notAligned, field: pointer)
            }
        }
        return selected
    }

    static func coverage(_ filter: ResolvedFilter, _ dimension: PartitionDimension, _ index: Int) -> Coverage {
        let bin = dimension.bins[index]
        switch filter.op {
        case .isNull:
            return bin.includesNull ? (bin.isNullOnly ? .all : .mixed) : .none
        case .notNull:
            return bin.includesNull ? (bin.isNullOnly ? .none : .mixed) : .all
        default:
            break
        }
        // Nulls fail every comparison; a bin that holds only nulls is never selected by one, and a
        // bin's null part follows the bin (the canonical predicate selects it with the bin).
        if bin.isNullOnly { return .none }
        switch dimension.kind {
        case .codes: return codeCoverage(filter, bin, listed: Set(dimension.bins.flatMap(\.codes)))
        case .ranges: return rangeCoverage(filter, dimension, index)
        }
    }

    private static func codeCoverage(_ filter: ResolvedFilter, _ bin: PartitionBin, listed: Set<String>) -> Coverage {
        let literals = filter.values.compactMap { value -> String? in if case .text(let text) = value { text } else { nil } }
        let inside = literals.filter { bin.codes.contains($0) }.count
        // A literal in no code list is a rare code: it lies in the "other" bin, which holds more than it.
        let rare = literals.contains { !listed.contains($0) } && bin.other
        func member() -> Coverage {
            if rare { return .mixed }
            if inside == 0 { return .none }
            return inside == bin.codes.count && !bin.other ? .all : .mixed
        }
        switch filter.op {
        case .equal, .in: return member()
        case .notEqual: return negate(member())
        default: return .mixed
        }
    }

    private static func rangeCoverage(_ filter: ResolvedFilter, _ dimension: PartitionDimension, _ index: Int) -> Coverage {
        let bin = dimension.bins[index]
        let grid = Double(dimension.grid)
        // The ends are open in SQL, but this data version has no value beyond them: a filter at the
        // observed minimum or maximum selects the end bin whole.
        let low = Double(bin.lower!)
        let high = Double(bin.upper!) + grid
        let discrete = filter.column.column.type != .decimal && filter.column.column.type != .timestamp
        let values = filter.values.map { atomUnits($0, type: filter.column.column.type) }
        func compare(_ op: FilterOperator, _ x: Double) -> Coverage {
            let top = discrete ? high - 1 : high
            switch op {
            case .less: return high <= x ? .all : (low >= x ? .none : .mixed)
            case .lessOrEqual: return (discrete ? top <= x : high <= x) ? .all : (low > x ? .none : .mixed)
            case .greater: return low > x ? .all : ((discrete ? top <= x : high <= x) ? .none : .mixed)
            case .greaterOrEqual: return low >= x ? .all : (high <= x ? .none : .mixed)
            case .equal: return discrete && low == x && high == x + 1 ? .all : (x < low || x >= high ? .none : .mixed)
            default: return .mixed
            }
        }
        switch filter.op {
        case .between where values.count == 2:
            return both(compare(.greaterOrEqual, values[0]), compare(.lessOrEqual, values[1]))
        case .in:
            return values.map { compare(.equal, $0) }.reduce(.none, either)
        case .notEqual where values.count == 1:
            return negate(compare(.equal, values[0]))
        case _ where values.count == 1:
            return compare(filter.op, values[0])
        default:
            return .mixed
        }
    }

    /// A bound value in atom units: stored units, or days for a timestamp (stored in microseconds).
    static func atomUnits(_ value: SQLValue, type: ColumnType) -> Double {
        switch value {
        case .integer(let number): type == .timestamp ? Double(number) / Double(CivilDate.microsecondsPerDay) : Double(number)
        case .double(let number): number
        default: .nan
        }
    }

    static func negate(_ coverage: Coverage) -> Coverage {
        switch coverage { case .all: .none; case .none: .all; case .mixed: .mixed }
    }

    static func both(_ a: Coverage, _ b: Coverage) -> Coverage {
        if a == .none || b == .none { return .none }
        return a == .all && b == .all ? .all : .mixed
    }

    static func either(_ a: Coverage, _ b: Coverage) -> Coverage {
        if a == .all || b == .all { return .all }
        return a == .none && b == .none ? .none : .mixed
    }
}

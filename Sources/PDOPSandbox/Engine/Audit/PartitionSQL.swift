import Foundation
import PDOPDomain

/// SQL written from the partition's bins, never from the operator's literals: a filter becomes the
/// predicate of the bins it selects, and a group key maps every value of a merged bin to the bin's
/// first value, so two wordings of the same cells compile to the same statement.
struct PartitionSQL {
    let functions: DialectFunctions

    /// The value a column's atoms are counted by: the code, or the value floored to the grid (days for timestamps).
    func atom(_ column: ResolvedColumn, grid: Int64) -> SQLFragment {
        let value = SQLFragment.column(column)
        switch column.column.type {
        case .text: return value
        case .decimal: return functions.floorDecimal(value, grid)
        case .timestamp: return functions.floorInteger(functions.floorDivide(value, CivilDate.microsecondsPerDay), grid)
        case .integer, .date, .boolean: return grid == 1 ? value : functions.floorInteger(value, grid)
        }
    }

    /// Per atom of one dataset column: distinct units and the sum of their record keys.
    func atomCounts(dataset: SandboxDataset, column: SandboxColumn, grid: Int64) -> CompiledStatement {
        let resolved = ResolvedColumn(sourceIndex: 0, tableAlias: "t0", column: column, reference: column.name, isUnitColumn: false)
        let table: SQLFragment = .identifier(dataset.table) + " AS t0"
        let unit: SQLFragment = "t0." + .identifier(dataset.unitColumn)
        let key: SQLFragment = "t0." + .identifier(dataset.recordKeyColumn ?? "")
        let statement: SQLFragment = "SELECT a, COUNT(*) AS n, CAST(SUM(k) AS BIGINT) AS ck FROM (SELECT DISTINCT " + atom(resolved, grid: grid)
            + " AS a, " + unit + " AS u, " + key + " AS k FROM " + table + " WHERE " + unit + " IS NOT NULL) x GROUP BY a"
        return CompiledStatement(pieces: statement.pieces, columnCount: 3, tables: [dataset.table])
    }

    /// The predicate of a set of bins of a dimension on `column`.
    func predicate(_ column: ResolvedColumn, _ dimension: PartitionDimension, bins selected: Set<Int>) -> SQLFragment {
        let value = SQLFragment.column(column)
        var parts: [SQLFragment] = []
        let bins = selected.sorted().map { dimension.bins[$0] }
        switch dimension.kind {
        case .codes:
            let codes = bins.flatMap(\.codes)
            if !codes.isEmpty { parts.append(value + " IN (" + .joined(codes.map { .bind(.text($0)) }) + ")") }
            if bins.contains(where: \.other) {
                let listed = dimension.bins.flatMap(\.codes)
                parts.append(listed.isEmpty ? value + " IS NOT NULL"
                             : "(" + value + " IS NOT NULL AND " + value + " NOT IN (" + .joined(listed.map { .bind(.text($0)) }) + "))")
            }
        case .ranges:
            let ranges = dimension.rangeBins
            var run: (first: Int, last: Int)?
            func close() {
                guard let current = run else { return }
                var conditions: [SQLFragment] = []
                if current.first != ranges.first { conditions.append(value + " >= " + bound(dimension.bins[current.first].lower!, column, dimension)) }
                if current.last != ranges.last {
                    conditions.append(value + " < " + bound(dimension.bins[current.last].upper! + dimension.grid, column, dimension))
                }
                parts.append(conditions.isEmpty ? value + " IS NOT NULL" : "(" + .joined(conditions, separator: " AND ") + ")")
                run = nil
            }
            for (position, index) in ranges.enumerated() {
                if selected.contains(index) {
                    if let current = run, ranges.firstIndex(of: current.last) == position - 1 { run = (current.first, index) }
                    else { close(); run = (index, index) }
                } else {
                    close()
                }
            }
            close()
        }
        if bins.contains(where: \.includesNull) { parts.append(value + " IS NULL") }
        return parts.isEmpty ? "1 = 0" : "(" + .joined(parts, separator: " OR ") + ")"
    }

    /// A bin boundary in the column's stored units.
    private func bound(_ atom: Int64, _ column: ResolvedColumn, _ dimension: PartitionDimension) -> SQLFragment {
        switch column.column.type {
        case .decimal: return .bind(.double(Double(atom)))
        case .timestamp: return .bind(atom * CivilDate.microsecondsPerDay)
        default: return .bind(atom)
        }
    }

    /// The column as a group key sees it: a code bin's label, or for a merged range bin its first value.
    func groupValue(_ column: ResolvedColumn, _ dimension: PartitionDimension) -> SQLFragment {
        let value = SQLFragment.column(column)
        switch dimension.kind {
        case .codes:
            // Single codes are released as they are and a bin of nulls as null: only the other bins are mapped.
            let mapped = dimension.bins.indices.filter { !dimension.bins[$0].isSingleCode && !dimension.bins[$0].isNullOnly }
            guard !mapped.isEmpty else { return value }
            var cases: SQLFragment = "CASE"
            for index in mapped {
                let bin = dimension.bins[index]
                cases.append(" WHEN " + predicate(column, dimension, bins: [index]) + " THEN " + .bind(.text(bin.label)))
            }
            cases.append(" ELSE " + value + " END")
            return cases
        case .ranges:
            let merged = dimension.rangeBins.filter { dimension.bins[$0].lower != dimension.bins[$0].upper || dimension.bins[$0].includesNull }
            guard !merged.isEmpty else { return value }
            var cases: SQLFragment = "CASE"
            for index in merged {
                cases.append(" WHEN " + predicate(column, dimension, bins: [index]) + " THEN " + bound(dimension.bins[index].lower!, column, dimension))
            }
            cases.append(" ELSE " + value + " END")
            return cases
        }
    }
}
